package relaytest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
)

// groupTests are the contract's tests of trainers' groups.
var groupTests = []struct {
	name string
	fn   func(*testing.T, relay.Store)
}{
	{"TrainerAccountsNeedATrainerInvite", testTrainerInvite},
	{"GroupsBelongToTheirTrainers", testGroupOwnership},
	{"JoinCodesCheckExpireAndRevoke", testJoinCodes},
	{"JoinIsIdempotentAndLimited", testJoinLimits},
	{"SharesOnlyForTheGroupsTrainers", testShares},
	{"SharePagesAndCursor", testSharePages},
	{"LeavingDeletesTheShare", testLeave},
	{"CoTrainerOffers", testTrainerOffers},
	{"AggregatesByPeriod", testAggregates},
	{"AdminTokens", testAdminTokens},
	{"DeleteLearnerLeavesGroups", testDeleteLearnerGroups},
	{"PurgeCodesAndOffers", testPurgeGroups},
}

// EnrolTrainer enrols a new trainer's account with open enrolment.
func EnrolTrainer(t testing.TB, s relay.Store) Learner {
	t.Helper()
	d := NewDevice(relay.NewID())
	d.Device.Trainer = true
	if err := s.Enrol(context.Background(), nil, d.Device); err != nil {
		t.Fatalf("enrol trainer: %v", err)
	}
	return d
}

// NewGroup makes a group of trainer.
func NewGroup(t testing.TB, s relay.Store, trainer relay.ID) relay.ID {
	t.Helper()
	id := relay.NewID()
	if err := s.CreateGroup(context.Background(), trainer, relay.Group{ID: id, Created: t0}); err != nil {
		t.Fatalf("create group: %v", err)
	}
	return id
}

// secret is the proof every test code expects.
var secret = relay.HashOf("proof")

func right(h relay.Hash) bool { return h == secret }
func wrong(relay.Hash) bool   { return false }

// NewCode stores a join code of group under lookup, live for a day.
func NewCode(t testing.TB, s relay.Store, trainer, group relay.ID, lookup string) {
	t.Helper()
	c := relay.JoinCode{Lookup: lookup, Group: group, Verifier: secret, Blob: []byte("sealed info"), Expires: t0.Add(24 * time.Hour), Created: t0}
	if err := s.CreateJoinCode(context.Background(), trainer, c); err != nil {
		t.Fatalf("create join code: %v", err)
	}
}

// JoinGroup makes learner a member with the code under lookup.
func JoinGroup(t testing.TB, s relay.Store, lookup string, learner relay.ID) relay.Membership {
	t.Helper()
	_, m, err := s.Join(context.Background(), relay.JoinRequest{Lookup: lookup, Now: t0, Verify: right, Learner: learner, Member: relay.NewID(), Commit: true})
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	return m
}

func testTrainerInvite(t *testing.T, s relay.Store) {
	ctx := context.Background()
	learnerInv, trainerInv := relay.HashOf("LEARNER-INVITE"), relay.HashOf("TRAINER-INVITE")
	s.CreateInvite(ctx, relay.Invite{Hash: learnerInv, Uses: 5, Expires: t0.Add(time.Hour), Created: t0})
	s.CreateInvite(ctx, relay.Invite{Hash: trainerInv, Uses: 5, Expires: t0.Add(time.Hour), Created: t0, Trainer: true})
	tr := NewDevice(relay.NewID())
	tr.Device.Trainer = true
	if err := s.Enrol(ctx, &learnerInv, tr.Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a trainer's account with a learner's invite: got %v, want ErrNotFound", err)
	}
	if err := s.Enrol(ctx, &trainerInv, tr.Device); err != nil {
		t.Fatalf("a trainer's account with a trainer invite: %v", err)
	}
	le := NewDevice(relay.NewID())
	if err := s.Enrol(ctx, &trainerInv, le.Device); err != nil {
		t.Fatalf("a learner's account with a trainer invite: %v", err)
	}
	for _, tc := range []struct {
		d    Learner
		want bool
	}{{tr, true}, {le, false}, {EnrolTrainer(t, s), true}, {Enrol(t, s), false}} {
		d, err := s.Authenticate(ctx, tc.d.Device.TokenHash, t0)
		if err != nil || d.Trainer != tc.want {
			t.Errorf("authenticate: trainer %v, %v; want %v", d.Trainer, err, tc.want)
		}
	}
}

