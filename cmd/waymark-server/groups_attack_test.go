package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/safety"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// groupSetup is a server with open enrolment and a movable clock; a
// group made by a trainer through the protocol itself (raw: the test holds
// that trainer's token and the group's key), whose key the trainer's
// profile (tr) then took with a co-trainer code; a join code; and learners
// who joined.
type groupSetup struct {
	m        *Main
	clock    *clock
	raw      *syncclient.Conn
	key      group.PrivateKey
	tr       *syncclient.Trainer
	group    string
	code     syncclient.JoinOffer
	learners []*learnerDevice
}

func setupGroup(t *testing.T, joined int) *groupSetup {
	t.Helper()
	cheapCodes(t)
	ctx := context.Background()
	s := &groupSetup{clock: &clock{t: time.Now()}}
	s.m = start(t, func(m *Main) { m.Now = s.clock.Now })
	s.raw = dial(t, s.m, "")
	if _, err := s.raw.EnrolTrainer(ctx, ""); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.group, err = s.raw.CreateGroup(ctx); err != nil {
		t.Fatal(err)
	}
	s.key = group.NewKey()
	if s.code, err = s.raw.CreateJoinCode(ctx, group.Info{ID: s.group, Name: "Thursday group", Public: s.key.Public()}, 0); err != nil {
		t.Fatal(err)
	}
	s.tr = newTrainer(t, t.TempDir(), nil)
	if err := s.tr.CreateProfile(ctx, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if err := s.tr.Connect(ctx, s.m.URL(), "", ""); err != nil {
		t.Fatal(err)
	}
	offer, err := s.raw.OfferCoTrainer(ctx, group.Keyed{ID: s.group, Name: "Thursday group", Private: s.key})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := s.tr.CoTrain(ctx, offer.Code); err != nil || g.ID != s.group || g.Name != "Thursday group" {
		t.Fatalf("co-train: %+v, %v", g, err)
	}
	for i := range joined {
		d := newLearner(t, t.TempDir())
		if err := d.svc.Join(ctx, s.m.URL(), "", ""); err != nil {
			t.Fatal(err)
		}
		d.nick = []string{"Amber", "Birch", "Cedar", "Daisy"}[i]
		if err := d.svc.JoinGroup(ctx, s.code.Code, d.nick); err != nil {
			t.Fatal(err)
		}
		s.learners = append(s.learners, d)
	}
	return s
}

// token returns a learner device's bearer token, as an attacker who holds
// that device has it.
func (d *learnerDevice) token(t *testing.T) string {
	t.Helper()
	var acct syncclient.Account
	if ok, err := d.db.LoadSealed(context.Background(), "sync.account", &acct); !ok || err != nil {
		t.Fatalf("the device's account: %v", err)
	}
	return acct.Token
}

func groupCall(t *testing.T, m *Main, method, path, token string, body []byte) (int, syncapi.Error, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, m.URL()+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	var e syncapi.Error
	json.Unmarshal(out, &e)
	return resp.StatusCode, e, out
}

// TestAttackAnotherLearnerReadsShares: a member of the group, a learner of
// no group, and another group's trainer each try to read the group's
// shares, or put one in it: all are refused, and what they did get never
// opens without the group's key.
func TestAttackAnotherLearnerReadsShares(t *testing.T) {
	s := setupGroup(t, 2)
	ctx := context.Background()
	member := s.learners[0].token(t)
	path := syncapi.PathGroups + "/" + s.group + syncapi.GroupShares
	if st, e, _ := groupCall(t, s.m, http.MethodGet, path, member, nil); st != http.StatusForbidden || e.Code != syncapi.CodeNotTrainer {
		t.Errorf("a member reads the shares: %d %s", st, e.Code)
	}
	other := newTrainer(t, t.TempDir(), nil)
	other.CreateProfile(ctx, "another long passphrase here")
	if err := other.Connect(ctx, s.m.URL(), "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CreateGroup(ctx, "Their own group"); err != nil {
		t.Fatal(err)
	}
	// The other trainer's token, as the other trainer has it.
	otherConn := dial(t, s.m, "")
	e, err := otherConn.EnrolTrainer(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if st, ee, _ := groupCall(t, s.m, http.MethodGet, path, e.Token, nil); st != http.StatusNotFound || ee.Code != syncapi.CodeNotFound {
		t.Errorf("another trainer reads the shares: %d %s", st, ee.Code)
	}
	// A learner of no group puts a share in it.
	outsider := newLearner(t, t.TempDir())
	if err := outsider.svc.Join(ctx, s.m.URL(), "", ""); err != nil {
		t.Fatal(err)
	}
	sharePath := syncapi.PathGroups + "/" + s.group + syncapi.GroupShare
	if st, ee, _ := groupCall(t, s.m, http.MethodPut, sharePath, outsider.token(t), []byte("spam")); st != http.StatusNotFound {
		t.Errorf("an outsider puts a share: %d %s", st, ee.Code)
	}
	// A member seals a share as another member (the AD of someone else):
	// the trainer's app does not take it as theirs, nor as anyone's.
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	before := s.tr.Members(s.group)
	if len(before) != 2 {
		t.Fatalf("%d members before", len(before))
	}
	forged, _ := group.Share{Consent: 1, Nickname: "Birch", LastActive: "2026-01-01", Done: []group.LessonDay{{Lesson: "forged-lesson", Day: "2026-01-01"}}}.
		Seal(s.key.Public(), s.group, memberOf(t, before, "Birch"))
	if st, _, _ := groupCall(t, s.m, http.MethodPut, sharePath, member, forged); st != http.StatusNoContent {
		t.Fatalf("the member's own put: %d", st)
	}
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range s.tr.Members(s.group) {
		for _, d := range m.Share.Done {
			if d.Lesson == "forged-lesson" {
				t.Errorf("a forged share was taken, as %q", m.Share.Nickname)
			}
		}
	}
	if g := s.tr.Groups()[0]; g.Unreadable != 1 {
		t.Errorf("the forged share is not counted as unreadable: %+v", g)
	}
}

func memberOf(t *testing.T, ms []group.Member, nick string) string {
	t.Helper()
	for _, m := range ms {
		if m.Share.Nickname == nick {
			return m.ID
		}
	}
	t.Fatalf("no member %s", nick)
	return ""
}

// TestAttackServerSwapsGroupKey: a server (here a proxy in front of the
// real one) answers a learner's join with a blob of its own, holding its
// own public key under the same group id, so that it could read what the
// learner shares. The learner's app refuses to join, and shares nothing.
func TestAttackServerSwapsGroupKey(t *testing.T) {
	s := setupGroup(t, 0)
	serverKey := group.NewKey()
	target, _ := url.Parse(s.m.URL())
	var swapped int
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequest(r.Method, target.String()+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if r.URL.Path == syncapi.PathJoin && resp.StatusCode == http.StatusOK {
			var j syncapi.Joined
			var jr syncapi.JoinRequest
			json.Unmarshal(out, &j)
			json.Unmarshal(body, &jr)
			// The server knows the lookup, never the secret: it seals its
			// own info under a code it makes up with the same lookup.
			k, _ := group.Derive(group.Join, jr.Lookup+"ZZZZZZZZZZ")
			j.Blob = k.SealInfo(group.Info{ID: j.Group, Name: "Thursday group", Public: serverKey.Public()})
			out, _ = json.Marshal(j)
			swapped++
		}
		for k, v := range resp.Header {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(out)
	}))
	defer proxy.Close()
	ctx := context.Background()
	d := newLearner(t, t.TempDir())
	if err := d.svc.Join(ctx, proxy.URL, "", ""); err != nil {
		t.Fatal(err)
	}
	d.doLesson(t, &learn.Lesson{ID: "scam-messages", Steps: []learn.Step{{ID: "q1", Kind: learn.KindChoice}}}, 0, true, time.Now())
	if _, err := d.svc.PreviewGroup(ctx, s.code.Code); !errors.Is(err, group.ErrSeal) {
		t.Errorf("preview with the server's key: got %v, want ErrSeal", err)
	}
	if err := d.svc.JoinGroup(ctx, s.code.Code, "Elm"); !errors.Is(err, group.ErrSeal) {
		t.Errorf("join with the server's key: got %v, want ErrSeal", err)
	}
	if swapped < 2 {
		t.Fatalf("the proxy swapped %d answers", swapped)
	}
	if list, _ := d.svc.Groups(ctx); len(list) != 0 {
		t.Errorf("the learner keeps a group with the server's key: %+v", list)
	}
	d.syncNow(t)
	// Nothing was ever put: the trainer has no share from them.
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.tr.Members(s.group)); n != 0 {
		t.Errorf("the trainer has %d shares", n)
	}
}

