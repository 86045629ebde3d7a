package hub_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// syncedThroughHub sets a device up with its own server, joins the
// hub's session and syncs events through the hub.
func syncedThroughHub(t *testing.T, srv *central, appAddr, appCode string, events ...learn.Event) *device {
	t.Helper()
	ctx := context.Background()
	d := newDevice(t)
	if err := d.svc.Join(ctx, srv.url, srv.pin, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the courier", func() bool { return d.hasCourier(t) })
	u, _ := syncclient.HubURL(appAddr)
	_, fp, _ := room.SplitAppCode(appCode)
	if err := d.svc.JoinHub(ctx, u, fp, appCode); err != nil {
		t.Fatal(err)
	}
	d.record(t, events...)
	if err := d.svc.LeaveHub(ctx, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAttackHubReadsNothing: a hub holds learners' progress that it
// cannot read. Its files hold no lesson, answer or note of theirs, no
// learner key, no device token of their own server, and the couriers'
// tokens only sealed; no key the hub holds opens a chunk.
func TestAttackHubReadsNothing(t *testing.T) {
	ctx := context.Background()
	lesson, facts := demoLesson(t)
	srv := startCentral(t)
	hubKey := lockbox.NewKey()
	h, store := startHub(t, facts, nil, &hubKey)
	if _, err := h.Begin(ctx, lesson); err != nil {
		t.Fatal(err)
	}
	reach := h.Reach()
	appAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort))
	d := syncedThroughHub(t, srv, appAddr, reach.AppCode,
		learn.Event{Kind: learn.EventAnswered, Lesson: "canary-lesson-qx7", Step: "canary-step-z9", Answer: []string{"canary-answer-k2"}},
		learn.Event{Kind: learn.EventNickname, Data: "canary nickname: met the caseworker"})
	var raw []byte
	d.db.LoadSealed(ctx, "sync.key", &raw)
	var acct, courier syncclient.Account
	d.db.LoadSealed(ctx, "sync.account", &acct)
	d.db.LoadSealed(ctx, "sync.courier", &courier)
	if len(raw) != 32 || acct.Token == "" || courier.Token == "" {
		t.Fatal("the device is not set up")
	}
	if ls, _ := store.Learners(ctx); len(ls) != 1 {
		t.Fatalf("the hub holds %d learners, want 1", len(ls))
	}
	secrets := map[string][]byte{
		"the lesson":                  []byte("canary-lesson-qx7"),
		"the step":                    []byte("canary-step-z9"),
		"the answer":                  []byte("canary-answer-k2"),
		"the note":                    []byte("met the caseworker"),
		"the learner key":             raw,
		"the learner key (base64)":    []byte(base64.StdEncoding.EncodeToString(raw)),
		"the learner key (hex)":       []byte(hex.EncodeToString(raw)),
		"the device's own token":      []byte(acct.Token),
		"the courier's token (plain)": []byte(courier.Token),
	}
	h.Stop()
	dir := filepath.Dir(store.Path())
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		for what, s := range secrets {
			if bytes.Contains(data, s) {
				t.Errorf("%s holds %s", filepath.Base(p), what)
			}
		}
		return nil
	})
	// The hub has its own key and its courier tokens: neither opens a
	// chunk.
	page, err := store.Pull(ctx, relay.Query{Learner: learnerOf(t, store), MaxCount: 100, MaxBytes: 1 << 20})
	if err != nil || len(page.Chunks) == 0 {
		t.Fatalf("the hub holds no chunk: %v", err)
	}
	for _, c := range page.Chunks {
		for _, k := range []lockbox.Key{hubKey, lockbox.SubKey(hubKey, "chunks"), {}} {
			if _, err := syncclient.OpenChunk(k, toWire(c)); err == nil {
				t.Error("a chunk opened with a key the hub holds")
			}
		}
	}
}

func learnerOf(t *testing.T, store *sqlite.Relay) relay.ID {
	t.Helper()
	ls, err := store.Learners(context.Background())
	if err != nil || len(ls) != 1 {
		t.Fatalf("learners: %v, %v", ls, err)
	}
	for id := range ls {
		return id
	}
	return relay.ID{}
}

// TestAttackNotTheHub: a machine on the Wi-Fi pretending to be the hub
// (its own certificate, at the address the learner types) is refused by
// the app: the code the learner typed names the real hub's key. Nothing
// of the learner's reaches it.
func TestAttackNotTheHub(t *testing.T) {
	ctx := context.Background()
	lesson, facts := demoLesson(t)
	real, _ := startHub(t, facts, nil, nil)
	fake, fakeStore := startHub(t, facts, nil, nil)
	if _, err := real.Begin(ctx, lesson); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.Begin(ctx, lesson); err != nil {
		t.Fatal(err)
	}
	code := real.Reach().AppCode
	fakeAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(fake.Reach().AppPort))
	_, _, err := syncclient.Follow(ctx, syncclient.FollowConfig{Address: fakeAddr, Code: code})
	if p := syncclient.FollowProblem(err); p != syncclient.FollowNotHub {
		t.Errorf("following the fake hub: %v (%s), want not_hub", err, p)
	}
	srv := startCentral(t)
	d := newDevice(t)
	if err := d.svc.Join(ctx, srv.url, srv.pin, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the courier", func() bool { return d.hasCourier(t) })
	u, _ := syncclient.HubURL(fakeAddr)
	_, fp, _ := room.SplitAppCode(code)
	if err := d.svc.JoinHub(ctx, u, fp, code); !errors.Is(err, syncclient.ErrPinMismatch) {
		t.Errorf("syncing with the fake hub: %v, want the pin refused", err)
	}
	if ups, _ := fakeStore.Upstreams(ctx); len(ups) != 0 {
		t.Error("the fake hub got a courier")
	}
}