func testGroupOwnership(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a, b := EnrolTrainer(t, s), EnrolTrainer(t, s)
	g := NewGroup(t, s, a.ID)
	c := relay.JoinCode{Lookup: "AAAAAA", Group: g, Verifier: secret, Blob: []byte("x"), Expires: t0.Add(time.Hour), Created: t0}
	if err := s.CreateJoinCode(ctx, b.ID, c); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("another trainer makes a code: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteGroup(ctx, b.ID, g); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("another trainer deletes the group: got %v, want ErrNotFound", err)
	}
	if _, err := s.Shares(ctx, relay.ShareQuery{Group: g, Trainer: b.ID, MaxBytes: 1 << 20}); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("another trainer reads shares: got %v, want ErrNotFound", err)
	}
	if err := s.PutAggregate(ctx, b.ID, relay.Aggregate{Group: g, Period: "2026-03", Body: []byte("{}"), Updated: t0}); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("another trainer uploads an aggregate: got %v, want ErrNotFound", err)
	}
	if err := s.DeleteGroup(ctx, a.ID, g); err != nil {
		t.Fatalf("delete group: %v", err)
	}
	if err := s.CreateJoinCode(ctx, a.ID, c); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a code for a deleted group: got %v, want ErrNotFound", err)
	}
	for i := range relay.MaxGroupsPerTrainer {
		if err := s.CreateGroup(ctx, b.ID, relay.Group{ID: relay.NewID(), Created: t0}); err != nil {
			t.Fatalf("group %d: %v", i, err)
		}
	}
	if err := s.CreateGroup(ctx, b.ID, relay.Group{ID: relay.NewID(), Created: t0}); !errors.Is(err, relay.ErrLimit) {
		t.Errorf("one group too many: got %v, want ErrLimit", err)
	}
}

