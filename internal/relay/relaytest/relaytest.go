// Package relaytest is the contract every relay.Store keeps: one suite
// that the SQLite and the PostgreSQL stores both run, on real databases.
package relaytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
)

// Open returns a new, empty store for one test; the suite closes it.
type Open func(t *testing.T) relay.Store

// t0 is the suite's clock: stores must not read the wall clock for
// anything the suite checks.
var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// Run runs the contract suite against stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, relay.Store)
	}{
		{"EnrolOpenAndWithInvite", testEnrol},
		{"AuthenticateAndLastSeen", testAuthenticate},
		{"DevicesLabelUnlink", testDevices},
		{"PushStoresAcknowledgesDuplicatesAndConflicts", testPushOutcomes},
		{"PushIsAllOrNothingOnInvalidChunks", testPushInvalid},
		{"PushQuota", testQuota},
		{"PullPagesExcludesOwnStreamAndReturnsOtherEpochs", testPull},
		{"PullNeverCrossesLearners", testPullIsolation},
		{"ConcurrentPushersAndPullerLoseNothing", testConcurrent},
		{"PairingOneUseExpiresAndDiesAfterWrongProofs", testPairing},
		{"PairingDeviceLimit", testPairingLimit},
		{"CouriersOnePerDeviceUnlistedGoneWithOwner", testCouriers},
		{"DeleteLearnerDeletesEverything", testDeleteLearner},
		{"Purge", testPurge},
	}
	tests = append(tests, groupTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

// Learner is a learner enrolled for a test, with its first device's token.
type Learner struct {
	ID     relay.ID
	Device relay.Device
	Token  string
}

// Enrol enrols a new learner with open enrolment.
func Enrol(t testing.TB, s relay.Store) Learner {
	t.Helper()
	d := NewDevice(relay.NewID())
	if err := s.Enrol(context.Background(), nil, d.Device); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return d
}

// NewDevice makes a device of learner with a fresh token.
func NewDevice(learner relay.ID) Learner {
	tok := relay.NewID().String() + relay.NewID().String()
	d := relay.Device{ID: relay.NewID(), Learner: learner, TokenHash: relay.HashOf(tok), Created: t0, Label: []byte("sealed-label")}
	return Learner{ID: learner, Device: d, Token: tok}
}

// Chunk makes a chunk of stream with a body that names it.
func Chunk(st relay.Stream, from, to uint64) relay.Chunk {
	return relay.Chunk{Stream: st, From: from, To: to, Body: fmt.Appendf(nil, "sealed %x/%x %d-%d", st.Device[:4], st.Epoch[:4], from, to)}
}

// NewStream returns a random stream.
func NewStream() relay.Stream { return relay.Stream{Device: relay.NewID(), Epoch: relay.NewID()} }

func push(t *testing.T, s relay.Store, learner relay.ID, chunks ...relay.Chunk) []relay.Outcome {
	t.Helper()
	out, err := s.Push(context.Background(), relay.Push{Learner: learner, Chunks: chunks, Now: t0})
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(out) != len(chunks) {
		t.Fatalf("push: %d outcomes for %d chunks", len(out), len(chunks))
	}
	return out
}

// pullAll pulls every page after `after` and returns the chunks.
func pullAll(t *testing.T, s relay.Store, q relay.Query) ([]relay.Chunk, uint64) {
	t.Helper()
	var all []relay.Chunk
	for range 10000 {
		p, err := s.Pull(context.Background(), q)
		if err != nil {
			t.Fatalf("pull: %v", err)
		}
		all = append(all, p.Chunks...)
		if p.More && p.Next <= q.After {
			t.Fatalf("pull: more to come, but the cursor went from %d to %d", q.After, p.Next)
		}
		q.After = p.Next
		if !p.More {
			return all, q.After
		}
	}
	t.Fatal("pull: more pages than chunks")
	return nil, 0
}

func query(learner relay.ID, exclude relay.Stream) relay.Query {
	return relay.Query{Learner: learner, Exclude: exclude, MaxCount: 100, MaxBytes: 1 << 20}
}

func ranges(cs []relay.Chunk) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%x:%d-%d", c.Stream.Device[:2], c.From, c.To))
	}
	return out
}