// TestAttackCourierPaths: the hub takes a courier only from a device it
// enrolled, only for an https:// server (a token never goes anywhere in
// the clear), and the page's plain-HTTP port serves no sync at all.
func TestAttackCourierPaths(t *testing.T) {
	ctx := context.Background()
	lesson, facts := demoLesson(t)
	h, store := startHub(t, facts, nil, nil)
	if _, err := h.Begin(ctx, lesson); err != nil {
		t.Fatal(err)
	}
	reach := h.Reach()
	u, _ := syncclient.HubURL(net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort)))
	_, fp, _ := room.SplitAppCode(reach.AppCode)
	conn, err := syncclient.Dial(syncclient.Config{URL: u, Fingerprint: fp})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Enrol(ctx, "WRONG-CODE-XXXX-XXXX", nil); syncclient.CodeOf(err) != syncapi.CodeInviteInvalid {
		t.Errorf("enrolling with the hub without the session's code: %v", err)
	}
	if _, err := conn.Enrol(ctx, reach.AppCode, nil); err != nil {
		t.Fatal(err)
	}
	put := func(token string, body string) int {
		req, _ := http.NewRequest("PUT", u+syncapi.PathHubCourier, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := insecureClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tok := conn.Token()
	courier := strings.Repeat("C", 43)
	for _, tc := range []struct {
		name, token, server string
		want                int
	}{
		{"no device of the hub", strings.Repeat("A", 43), "https://sync.example.org", 401},
		{"a server in the clear", tok, "http://sync.example.org", 400},
		{"not an address", tok, "sync.example.org", 400},
		{"credentials in the address", tok, "https://user:pw@sync.example.org", 400},
		{"an https server", tok, "https://sync.example.org", 204},
	} {
		body := `{"server":"` + tc.server + `","token":"` + courier + `"}`
		if got := put(tc.token, body); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if ups, _ := store.Upstreams(ctx); len(ups) != 1 || ups[0].Server != "https://sync.example.org" {
		t.Errorf("upstreams: %+v", ups)
	}
	resp, err := http.Post("http://"+net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.PagePort))+syncapi.PathSync, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("sync over plain HTTP: %d, want 404", resp.StatusCode)
	}
}

// TestForwardDropsWhatALearnerDeleted: a learner who deleted their data
// on their own server (or unlinked the device) is not brought back by the
// hub: its courier is refused, and the hub deletes what it held of them.
// A server out of reach keeps the chunks on the hub for the next time.
func TestForwardDropsWhatALearnerDeleted(t *testing.T) {
	ctx := context.Background()
	lesson, facts := demoLesson(t)
	srv := startCentral(t)
	h, store := startHub(t, facts, nil, nil)
	if _, err := h.Begin(ctx, lesson); err != nil {
		t.Fatal(err)
	}
	reach := h.Reach()
	appAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort))
	kept := syncedThroughHub(t, srv, appAddr, reach.AppCode, learn.Event{Kind: learn.EventLessonDone, Lesson: "kept"})
	gone := syncedThroughHub(t, srv, appAddr, reach.AppCode, learn.Event{Kind: learn.EventLessonDone, Lesson: "gone"})
	if err := gone.svc.TurnOff(ctx); err != nil { // unlinks the device, and its courier with it
		t.Fatal(err)
	}
	h.End()
	// The learners' server is out of reach first.
	srv.stop()
	fw, err := h.Forward(ctx)
	if err != nil || fw.Unreachable != 2 || fw.Chunks != 0 {
		t.Errorf("forward with the server out of reach: %+v, %v", fw, err)
	}
	if w, _ := h.Waiting(ctx); w.Learners != 2 {
		t.Errorf("after a failed forward the hub holds %+v, want both learners' chunks", w)
	}
	srv.start(t)
	fw, err = h.Forward(ctx)
	if err != nil || fw.Learners != 1 || fw.Dropped != 1 {
		t.Errorf("forward: %+v, %v; want one passed on, one dropped", fw, err)
	}
	if ls, _ := store.Learners(ctx); len(ls) != 0 {
		t.Errorf("the hub still holds %d learners", len(ls))
	}
	for id, n := range kept.onServer(t, srv.store) {
		if n != 1 {
			t.Errorf("event %v on the server %d times", id, n)
		}
	}
}

func insecureClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}

// TestAttackHubKeyAfterClose: trainer mode closes, and with it the hub;
// someone who then reads the process's memory finds no copy of the key
// that seals the couriers' tokens where the hub kept it.
func TestAttackHubKeyAfterClose(t *testing.T) {
	_, facts := demoLesson(t)
	key := lockbox.NewKey()
	h, _ := startHub(t, facts, nil, &key)
	if key == (lockbox.Key{}) {
		t.Fatal("a zero key to begin with")
	}
	h.Close()
	if key != (lockbox.Key{}) {
		t.Error("the hub's key is still in memory after it closed")
	}
}