func testJoinCodes(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr := EnrolTrainer(t, s)
	g := NewGroup(t, s, tr.ID)
	NewCode(t, s, tr.ID, g, "CODE01")
	le := Enrol(t, s)
	req := relay.JoinRequest{Lookup: "CODE01", Now: t0, Verify: right, Learner: le.ID, Member: relay.NewID()}
	// Checking a code makes no membership.
	c, _, err := s.Join(ctx, req)
	if err != nil || c.Group != g || string(c.Blob) != "sealed info" {
		t.Fatalf("check code: %+v, %v", c, err)
	}
	if err := s.PutShare(ctx, le.ID, g, []byte("x")); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a share after only checking the code: got %v, want ErrNotFound", err)
	}
	// Another live code under the same lookup is a conflict.
	other := NewGroup(t, s, tr.ID)
	dup := relay.JoinCode{Lookup: "CODE01", Group: other, Verifier: secret, Blob: []byte("x"), Expires: t0.Add(time.Hour), Created: t0}
	if err := s.CreateJoinCode(ctx, tr.ID, dup); !errors.Is(err, relay.ErrConflict) {
		t.Errorf("a live lookup twice: got %v, want ErrConflict", err)
	}
	// Wrong proofs are counted; JoinTries of them revoke the code.
	for i := range relay.JoinTries {
		bad := req
		bad.Verify = wrong
		if _, _, err := s.Join(ctx, bad); !errors.Is(err, relay.ErrUnauthorized) {
			t.Fatalf("wrong proof %d: got %v, want ErrUnauthorized", i+1, err)
		}
	}
	if _, _, err := s.Join(ctx, req); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("after %d wrong proofs the right one: got %v, want ErrNotFound", relay.JoinTries, err)
	}
	// Revoked at once; expired at its time.
	NewCode(t, s, tr.ID, g, "CODE02")
	req.Lookup, req.Commit = "CODE02", true
	if _, _, err := s.Join(ctx, req); err != nil {
		t.Fatalf("join: %v", err)
	}
	if err := s.RevokeJoinCode(ctx, tr.ID, g, "CODE02"); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if err := s.RevokeJoinCode(ctx, tr.ID, other, "CODE02"); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("revoke through another group: got %v, want ErrNotFound", err)
	}
	le2 := Enrol(t, s)
	req.Learner = le2.ID
	if _, _, err := s.Join(ctx, req); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a revoked code: got %v, want ErrNotFound", err)
	}
	NewCode(t, s, tr.ID, g, "CODE03")
	req.Lookup, req.Now = "CODE03", t0.Add(24*time.Hour)
	if _, _, err := s.Join(ctx, req); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("an expired code: got %v, want ErrNotFound", err)
	}
	// The first learner stays a member after the revocation.
	if err := s.PutShare(ctx, le.ID, g, []byte("x")); err != nil {
		t.Errorf("a member's share after the code was revoked: %v", err)
	}
	for i := range relay.MaxLiveCodes - 3 { // CODE01 to CODE03 are live, two of them revoked
		NewCode(t, s, tr.ID, g, fmt.Sprintf("LIVE%02d", i))
	}
	over := relay.JoinCode{Lookup: "LIVEXX", Group: g, Verifier: secret, Blob: []byte("x"), Expires: t0.Add(time.Hour), Created: t0}
	if err := s.CreateJoinCode(ctx, tr.ID, over); !errors.Is(err, relay.ErrLimit) {
		t.Errorf("one live code too many: got %v, want ErrLimit", err)
	}
}

func testJoinLimits(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr := EnrolTrainer(t, s)
	le := Enrol(t, s)
	var first relay.Membership
	for i := range relay.MaxGroupsPerLearner {
		g := NewGroup(t, s, tr.ID)
		NewCode(t, s, tr.ID, g, fmt.Sprintf("GRP%03d", i))
		m := JoinGroup(t, s, fmt.Sprintf("GRP%03d", i), le.ID)
		if i == 0 {
			first = m
		}
	}
	again := JoinGroup(t, s, "GRP000", le.ID)
	if again.Member != first.Member || again.Group != first.Group {
		t.Errorf("joining twice: member %v, first %v", again.Member, first.Member)
	}
	tr2 := EnrolTrainer(t, s)
	g := NewGroup(t, s, tr2.ID)
	NewCode(t, s, tr2.ID, g, "ONEMOR")
	if _, _, err := s.Join(ctx, relay.JoinRequest{Lookup: "ONEMOR", Now: t0, Verify: right, Learner: le.ID, Member: relay.NewID(), Commit: true}); !errors.Is(err, relay.ErrLimit) {
		t.Errorf("one group too many: got %v, want ErrLimit", err)
	}
}