// TestAttackLeftLearnersData: after a learner leaves, the server's file no
// longer holds what they shared, the trainer's app drops it at its next
// refresh, and the learner's device can put nothing more there.
func TestAttackLeftLearnersData(t *testing.T) {
	s := setupGroup(t, 2)
	ctx := context.Background()
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.tr.Members(s.group)); n != 2 {
		t.Fatalf("%d members", n)
	}
	// The sealed share as the server holds it.
	blob := serverShare(t, s, "Amber")
	leaver := s.learners[0]
	if err := leaver.svc.LeaveGroup(ctx, s.group); err != nil {
		t.Fatal(err)
	}
	if file := readAll(t, s.m.DB); bytes.Contains(file, blob) {
		t.Error("the server's file still holds the left learner's share")
	}
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range s.tr.Members(s.group) {
		if m.Share.Nickname == "Amber" {
			t.Error("the trainer's app keeps the left learner's share")
		}
	}
	sharePath := syncapi.PathGroups + "/" + s.group + syncapi.GroupShare
	if st, _, _ := groupCall(t, s.m, http.MethodPut, sharePath, leaver.token(t), []byte("again")); st != http.StatusNotFound {
		t.Errorf("a put after leaving: %d", st)
	}
	leaver.doLesson(t, &learn.Lesson{ID: "scam-messages", Steps: []learn.Step{{ID: "q1", Kind: learn.KindChoice}}}, 0, true, time.Now())
	leaver.syncNow(t)
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.tr.Members(s.group)); n != 1 {
		t.Errorf("%d members after a sync of the learner who left", n)
	}
}