func testEnrol(t *testing.T, s relay.Store) {
	ctx := context.Background()
	code := relay.HashOf("INVITE-1")
	if err := s.CreateInvite(ctx, relay.Invite{Hash: code, Uses: 2, Expires: t0.Add(time.Hour), Created: t0}); err != nil {
		t.Fatalf("create invite: %v", err)
	}
	for i := range 2 {
		d := NewDevice(relay.NewID())
		if err := s.Enrol(ctx, &code, d.Device); err != nil {
			t.Fatalf("enrol %d with invite: %v", i, err)
		}
	}
	d := NewDevice(relay.NewID())
	if err := s.Enrol(ctx, &code, d.Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("enrol with a used-up invite: got %v, want ErrNotFound", err)
	}
	if _, err := s.Authenticate(ctx, d.Device.TokenHash, t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("a refused enrolment left a device: %v", err)
	}
	unknown := relay.HashOf("NOT-AN-INVITE")
	if err := s.Enrol(ctx, &unknown, NewDevice(relay.NewID()).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("enrol with an unknown invite: got %v, want ErrNotFound", err)
	}
	old := relay.HashOf("INVITE-OLD")
	if err := s.CreateInvite(ctx, relay.Invite{Hash: old, Uses: 5, Expires: t0.Add(-time.Second), Created: t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Enrol(ctx, &old, NewDevice(relay.NewID()).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("enrol with an expired invite: got %v, want ErrNotFound", err)
	}
	if err := s.CreateInvite(ctx, relay.Invite{Hash: relay.HashOf("X"), Uses: 0, Expires: t0.Add(time.Hour), Created: t0}); !errors.Is(err, relay.ErrInvalid) {
		t.Errorf("an invite with no uses: got %v, want ErrInvalid", err)
	}
	open := Enrol(t, s)
	got, err := s.Authenticate(ctx, open.Device.TokenHash, t0)
	if err != nil {
		t.Fatalf("authenticate after open enrolment: %v", err)
	}
	if got.ID != open.Device.ID || got.Learner != open.ID {
		t.Errorf("authenticate: got device %v of %v, want %v of %v", got.ID, got.Learner, open.Device.ID, open.ID)
	}
}

func testAuthenticate(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a := Enrol(t, s)
	if _, err := s.Authenticate(ctx, relay.HashOf("wrong"), t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("wrong token: got %v, want ErrUnauthorized", err)
	}
	later := t0.Add(3*time.Hour + 20*time.Minute)
	d, err := s.Authenticate(ctx, a.Device.TokenHash, later)
	if err != nil {
		t.Fatal(err)
	}
	want := later.Truncate(relay.LastSeenPrecision)
	if !d.LastSeen.Equal(want) {
		t.Errorf("last seen: got %v, want %v (to the hour)", d.LastSeen, want)
	}
	list, err := s.Devices(ctx, a.ID)
	if err != nil || len(list) != 1 || !list[0].LastSeen.Equal(want) {
		t.Errorf("devices after a request: got %+v, %v; want last seen %v", list, err, want)
	}
	if !list[0].Created.Equal(t0) {
		t.Errorf("created: got %v, want %v", list[0].Created, t0)
	}
}

func testDevices(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a, b := Enrol(t, s), Enrol(t, s)
	if err := s.SetLabel(ctx, a.ID, a.Device.ID, []byte("new label")); err != nil {
		t.Fatalf("set label: %v", err)
	}
	list, err := s.Devices(ctx, a.ID)
	if err != nil || len(list) != 1 || string(list[0].Label) != "new label" || list[0].ID != a.Device.ID {
		t.Fatalf("devices: got %+v, %v", list, err)
	}
	// Another learner's device is not found, and stays.
	if err := s.SetLabel(ctx, a.ID, b.Device.ID, []byte("x")); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("label another learner's device: got %v, want ErrNotFound", err)
	}
	if err := s.Unlink(ctx, a.ID, b.Device.ID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("unlink another learner's device: got %v, want ErrNotFound", err)
	}
	if _, err := s.Authenticate(ctx, b.Device.TokenHash, t0); err != nil {
		t.Errorf("b's device after a's attempts: %v", err)
	}
	if err := s.Unlink(ctx, a.ID, a.Device.ID); err != nil {
		t.Fatalf("unlink: %v", err)
	}
	if _, err := s.Authenticate(ctx, a.Device.TokenHash, t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("revoked token: got %v, want ErrUnauthorized", err)
	}
	if list, _ := s.Devices(ctx, a.ID); len(list) != 0 {
		t.Errorf("devices after unlink: %d", len(list))
	}
}

func testPushOutcomes(t *testing.T, s relay.Store) {
	a := Enrol(t, s)
	st := NewStream()
	c1, c2 := Chunk(st, 1, 10), Chunk(st, 11, 12)
	changed := c2
	changed.Body = []byte("another body")
	got := push(t, s, a.ID, c1, c2, c1, changed, Chunk(st, 5, 15), Chunk(st, 12, 12), Chunk(st, 13, 20))
	want := []relay.Outcome{relay.Stored, relay.Stored, relay.Duplicate, relay.Conflict, relay.Conflict, relay.Conflict, relay.Stored}
	if !slices.Equal(got, want) {
		t.Errorf("outcomes in one batch: got %v, want %v", got, want)
	}
	got = push(t, s, a.ID, c1, changed, Chunk(st, 9, 11), Chunk(st, 21, 21))
	want = []relay.Outcome{relay.Duplicate, relay.Conflict, relay.Conflict, relay.Stored}
	if !slices.Equal(got, want) {
		t.Errorf("outcomes in a later batch: got %v, want %v", got, want)
	}
	// The same range in another epoch or another learner is another chunk.
	other := relay.Stream{Device: st.Device, Epoch: relay.NewID()}
	if got := push(t, s, a.ID, Chunk(other, 1, 10)); got[0] != relay.Stored {
		t.Errorf("same range, new epoch: got %v, want Stored", got[0])
	}
	b := Enrol(t, s)
	if got := push(t, s, b.ID, changed); got[0] != relay.Stored {
		t.Errorf("same stream and range, other learner: got %v, want Stored", got[0])
	}
	all, _ := pullAll(t, s, query(a.ID, NewStream()))
	if want := []string{"1-10", "11-12", "13-20", "21-21", "1-10"}; len(all) != len(want) {
		t.Fatalf("stored: got %v, want ranges %v", ranges(all), want)
	}
	for i, c := range all {
		if c.Pos != uint64(i+1) {
			t.Errorf("chunk %d: position %d, want %d (gap-free)", i, c.Pos, i+1)
		}
		if !c.Received.Equal(t0) {
			t.Errorf("chunk %d: received %v, want %v", i, c.Received, t0)
		}
	}
	if !bytes.Equal(all[1].Body, c2.Body) {
		t.Errorf("a conflicting body replaced the stored one: %q", all[1].Body)
	}
	if _, err := s.Push(context.Background(), relay.Push{Learner: relay.NewID(), Chunks: []relay.Chunk{c1}, Now: t0}); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("push for an unknown learner: got %v, want ErrNotFound", err)
	}
}