func sharesOf(t *testing.T, s relay.Store, trainer, group relay.ID, after uint64) relay.SharePage {
	t.Helper()
	p, err := s.Shares(context.Background(), relay.ShareQuery{Group: group, Trainer: trainer, After: after, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatalf("shares: %v", err)
	}
	return p
}

func testShares(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr, tr2 := EnrolTrainer(t, s), EnrolTrainer(t, s)
	g, g2 := NewGroup(t, s, tr.ID), NewGroup(t, s, tr2.ID)
	NewCode(t, s, tr.ID, g, "SHARE1")
	NewCode(t, s, tr2.ID, g2, "SHARE2")
	a, b := Enrol(t, s), Enrol(t, s)
	ma := JoinGroup(t, s, "SHARE1", a.ID)
	JoinGroup(t, s, "SHARE1", b.ID)
	JoinGroup(t, s, "SHARE2", a.ID)
	if err := s.PutShare(ctx, a.ID, g, []byte("a's share in g")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutShare(ctx, a.ID, g2, []byte("a's share in g2")); err != nil {
		t.Fatal(err)
	}
	// A learner who is not a member cannot put a share in a group.
	c := Enrol(t, s)
	if err := s.PutShare(ctx, c.ID, g, []byte("spam")); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a share from a non-member: got %v, want ErrNotFound", err)
	}
	p := sharesOf(t, s, tr.ID, g, 0)
	if len(p.Members) != 2 || len(p.Shares) != 1 || p.Shares[0].Member != ma.Member || string(p.Shares[0].Blob) != "a's share in g" {
		t.Fatalf("g's shares: %+v", p)
	}
	// Neither another group's trainer nor a learner reads them.
	for _, who := range []relay.ID{tr2.ID, a.ID, b.ID} {
		if _, err := s.Shares(ctx, relay.ShareQuery{Group: g, Trainer: who, MaxBytes: 1 << 20}); !errors.Is(err, relay.ErrNotFound) {
			t.Errorf("shares read by someone else: got %v, want ErrNotFound", err)
		}
	}
	// A new share replaces the old one.
	s.PutShare(ctx, a.ID, g, []byte("a's second share"))
	p2 := sharesOf(t, s, tr.ID, g, p.Next)
	if len(p2.Shares) != 1 || string(p2.Shares[0].Blob) != "a's second share" || p2.Next != p.Next+1 {
		t.Errorf("after an update: %+v (cursor was %d)", p2, p.Next)
	}
	if p3 := sharesOf(t, s, tr.ID, g, p2.Next); len(p3.Shares) != 0 || p3.Next != p2.Next {
		t.Errorf("idle: %+v", p3)
	}
}

func testSharePages(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr := EnrolTrainer(t, s)
	g := NewGroup(t, s, tr.ID)
	NewCode(t, s, tr.ID, g, "PAGES1")
	var learners []relay.ID
	for range 5 {
		l := Enrol(t, s)
		JoinGroup(t, s, "PAGES1", l.ID)
		learners = append(learners, l.ID)
	}
	for i, l := range learners {
		if err := s.PutShare(ctx, l, g, fmt.Appendf(nil, "share %d..", i)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	after := uint64(0)
	for range 10 {
		p, err := s.Shares(ctx, relay.ShareQuery{Group: g, Trainer: tr.ID, After: after, MaxBytes: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range p.Shares {
			got = append(got, string(sh.Blob))
		}
		if len(p.Members) != 5 {
			t.Errorf("a page lists %d members, want all 5", len(p.Members))
		}
		after = p.Next
		if !p.More {
			break
		}
	}
	want := []string{"share 0..", "share 1..", "share 2..", "share 3..", "share 4.."}
	if !slices.Equal(got, want) {
		t.Errorf("paged shares: %q, want %q", got, want)
	}
	if after != 5 {
		t.Errorf("cursor %d, want 5", after)
	}
}

func testLeave(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr := EnrolTrainer(t, s)
	g := NewGroup(t, s, tr.ID)
	NewCode(t, s, tr.ID, g, "LEAVE1")
	a, b := Enrol(t, s), Enrol(t, s)
	JoinGroup(t, s, "LEAVE1", a.ID)
	mb := JoinGroup(t, s, "LEAVE1", b.ID)
	s.PutShare(ctx, a.ID, g, []byte("a"))
	s.PutShare(ctx, b.ID, g, []byte("b"))
	if err := s.Leave(ctx, a.ID, g); err != nil {
		t.Fatalf("leave: %v", err)
	}
	if err := s.Leave(ctx, a.ID, g); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("leave twice: got %v, want ErrNotFound", err)
	}
	p := sharesOf(t, s, tr.ID, g, 0)
	if len(p.Members) != 1 || p.Members[0] != mb.Member || len(p.Shares) != 1 || string(p.Shares[0].Blob) != "b" {
		t.Errorf("after a left: %+v", p)
	}
	if err := s.PutShare(ctx, a.ID, g, []byte("again")); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a share after leaving: got %v, want ErrNotFound", err)
	}
}

func testTrainerOffers(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr, co := EnrolTrainer(t, s), EnrolTrainer(t, s)
	g := NewGroup(t, s, tr.ID)
	offer := relay.TrainerOffer{Lookup: "COTRN1", Group: g, Verifier: secret, Blob: []byte("sealed key"), Expires: t0.Add(10 * time.Minute), Created: t0}
	if err := s.CreateTrainerOffer(ctx, co.ID, offer); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("an offer by someone who is not its trainer: got %v, want ErrNotFound", err)
	}
	if err := s.CreateTrainerOffer(ctx, tr.ID, offer); err != nil {
		t.Fatal(err)
	}
	for range relay.PairingTries - 1 {
		if _, err := s.ClaimTrainerOffer(ctx, "COTRN1", t0, wrong, co.ID); !errors.Is(err, relay.ErrUnauthorized) {
			t.Fatalf("wrong proof: got %v", err)
		}
	}
	got, err := s.ClaimTrainerOffer(ctx, "COTRN1", t0, right, co.ID)
	if err != nil || got.Group != g || string(got.Blob) != "sealed key" {
		t.Fatalf("claim: %+v, %v", got, err)
	}
	if _, err := s.ClaimTrainerOffer(ctx, "COTRN1", t0, right, co.ID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("claim twice: got %v, want ErrNotFound", err)
	}
	if _, err := s.Shares(ctx, relay.ShareQuery{Group: g, Trainer: co.ID, MaxBytes: 1}); err != nil {
		t.Errorf("the co-trainer reads the group: %v", err)
	}
	// Wrong proofs destroy an offer; an expired one is gone.
	s.CreateTrainerOffer(ctx, tr.ID, relay.TrainerOffer{Lookup: "COTRN2", Group: g, Verifier: secret, Blob: []byte("k"), Expires: t0.Add(time.Minute), Created: t0})
	for range relay.PairingTries {
		s.ClaimTrainerOffer(ctx, "COTRN2", t0, wrong, co.ID)
	}
	if _, err := s.ClaimTrainerOffer(ctx, "COTRN2", t0, right, co.ID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("after %d wrong proofs: got %v, want ErrNotFound", relay.PairingTries, err)
	}
	s.CreateTrainerOffer(ctx, tr.ID, relay.TrainerOffer{Lookup: "COTRN3", Group: g, Verifier: secret, Blob: []byte("k"), Expires: t0.Add(time.Minute), Created: t0})
	if _, err := s.ClaimTrainerOffer(ctx, "COTRN3", t0.Add(time.Minute), right, co.ID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("an expired offer: got %v, want ErrNotFound", err)
	}
}

func testAggregates(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr := EnrolTrainer(t, s)
	g1, g2 := NewGroup(t, s, tr.ID), NewGroup(t, s, tr.ID)
	put := func(g relay.ID, period, body string) {
		t.Helper()
		if err := s.PutAggregate(ctx, tr.ID, relay.Aggregate{Group: g, Period: period, Body: []byte(body), Updated: t0}); err != nil {
			t.Fatal(err)
		}
	}
	put(g1, "2026-02", "g1 feb")
	put(g1, "2026-03", "g1 mar")
	put(g2, "2026-03", "g2 mar old")
	put(g2, "2026-03", "g2 mar")
	list, err := s.Aggregates(ctx, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, a := range list {
		bodies = append(bodies, string(a.Body))
	}
	slices.Sort(bodies)
	if !slices.Equal(bodies, []string{"g1 mar", "g2 mar"}) {
		t.Errorf("march: %q", bodies)
	}
	periods, err := s.Periods(ctx)
	if err != nil || !slices.Equal(periods, []string{"2026-03", "2026-02"}) {
		t.Errorf("periods: %q, %v", periods, err)
	}
	// They outlive their group: the organisation's history.
	if err := s.DeleteGroup(ctx, tr.ID, g1); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Aggregates(ctx, "2026-02"); len(list) != 1 {
		t.Errorf("aggregates after the group was deleted: %d", len(list))
	}
}

func testAdminTokens(t *testing.T, s relay.Store) {
	ctx := context.Background()
	h := relay.HashOf("admin token")
	if err := s.CheckAdminToken(ctx, h); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("no token yet: got %v, want ErrUnauthorized", err)
	}
	if err := s.CreateAdminToken(ctx, h, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAdminToken(ctx, h); err != nil {
		t.Errorf("the token: %v", err)
	}
	if err := s.CheckAdminToken(ctx, relay.HashOf("admin tokeN")); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("a wrong token: got %v, want ErrUnauthorized", err)
	}
	if err := s.RevokeAdminTokens(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAdminToken(ctx, h); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("a revoked token: got %v, want ErrUnauthorized", err)
	}
}

func testDeleteLearnerGroups(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr, co := EnrolTrainer(t, s), EnrolTrainer(t, s)
	solo, shared := NewGroup(t, s, tr.ID), NewGroup(t, s, tr.ID)
	s.CreateTrainerOffer(ctx, tr.ID, relay.TrainerOffer{Lookup: "COTRN9", Group: shared, Verifier: secret, Blob: []byte("k"), Expires: t0.Add(time.Minute), Created: t0})
	if _, err := s.ClaimTrainerOffer(ctx, "COTRN9", t0, right, co.ID); err != nil {
		t.Fatal(err)
	}
	NewCode(t, s, co.ID, shared, "DELETE")
	le := Enrol(t, s)
	JoinGroup(t, s, "DELETE", le.ID)
	s.PutShare(ctx, le.ID, shared, []byte("le's share"))
	if err := s.DeleteLearner(ctx, le.ID); err != nil {
		t.Fatal(err)
	}
	if p := sharesOf(t, s, co.ID, shared, 0); len(p.Members) != 0 || len(p.Shares) != 0 {
		t.Errorf("a deleted learner is still a member: %+v", p)
	}
	if err := s.DeleteLearner(ctx, tr.ID); err != nil {
		t.Fatal(err)
	}
	// The group with a trainer left stays; the one with none goes.
	sharesOf(t, s, co.ID, shared, 0)
	if err := s.CreateTrainerOffer(ctx, co.ID, relay.TrainerOffer{Lookup: "COTRNX", Group: solo, Verifier: secret, Blob: []byte("k"), Expires: t0.Add(time.Minute), Created: t0}); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("the group of a deleted trainer: got %v, want ErrNotFound", err)
	}
}

func testPurgeGroups(t *testing.T, s relay.Store) {
	ctx := context.Background()
	tr := EnrolTrainer(t, s)
	g := NewGroup(t, s, tr.ID)
	NewCode(t, s, tr.ID, g, "PURGE1") // live a day
	s.CreateTrainerOffer(ctx, tr.ID, relay.TrainerOffer{Lookup: "PURGE2", Group: g, Verifier: secret, Blob: []byte("k"), Expires: t0.Add(time.Minute), Created: t0})
	if err := s.Purge(ctx, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	le := Enrol(t, s)
	if _, _, err := s.Join(ctx, relay.JoinRequest{Lookup: "PURGE1", Now: t0.Add(2 * time.Minute), Verify: right, Learner: le.ID, Member: relay.NewID()}); err != nil {
		t.Errorf("a live code after a purge: %v", err)
	}
	if _, err := s.ClaimTrainerOffer(ctx, "PURGE2", t0, right, tr.ID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a purged offer: got %v, want ErrNotFound", err)
	}
	if err := s.Purge(ctx, t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The lookup is free again once its code is gone.
	NewCode(t, s, tr.ID, g, "PURGE1")
}