// serverShare returns the sealed share the server holds for a nickname,
// as the group's trainer reads it.
func serverShare(t *testing.T, s *groupSetup, nick string) []byte {
	t.Helper()
	id := memberOf(t, s.tr.Members(s.group), nick)
	p, err := s.raw.Shares(context.Background(), s.group, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range p.Shares {
		if sh.Member == id && len(sh.Blob) > 40 {
			return sh.Blob
		}
	}
	t.Fatalf("no share of %s on the server", nick)
	return nil
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, f := range sqlite.Files(path) {
		b, _ := os.ReadFile(f)
		all = append(all, b...)
	}
	return all
}

// TestAttackRevokedJoinCode: a revoked code, an expired one, a wrong
// secret, and a co-trainer code used as a join code all fail, the same
// way, and join no one.
func TestAttackRevokedJoinCode(t *testing.T) {
	s := setupGroup(t, 0)
	ctx := context.Background()
	d := newLearner(t, t.TempDir())
	if err := d.svc.Join(ctx, s.m.URL(), "", ""); err != nil {
		t.Fatal(err)
	}
	wrong := s.code.Code[:len(s.code.Code)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(s.code.Code, "0")]
	if err := d.svc.JoinGroup(ctx, wrong, "Fern"); syncclient.CodeOf(err) != syncapi.CodeJoinFailed {
		t.Errorf("a wrong secret: got %v, want join_failed", err)
	}
	if err := s.tr.RevokeJoinCode(ctx, s.group, s.code.Lookup); err != nil {
		t.Fatal(err)
	}
	if err := d.svc.JoinGroup(ctx, s.code.Code, "Fern"); syncclient.CodeOf(err) != syncapi.CodeJoinFailed {
		t.Errorf("a revoked code: got %v, want join_failed", err)
	}
	if _, err := d.svc.PreviewGroup(ctx, s.code.Code); syncclient.CodeOf(err) != syncapi.CodeJoinFailed {
		t.Errorf("a revoked code's preview: got %v, want join_failed", err)
	}
	co, err := s.tr.OfferCoTrainer(ctx, s.group)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.svc.JoinGroup(ctx, co.Code, "Fern"); syncclient.CodeOf(err) != syncapi.CodeJoinFailed {
		t.Errorf("a co-trainer code used to join: got %v, want join_failed", err)
	}
	// An expired code: a new one, and the server's clock a week on.
	fresh, err := s.tr.NewJoinCode(ctx, s.group, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(2 * time.Hour)
	if err := d.svc.JoinGroup(ctx, fresh.Code, "Fern"); syncclient.CodeOf(err) != syncapi.CodeJoinFailed {
		t.Errorf("an expired code: got %v, want join_failed", err)
	}
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.tr.Members(s.group)); n != 0 {
		t.Errorf("%d members joined with dead codes", n)
	}
}

// TestAttackWrongAdminToken: the admin area refuses a missing token, a
// wrong one, a device's token, and one in a cookie that is not an admin
// token; it shows the totals only with the right one. (The page in a real
// browser: TestAdminPageInChromium.)
func TestAttackWrongAdminToken(t *testing.T) {
	m := start(t, nil)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if rc := adminToken(ctx, []string{"--db", m.DB}, &out, &errOut); rc != 0 {
		t.Fatalf("admin-token: %d %s", rc, errOut.String())
	}
	tok := strings.TrimSpace(out.String())
	if len(tok) != 43 {
		t.Fatalf("admin token %q", tok)
	}
	dev := enrol(t, m).conn.Token()
	get := func(path, bearer, cookie string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, m.URL()+path, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "waymark_admin", Value: cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for name, try := range map[string][2]string{
		"no token":           {"", ""},
		"a wrong token":      {strings.Repeat("A", 43), ""},
		"a device's token":   {dev, ""},
		"a wrong cookie":     {"", strings.Repeat("B", 43)},
		"the token, changed": {tok[:42] + map[bool]string{true: "B", false: "A"}[tok[42] == 'A'], ""},
	} {
		for _, path := range []string{"/admin/", "/admin/totals.csv"} {
			st, body := get(path, try[0], try[1])
			if st != http.StatusUnauthorized || strings.Contains(body, "Learners active") {
				t.Errorf("%s at %s: %d, totals shown: %v", name, path, st, strings.Contains(body, "Learners active"))
			}
		}
	}
	if st, body := get("/admin/", tok, ""); st != http.StatusOK || !strings.Contains(body, "Learners active") {
		t.Errorf("the right token: %d", st)
	}
	if st, body := get("/admin/totals.csv", "", tok); st != http.StatusOK || !strings.HasPrefix(body, "Section,Measure,Detail,Count") {
		t.Errorf("the CSV with the right cookie: %d %q", st, body[:min(40, len(body))])
	}
	// Revoked: refused again.
	if rc := adminToken(ctx, []string{"--db", m.DB, "--revoke-all"}, &out, &errOut); rc != 0 {
		t.Fatal(errOut.String())
	}
	if st, _ := get("/admin/", tok, ""); st != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", st)
	}
}

// TestAttackLearnerActsAsTrainer: a learner's account cannot make a group,
// take a co-trainer code, or upload aggregates; a trainer cannot upload a
// small count, a name, or a field the protocol does not have.
func TestAttackLearnerActsAsTrainer(t *testing.T) {
	s := setupGroup(t, 1)
	ctx := context.Background()
	learner := s.learners[0].token(t)
	if st, e, _ := groupCall(t, s.m, http.MethodPost, syncapi.PathGroups, learner, []byte("{}")); st != http.StatusForbidden || e.Code != syncapi.CodeNotTrainer {
		t.Errorf("a learner makes a group: %d %s", st, e.Code)
	}
	agg := report.Build(report.Input{}, report.Params{}).Aggregate()
	body, _ := json.Marshal(agg)
	aggPath := syncapi.PathGroups + "/" + s.group + syncapi.GroupAggs + "/2026-03"
	if st, e, _ := groupCall(t, s.m, http.MethodPut, aggPath, learner, body); st != http.StatusForbidden || e.Code != syncapi.CodeNotTrainer {
		t.Errorf("a learner uploads an aggregate: %d %s", st, e.Code)
	}
	co, err := s.tr.OfferCoTrainer(ctx, s.group)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := group.Derive(group.CoTrainer, co.Code)
	claim, _ := json.Marshal(syncapi.CoTrainRequest{Lookup: k.Lookup, Proof: k.Proof[:]})
	if st, e, _ := groupCall(t, s.m, http.MethodPost, syncapi.PathCoTrain, learner, claim); st != http.StatusForbidden || e.Code != syncapi.CodeNotTrainer {
		t.Errorf("a learner takes a co-trainer code: %d %s", st, e.Code)
	}
	// The trainer's own token, with a modified app's uploads.
	tok := s.raw.Token()
	three := 3
	small := syncapi.Aggregate{Version: 1, Rows: []syncapi.AggregateRow{{Measure: "lessons_completed", N: &three}}}
	body, _ = json.Marshal(small)
	if st, e, _ := groupCall(t, s.m, http.MethodPut, aggPath, tok, body); st != http.StatusBadRequest || e.Code != syncapi.CodeBadAggregate {
		t.Errorf("a count of 3: %d %s", st, e.Code)
	}
	extra := []byte(`{"v":1,"rows":[],"nicknames":["Amber"]}`)
	if st, _, _ := groupCall(t, s.m, http.MethodPut, aggPath, tok, extra); st != http.StatusNoContent {
		t.Fatalf("an aggregate with an extra field: %d", st)
	}
	if bytes.Contains(readAll(t, s.m.DB), []byte("Amber")) {
		t.Error("the server kept a field the protocol does not have")
	}
}

// TestAttackTrainerPassphraseGuessing: someone at the trainer's laptop
// guesses the trainer profile's passphrase. Every try is counted before it
// is checked and kept in the profile's file (closing the app gives no free
// tries); after three, each waits longer, and during a wait a try is not
// even checked, the right passphrase included. The wait runs on a clock
// no one can set; a new boot does not skip it.
func TestAttackTrainerPassphraseGuessing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mono := safety.Instant{Boot: "boot-1", Mono: time.Hour}
	open := func() *syncclient.Trainer {
		tr := newTrainer(t, dir, nil)
		tr.Mono = func() safety.Instant { return mono }
		return tr
	}
	tr := open()
	if err := tr.CreateProfile(ctx, "short"); err == nil {
		t.Fatal("a weak passphrase was taken")
	}
	if err := tr.CreateProfile(ctx, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	tr.CloseProfile()
	for i := range 3 {
		tr = open() // the app closed and opened again each time
		if _, err := tr.OpenProfile(ctx, fmt.Sprintf("guess number %d!", i)); !errors.Is(err, lockbox.ErrWrong) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	tr = open()
	wait, err := tr.OpenProfile(ctx, "correct horse battery staple")
	if !errors.Is(err, safety.ErrWaiting) || wait <= 0 {
		t.Fatalf("the right passphrase during the wait: %v (wait %v), want it not checked", err, wait)
	}
	if tr.IsOpen() {
		t.Fatal("the profile opened during a wait")
	}
	mono.Boot = "boot-2" // a reboot restarts the wait in full, never skips it
	if _, err := open().OpenProfile(ctx, "correct horse battery staple"); !errors.Is(err, safety.ErrWaiting) {
		t.Fatalf("after a reboot: %v, want a wait", err)
	}
	mono.Mono += 10 * time.Minute
	tr = open()
	if _, err := tr.OpenProfile(ctx, "correct horse battery staple"); err != nil || !tr.IsOpen() {
		t.Fatalf("after the wait, the right passphrase: %v", err)
	}
}

// TestAttackOldTrainerPassphrase: a trainer changes a passphrase someone
// saw. A wrong current passphrase changes nothing (and is counted); after
// the change, the old passphrase opens nothing: not the profile, and
// reads nothing of the profile as it is now with the old lock and keyring
// put back from a copy made before (the whole profile is sealed again
// under a new keyring); no byte of the old lock or keyring is left in the
// file. The
// groups and the hub's key are what they were.
func TestAttackOldTrainerPassphrase(t *testing.T) {
	s := setupGroup(t, 0)
	ctx := context.Background()
	const seen, fresh = "correct horse battery staple", "lantern harbour forty two"
	dir := t.TempDir()
	path := filepath.Join(dir, "trainer.db")
	tr := newTrainer(t, dir, nil)
	if err := tr.CreateProfile(ctx, seen); err != nil {
		t.Fatal(err)
	}
	if err := tr.Connect(ctx, s.m.URL(), "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.CreateGroup(ctx, "Friday group"); err != nil {
		t.Fatal(err)
	}
	hub, err := tr.HubKey()
	if err != nil {
		t.Fatal(err)
	}
	prefsOf := func(path string) map[string]string {
		t.Helper()
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		p, err := db.Prefs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := prefsOf(path)
	if old["trainer.lock"] == "" || old["trainer.ring"] == "" {
		t.Fatalf("no lock or keyring in %v", slices.Collect(maps.Keys(old)))
	}

	if _, err := tr.ChangePassphrase(ctx, "a guess at the passphrase", fresh); !errors.Is(err, lockbox.ErrWrong) {
		t.Fatalf("a wrong current passphrase: %v", err)
	}
	if _, err := tr.ChangePassphrase(ctx, seen, "short"); !errors.Is(err, learn.ErrInvalid) {
		t.Fatalf("a weak new passphrase: %v", err)
	}
	if _, err := tr.ChangePassphrase(ctx, seen, fresh); err != nil {
		t.Fatal(err)
	}
	if again, err := tr.HubKey(); err != nil || again != hub {
		t.Errorf("the hub's key changed with the passphrase (%v): progress waiting on the hub would be lost", err)
	}
	if gs := tr.Groups(); len(gs) != 1 || gs[0].Name != "Friday group" {
		t.Errorf("groups after the change: %+v", gs)
	}
	file := readAll(t, path)
	for _, k := range []string{"trainer.lock", "trainer.ring"} {
		if bytes.Contains(file, []byte(old[k])) {
			t.Errorf("the old %s is still in the file", k)
		}
	}

	// The old lock and keyring put back into a copy of the file as it is
	// now: the old passphrase opens the old keyring, which opens nothing.
	tr.CloseProfile()
	copyDir := t.TempDir()
	for i, f := range sqlite.Files(path) {
		if b, err := os.ReadFile(f); err == nil {
			os.WriteFile(sqlite.Files(filepath.Join(copyDir, "trainer.db"))[i], b, 0o600)
		}
	}
	db, err := sqlite.Open(ctx, filepath.Join(copyDir, "trainer.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetPrefs(ctx, map[string]string{"trainer.lock": old["trainer.lock"], "trainer.ring": old["trainer.ring"]}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	attacker := newTrainer(t, copyDir, nil)
	if _, err := attacker.OpenProfile(ctx, seen); err == nil {
		// The old keyring unlocks the store but reads nothing in it: no
		// group, no account. (It still works out the hub's key, which the
		// change keeps, so that progress waiting on the hub is passed on:
		// the copy from before gave that already. See ChangePassphrase.)
		if gs, srv := attacker.Groups(), attacker.Server(); len(gs) > 0 || srv != "" {
			t.Errorf("the old keyring reads the profile: groups %+v, server %q", gs, srv)
		}
		attacker.CloseProfile()
	}

	// The file as it is now, copied after the change, with the old
	// passphrase: refused.
	if _, err := tr.OpenProfile(ctx, seen); !errors.Is(err, lockbox.ErrWrong) {
		t.Errorf("the old passphrase: %v", err)
	}
	if _, err := tr.OpenProfile(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if gs := tr.Groups(); len(gs) != 1 {
		t.Errorf("groups after opening with the new passphrase: %+v", gs)
	}
	if again, _ := tr.HubKey(); again != hub {
		t.Error("the hub's key changed after opening again")
	}
}