func testPushInvalid(t *testing.T, s relay.Store) {
	a := Enrol(t, s)
	st := NewStream()
	for name, bad := range map[string]relay.Chunk{
		"from after to": Chunk(st, 5, 4),
		"zero from":     Chunk(st, 0, 4),
		"empty body":    {Stream: st, From: 1, To: 1},
		"huge seq":      Chunk(st, 1, relay.MaxSeq+1),
	} {
		_, err := s.Push(context.Background(), relay.Push{Learner: a.ID, Chunks: []relay.Chunk{Chunk(st, 1, 1), bad}, Now: t0})
		if !errors.Is(err, relay.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	if all, _ := pullAll(t, s, query(a.ID, NewStream())); len(all) != 0 {
		t.Errorf("a refused batch stored %v", ranges(all))
	}
}

func testQuota(t *testing.T, s relay.Store) {
	a := Enrol(t, s)
	st := NewStream()
	c := relay.Chunk{Stream: st, From: 1, To: 1, Body: bytes.Repeat([]byte{1}, 100)}
	d := relay.Chunk{Stream: st, From: 2, To: 2, Body: bytes.Repeat([]byte{2}, 100)}
	e := relay.Chunk{Stream: st, From: 3, To: 3, Body: bytes.Repeat([]byte{3}, 50)}
	out, err := s.Push(context.Background(), relay.Push{Learner: a.ID, Chunks: []relay.Chunk{c, d, e}, Now: t0, Quota: 150})
	if err != nil {
		t.Fatal(err)
	}
	if want := []relay.Outcome{relay.Stored, relay.OverQuota, relay.Stored}; !slices.Equal(out, want) {
		t.Errorf("quota: got %v, want %v", out, want)
	}
	out, err = s.Push(context.Background(), relay.Push{Learner: a.ID, Chunks: []relay.Chunk{c, d}, Now: t0, Quota: 150})
	if err != nil {
		t.Fatal(err)
	}
	if want := []relay.Outcome{relay.Duplicate, relay.OverQuota}; !slices.Equal(out, want) {
		t.Errorf("quota, later: got %v, want %v", out, want)
	}
}

func testPull(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a := Enrol(t, s)
	phone, laptop := NewStream(), NewStream()
	restored := relay.Stream{Device: phone.Device, Epoch: relay.NewID()}
	push(t, s, a.ID, Chunk(phone, 1, 3), Chunk(laptop, 1, 1), Chunk(phone, 4, 4), Chunk(laptop, 2, 9))
	// The laptop sees only the phone's chunks.
	got, next := pullAll(t, s, query(a.ID, laptop))
	if want := []string{fmt.Sprintf("%x:1-3", phone.Device[:2]), fmt.Sprintf("%x:4-4", phone.Device[:2])}; !slices.Equal(ranges(got), want) {
		t.Errorf("laptop pulls: got %v, want %v", ranges(got), want)
	}
	if next != 4 {
		t.Errorf("laptop's cursor: got %d, want 4 (past its own chunks)", next)
	}
	// Idle: nothing new, the cursor stays.
	p, err := s.Pull(ctx, relay.Query{Learner: a.ID, Exclude: laptop, After: next, MaxCount: 10, MaxBytes: 1000})
	if err != nil || len(p.Chunks) != 0 || p.More || p.Next != next {
		t.Errorf("idle pull: got %+v, %v", p, err)
	}
	// The phone, restored from a backup, is a new epoch: it gets back what
	// its old epoch pushed.
	got, _ = pullAll(t, s, query(a.ID, restored))
	if len(got) != 4 {
		t.Errorf("restored phone pulls %v, want all 4 chunks", ranges(got))
	}
	// Pages: by count, then by bytes; a chunk bigger than the byte cap still
	// comes, alone.
	for i := uint64(5); i < 25; i++ {
		push(t, s, a.ID, Chunk(phone, i, i))
	}
	big := relay.Chunk{Stream: phone, From: 25, To: 25, Body: bytes.Repeat([]byte("x"), 5000)}
	push(t, s, a.ID, big)
	q := relay.Query{Learner: a.ID, Exclude: laptop, After: next, MaxCount: 7, MaxBytes: 1 << 20}
	p, err = s.Pull(ctx, q)
	if err != nil || len(p.Chunks) != 7 || !p.More || p.Next != p.Chunks[6].Pos {
		t.Fatalf("page by count: got %d chunks, more %v, next %d, %v", len(p.Chunks), p.More, p.Next, err)
	}
	q.MaxCount, q.MaxBytes = 100, 3*len(Chunk(phone, 12, 12).Body)
	q.After = p.Next
	p, err = s.Pull(ctx, q)
	if err != nil || len(p.Chunks) != 3 || !p.More {
		t.Fatalf("page by bytes: got %d chunks, more %v, %v", len(p.Chunks), p.More, err)
	}
	rest, _ := pullAll(t, s, relay.Query{Learner: a.ID, Exclude: laptop, After: p.Next, MaxCount: 100, MaxBytes: 100})
	if len(rest) != 11 || rest[len(rest)-1].To != 25 || !bytes.Equal(rest[len(rest)-1].Body, big.Body) {
		t.Errorf("the rest in small pages: got %v", ranges(rest))
	}
	for i := 1; i < len(rest); i++ {
		if rest[i].Pos <= rest[i-1].Pos {
			t.Errorf("positions out of order: %d then %d", rest[i-1].Pos, rest[i].Pos)
		}
	}
	if _, err := s.Pull(ctx, query(relay.NewID(), laptop)); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("pull for an unknown learner: got %v, want ErrNotFound", err)
	}
}

func testPullIsolation(t *testing.T, s relay.Store) {
	a, b := Enrol(t, s), Enrol(t, s)
	st := NewStream()
	push(t, s, a.ID, Chunk(st, 1, 5))
	push(t, s, b.ID, Chunk(NewStream(), 1, 1), Chunk(NewStream(), 1, 1))
	// A cursor past the end is brought back to it.
	p, err := s.Pull(context.Background(), relay.Query{Learner: b.ID, After: 1 << 40, MaxCount: 10, MaxBytes: 1000})
	if err != nil || len(p.Chunks) != 0 || p.Next != 2 {
		t.Errorf("a cursor past the end: got %d chunks, next %d, %v; want none, next 2", len(p.Chunks), p.Next, err)
	}
	// Whatever cursor b forges, it sees only its own chunks.
	for _, after := range []uint64{0, 1, 2, 3, 1 << 40} {
		got, _ := pullAll(t, s, relay.Query{Learner: b.ID, After: after, MaxCount: 100, MaxBytes: 1 << 20})
		for _, c := range got {
			if c.Stream == st {
				t.Errorf("b, after %d, got a's chunk", after)
			}
		}
	}
}

func testConcurrent(t *testing.T, s relay.Store) { concurrent(t, s) }

// RunShared runs the concurrency contract across stores that share one
// database (as several server processes do): writers push through all of
// them at once and a reader pulls through each in turn, and every chunk
// must reach the reader exactly once, in position order.
func RunShared(t *testing.T, stores ...relay.Store) { concurrent(t, stores...) }

func concurrent(t *testing.T, stores ...relay.Store) {
	ctx := context.Background()
	s := stores[0]
	a := Enrol(t, s)
	reader := NewStream()
	const writers, batches, per = 6, 12, 3
	var wg sync.WaitGroup
	errs := make(chan error, writers+1)
	stop := make(chan struct{})
	var seen []relay.Chunk
	wg.Add(1)
	go func() { // a device pulling all along, as another device would
		defer wg.Done()
		var after uint64
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			p, err := stores[i%len(stores)].Pull(ctx, relay.Query{Learner: a.ID, Exclude: reader, After: after, MaxCount: 5, MaxBytes: 1 << 20})
			if err != nil {
				errs <- err
				return
			}
			seen = append(seen, p.Chunks...)
			after = p.Next
		}
	}()
	streams := make([]relay.Stream, writers)
	var pw sync.WaitGroup
	for w := range writers {
		streams[w] = NewStream()
		pw.Add(1)
		go func() {
			defer pw.Done()
			for i := range batches {
				var cs []relay.Chunk
				for j := range per {
					n := uint64(i*per + j + 1)
					cs = append(cs, Chunk(streams[w], n, n))
				}
				// Every batch twice: a retried request must change nothing.
				for k := range 2 {
					if _, err := stores[(w+k)%len(stores)].Push(ctx, relay.Push{Learner: a.ID, Chunks: cs, Now: t0}); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	pw.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Catch up after the writers stopped, from where the reader was.
	var after uint64
	if len(seen) > 0 {
		after = seen[len(seen)-1].Pos
	}
	rest, _ := pullAll(t, s, relay.Query{Learner: a.ID, Exclude: reader, After: after, MaxCount: 50, MaxBytes: 1 << 20})
	seen = append(seen, rest...)
	const total = writers * batches * per
	if len(seen) != total {
		t.Fatalf("the reader saw %d chunks, want %d exactly once", len(seen), total)
	}
	got := map[string]bool{}
	for i, c := range seen {
		if c.Pos != uint64(i+1) {
			t.Fatalf("chunk %d has position %d: a cursor skipped or repeated", i, c.Pos)
		}
		got[fmt.Sprintf("%v/%d", c.Stream, c.From)] = true
	}
	if len(got) != total {
		t.Errorf("distinct chunks: %d, want %d", len(got), total)
	}
}

func testPairing(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a := Enrol(t, s)
	right := relay.HashOf("proof")
	offer := relay.Pairing{Lookup: "K7QM2X", Learner: a.ID, Verifier: right, Blob: []byte("sealed key"), Expires: t0.Add(10 * time.Minute), Created: t0}
	if err := s.CreatePairing(ctx, offer); err != nil {
		t.Fatalf("create pairing: %v", err)
	}
	b := Enrol(t, s)
	clash := offer
	clash.Learner = b.ID
	if err := s.CreatePairing(ctx, clash); !errors.Is(err, relay.ErrConflict) {
		t.Errorf("a live lookup reused: got %v, want ErrConflict", err)
	}
	verify := func(h relay.Hash) bool { return h == right }
	wrong := func(relay.Hash) bool { return false }
	now := t0.Add(time.Minute)
	// Wrong proofs count; the last allowed one destroys the offer.
	for i := 1; i < relay.PairingTries; i++ {
		if _, err := s.ClaimPairing(ctx, offer.Lookup, now, wrong, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrUnauthorized) {
			t.Fatalf("wrong proof %d: got %v, want ErrUnauthorized", i, err)
		}
	}
	nd := NewDevice(relay.ID{})
	got, err := s.ClaimPairing(ctx, offer.Lookup, now, verify, nd.Device)
	if err != nil {
		t.Fatalf("right proof after %d wrong ones: %v", relay.PairingTries-1, err)
	}
	if got.Learner != a.ID || string(got.Blob) != "sealed key" {
		t.Errorf("claimed: got %+v", got)
	}
	d, err := s.Authenticate(ctx, nd.Device.TokenHash, now)
	if err != nil || d.Learner != a.ID {
		t.Errorf("the paired device: got %+v, %v; want a device of the learner", d, err)
	}
	if _, err := s.ClaimPairing(ctx, offer.Lookup, now, verify, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("second use: got %v, want ErrNotFound", err)
	}
	// Destroyed by wrong proofs.
	if err := s.CreatePairing(ctx, offer); err != nil {
		t.Fatal(err)
	}
	for i := range relay.PairingTries {
		if _, err := s.ClaimPairing(ctx, offer.Lookup, now, wrong, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrUnauthorized) {
			t.Fatalf("wrong proof %d: %v", i, err)
		}
	}
	if _, err := s.ClaimPairing(ctx, offer.Lookup, now, verify, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("after %d wrong proofs: got %v, want ErrNotFound", relay.PairingTries, err)
	}
	// Expired.
	if err := s.CreatePairing(ctx, offer); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimPairing(ctx, offer.Lookup, offer.Expires, verify, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("expired: got %v, want ErrNotFound", err)
	}
	// An expired lookup may be reused; a new offer replaces the learner's
	// earlier one.
	late := clash
	late.Created = offer.Expires
	late.Expires = offer.Expires.Add(10 * time.Minute)
	if err := s.CreatePairing(ctx, offer); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePairing(ctx, late); err != nil {
		t.Errorf("reuse an expired lookup: %v", err)
	}
	second := offer
	second.Lookup = "ZZZZZZ"
	second.Learner = b.ID
	if err := s.CreatePairing(ctx, second); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimPairing(ctx, late.Lookup, late.Created, verify, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("an offer replaced by the learner's newer one: got %v, want ErrNotFound", err)
	}
	if err := s.CreatePairing(ctx, relay.Pairing{Lookup: "NOBODY", Learner: relay.NewID(), Expires: t0.Add(time.Hour), Created: t0}); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("an offer for an unknown learner: got %v, want ErrNotFound", err)
	}
}

func testPairingLimit(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a := Enrol(t, s)
	right := relay.HashOf("p")
	verify := func(h relay.Hash) bool { return h == right }
	// A courier is not a device of the limit.
	if err := s.CreateCourier(ctx, a.Device, NewDevice(relay.ID{}).Device); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= relay.MaxDevices; i++ {
		if err := s.CreatePairing(ctx, relay.Pairing{Lookup: "L", Learner: a.ID, Verifier: right, Expires: t0.Add(time.Hour), Created: t0}); err != nil {
			t.Fatal(err)
		}
		_, err := s.ClaimPairing(ctx, "L", t0, verify, NewDevice(relay.ID{}).Device)
		if i < relay.MaxDevices && err != nil {
			t.Fatalf("device %d: %v", i+1, err)
		}
		if i == relay.MaxDevices && !errors.Is(err, relay.ErrLimit) {
			t.Fatalf("device %d: got %v, want ErrLimit", i+1, err)
		}
	}
	if list, _ := s.Devices(ctx, a.ID); len(list) != relay.MaxDevices {
		t.Errorf("devices: %d, want %d", len(list), relay.MaxDevices)
	}
}

func testDeleteLearner(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a, b := Enrol(t, s), Enrol(t, s)
	push(t, s, a.ID, Chunk(NewStream(), 1, 3))
	push(t, s, b.ID, Chunk(NewStream(), 1, 3))
	if err := s.CreatePairing(ctx, relay.Pairing{Lookup: "AAAAAA", Learner: a.ID, Expires: t0.Add(time.Hour), Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLearner(ctx, a.ID); err != nil {
		t.Fatalf("delete learner: %v", err)
	}
	if _, err := s.Authenticate(ctx, a.Device.TokenHash, t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("a deleted learner's device: got %v, want ErrUnauthorized", err)
	}
	if _, err := s.Pull(ctx, query(a.ID, NewStream())); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a deleted learner's chunks: got %v, want ErrNotFound", err)
	}
	if _, err := s.ClaimPairing(ctx, "AAAAAA", t0, func(relay.Hash) bool { return true }, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a deleted learner's pairing: got %v, want ErrNotFound", err)
	}
	if got, _ := pullAll(t, s, query(b.ID, NewStream())); len(got) != 1 {
		t.Errorf("the other learner lost chunks: %v", ranges(got))
	}
	if err := s.DeleteLearner(ctx, a.ID); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
}

func testPurge(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a := Enrol(t, s)
	if err := s.CreatePairing(ctx, relay.Pairing{Lookup: "OLD", Learner: a.ID, Expires: t0.Add(time.Minute), Created: t0}); err != nil {
		t.Fatal(err)
	}
	code := relay.HashOf("OLD-INVITE")
	if err := s.CreateInvite(ctx, relay.Invite{Hash: code, Uses: 1, Expires: t0.Add(time.Minute), Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Purge(ctx, t0.Add(2*time.Minute)); err != nil {
		t.Fatalf("purge: %v", err)
	}
	// Gone even for a clock that went back.
	if _, err := s.ClaimPairing(ctx, "OLD", t0, func(relay.Hash) bool { return true }, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("purged pairing: got %v, want ErrNotFound", err)
	}
	d := NewDevice(relay.NewID())
	d.Device.Created = t0
	if err := s.Enrol(ctx, &code, d.Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("purged invite: got %v, want ErrNotFound", err)
	}
}

func testCouriers(t *testing.T, s relay.Store) {
	ctx := context.Background()
	a, b := Enrol(t, s), Enrol(t, s)
	first := NewDevice(relay.ID{})
	if err := s.CreateCourier(ctx, a.Device, first.Device); err != nil {
		t.Fatalf("create courier: %v", err)
	}
	got, err := s.Authenticate(ctx, first.Device.TokenHash, t0)
	if err != nil {
		t.Fatalf("authenticate the courier: %v", err)
	}
	if !got.Courier() || got.Owner != a.Device.ID || got.Learner != a.ID {
		t.Errorf("the courier authenticates as %+v, want a courier of %v owned by %v", got, a.ID, a.Device.ID)
	}
	if own, err := s.Authenticate(ctx, a.Device.TokenHash, t0); err != nil || own.Courier() {
		t.Errorf("the learner's own device: courier %v, %v", own.Courier(), err)
	}
	// A second courier replaces the first: one a device.
	second := NewDevice(relay.ID{})
	if err := s.CreateCourier(ctx, a.Device, second.Device); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, first.Device.TokenHash, t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("the replaced courier: got %v, want ErrUnauthorized", err)
	}
	// Not listed, not counted against the device limit.
	if list, _ := s.Devices(ctx, a.ID); len(list) != 1 || list[0].ID != a.Device.ID {
		t.Errorf("devices lists couriers: %+v", list)
	}
	// A courier makes none; an unknown owner, or one of another learner, none.
	courier, _ := s.Authenticate(ctx, second.Device.TokenHash, t0)
	if err := s.CreateCourier(ctx, courier, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrInvalid) {
		t.Errorf("a courier making a courier: got %v, want ErrInvalid", err)
	}
	forged := a.Device
	forged.Learner = b.ID
	if err := s.CreateCourier(ctx, forged, NewDevice(relay.ID{}).Device); !errors.Is(err, relay.ErrNotFound) {
		t.Errorf("a courier for a device under another learner: got %v, want ErrNotFound", err)
	}
	// The courier goes with its owner.
	right := relay.HashOf("p")
	if err := s.CreatePairing(ctx, relay.Pairing{Lookup: "C", Learner: a.ID, Verifier: right, Expires: t0.Add(time.Hour), Created: t0}); err != nil {
		t.Fatal(err)
	}
	phone := NewDevice(relay.ID{})
	if _, err := s.ClaimPairing(ctx, "C", t0, func(h relay.Hash) bool { return h == right }, phone.Device); err != nil {
		t.Fatal(err)
	}
	if err := s.Unlink(ctx, a.ID, a.Device.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, second.Device.TokenHash, t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("the courier of an unlinked device still works: %v", err)
	}
	// And with its learner.
	phoneCourier := NewDevice(relay.ID{})
	phone.Device.Learner = a.ID
	if err := s.CreateCourier(ctx, phone.Device, phoneCourier.Device); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLearner(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, phoneCourier.Device.TokenHash, t0); !errors.Is(err, relay.ErrUnauthorized) {
		t.Errorf("the courier of a deleted learner still works: %v", err)
	}
}
