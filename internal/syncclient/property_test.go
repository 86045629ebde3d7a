package syncclient_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// tb is what the property's helpers need of a test: rapid's T or testing's.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// fault is what the faulty server does with the next sync request.
type fault int

const (
	faultNone        fault = iota
	faultDropReply         // the request is committed, the answer lost
	faultTwice             // the request arrives twice (a retry that crossed the first)
	faultReplay            // an old request from this device arrives again first
	faultRestart           // the server restarts (its store closed and opened) first
	faultUnavailable       // the server answers 503 and stores nothing
	faultCount
)

// faultyServer is a real sync server on a real SQLite file, behind a
// wrapper that loses answers, duplicates and replays requests and
// restarts the server when told, and notes every chunk it acknowledged.
type faultyServer struct {
	t    tb
	path string
	mu   sync.Mutex
	st   *sqlite.Relay
	srv  *syncserver.Server
	next fault
	old  map[string][]byte // a past sync request of each device's token
	// acked are the event ids the server told a device it holds.
	acked map[learn.EventID]bool
	http  *httptest.Server
}

func newFaultyServer(t tb, dir string) *faultyServer {
	f := &faultyServer{t: t, path: filepath.Join(dir, "server.db"), old: map[string][]byte{}, acked: map[learn.EventID]bool{}}
	f.open()
	f.http = httptest.NewServer(f)
	t.Cleanup(func() {
		f.http.Close()
		f.st.Close()
	})
	return f
}

func (f *faultyServer) open() {
	st, err := sqlite.OpenRelay(context.Background(), f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.st = st
	f.srv = syncserver.New(st, syncserver.Options{OpenEnrolment: true, Log: slog.New(slog.DiscardHandler), Limits: syncserver.Limits{Quota: 1 << 30}})
}

// addDevice gives the learner of the device with token another device,
// and returns its token.
func (f *faultyServer) addDevice(t tb, token string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ctx := context.Background()
	now := time.Now()
	owner, err := f.st.Authenticate(ctx, relay.Hash(sha256.Sum256([]byte(token))), now)
	if err != nil {
		t.Fatal(err)
	}
	var id relay.ID
	var secret [32]byte
	rand.Read(id[:])
	rand.Read(secret[:])
	tok := base64.RawURLEncoding.EncodeToString(secret[:])
	lookup := base64.RawURLEncoding.EncodeToString(id[:6])
	if err := f.st.CreatePairing(ctx, relay.Pairing{Lookup: lookup, Learner: owner.Learner, Blob: []byte("x"), Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	d := relay.Device{ID: id, TokenHash: relay.Hash(sha256.Sum256([]byte(tok))), Created: now}
	if _, err := f.st.ClaimPairing(ctx, lookup, now, func(relay.Hash) bool { return true }, d); err != nil {
		t.Fatal(err)
	}
	return tok
}

// set makes the next sync request meet a fault.
func (f *faultyServer) set(x fault) {
	f.mu.Lock()
	f.next = x
	f.mu.Unlock()
}

func (f *faultyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path != syncapi.PathSync {
		f.srv.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	tok := r.Header.Get("Authorization")
	x := f.next
	f.next = faultNone
	serve := func(b []byte) *httptest.ResponseRecorder {
		req := r.Clone(r.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		f.note(b, rec)
		return rec
	}
	switch x {
	case faultUnavailable:
		http.Error(w, `{"code":"unavailable","message":"busy"}`, http.StatusServiceUnavailable)
		return
	case faultRestart:
		f.st.Close()
		f.open()
	case faultReplay:
		if old := f.old[tok]; old != nil {
			serve(old)
		}
	case faultTwice:
		serve(body)
	}
	f.old[tok] = body
	rec := serve(body)
	if x == faultDropReply {
		// Committed, but the answer never arrives.
		hj, ok := w.(http.Hijacker)
		if !ok {
			f.t.Fatal("cannot drop an answer")
		}
		conn, _, _ := hj.Hijack()
		conn.Close()
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// note records the chunks an answer acknowledged.
func (f *faultyServer) note(req []byte, rec *httptest.ResponseRecorder) {
	if rec.Code != http.StatusOK {
		return
	}
	q, err1 := syncapi.DecodeSyncRequest(req)
	a, err2 := syncapi.DecodeSyncResponse(rec.Body.Bytes())
	if err1 != nil || err2 != nil || len(a.Acks) != len(q.Push) {
		f.t.Fatalf("the server's own answer does not decode: %v %v", err1, err2)
	}
	for i, c := range q.Push {
		if a.Acks[i].Acknowledged() {
			for seq := c.From; seq <= c.To; seq++ {
				f.acked[learn.EventID{Device: hexID(c.Stream.Device), Epoch: hexID(c.Stream.Epoch), Seq: int64(seq)}] = true
			}
		}
	}
}

func hexID(id syncapi.ID) string { return fmt.Sprintf("%x", id[:]) }

// held reads every event the server holds for the learner whose device
// has token, opening the chunks with the learner key, and fails if any
// event is stored twice.
func (f *faultyServer) held(t tb, token string, key lockbox.Key) map[learn.EventID]learn.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	ctx := context.Background()
	dev, err := f.st.Authenticate(ctx, relay.Hash(sha256.Sum256([]byte(token))), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := map[learn.EventID]learn.Event{}
	var after uint64
	for {
		page, err := f.st.Pull(ctx, relay.Query{Learner: dev.Learner, After: after, MaxCount: 1000, MaxBytes: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Chunks {
			st := syncapi.Stream{Device: syncapi.ID(c.Stream.Device), Epoch: syncapi.ID(c.Stream.Epoch)}
			evs, err := syncclient.OpenChunk(key, syncapi.Chunk{Stream: st, From: c.From, To: c.To, Body: c.Body})
			if err != nil {
				t.Fatalf("a stored chunk does not open: %v", err)
			}
			for _, e := range evs {
				if _, dup := out[e.ID]; dup {
					t.Fatalf("event %v is stored twice on the server", e.ID)
				}
				out[e.ID] = e
			}
		}
		after = page.Next
		if !page.More {
			return out
		}
	}
}

// propDevice is one device of the learner: a real store, a data key kept
// by the test (as the keyring would), an engine, and a backup if taken.
type propDevice struct {
	path   string
	key    lockbox.Key
	now    func() time.Time
	db     *sqlite.DB
	eng    *syncclient.Engine
	backup map[string][]byte
}

func (d *propDevice) open(t tb) {
	db, err := sqlite.Open(context.Background(), d.path, sqlite.Options{Now: d.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unlock(context.Background(), lockbox.NewBox(d.key)); err != nil {
		t.Fatal(err)
	}
	d.db = db
	d.eng.Store = db
}

// snapshot copies the database's files, as a backup of the phone would.
func (d *propDevice) snapshot(t tb) {
	d.db.Close()
	d.backup = map[string][]byte{}
	for _, p := range sqlite.Files(d.path) {
		if b, err := os.ReadFile(p); err == nil {
			d.backup[p] = b
		}
	}
	d.open(t)
}

// restore puts the backup back in place, losing what came after it.
func (d *propDevice) restore(t tb) {
	d.db.Close()
	for _, p := range sqlite.Files(d.path) {
		os.Remove(p)
		if b, ok := d.backup[p]; ok {
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	d.open(t)
}

func (d *propDevice) events(t tb) map[learn.EventID]learn.Event {
	evs, err := d.db.Events(context.Background(), learn.EventID{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[learn.EventID]learn.Event{}
	for _, e := range evs {
		out[e.ID] = e
	}
	return out
}

// randomEvent draws an event of the learner's.
func randomEvent(t *rapid.T) learn.Event {
	lesson := rapid.SampledFrom([]string{"passcodes", "scam-messages", "write-cv"}).Draw(t, "lesson")
	step := rapid.SampledFrom([]string{"s1", "s2", "s3"}).Draw(t, "step")
	switch rapid.IntRange(0, 7).Draw(t, "kind") {
	case 0:
		return learn.Event{Kind: learn.EventStepShown, Lesson: lesson, Step: step}
	case 1:
		return learn.Event{Kind: learn.EventAnswered, Lesson: lesson, Step: step, Answer: []string{"a"}, Correct: rapid.Bool().Draw(t, "correct")}
	case 2:
		return learn.Event{Kind: learn.EventLessonDone, Lesson: lesson}
	case 3:
		return learn.Event{Kind: learn.EventPhraseReviewed, Lesson: "english", Step: "p", Answer: []string{"hello"}, Correct: rapid.Bool().Draw(t, "knew")}
	case 4:
		return learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: rapid.StringMatching(`[a-z ]{0,12}`).Draw(t, "note")}
	case 5:
		return learn.Event{Kind: learn.EventMilestoneDone, Target: "gp", Correct: rapid.Bool().Draw(t, "done"), Data: "2026-11-02"}
	case 6:
		return learn.Event{Kind: learn.EventNickname, Data: rapid.StringMatching(`[a-z]{0,8}`).Draw(t, "nick")}
	}
	return learn.Event{Kind: learn.EventPhrasesAdded, Lesson: "english", Step: "p", Answer: []string{"hello", "bye"}}
}

// fastDir is a temporary folder in memory where there is one (/dev/shm):
// the property runs thousands of transactions, each synced to disk.
func fastDir(t *testing.T) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		d, err := os.MkdirTemp("/dev/shm", "waymark-property-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

// checks is how many random schedules a run tries (fewer under the race
// detector, whose runs are ten times slower).
func checks() int {
	if raceEnabled {
		return 100
	}
	return 1000
}

// TestPropertySyncConverges runs random schedules of a learner's devices
// recording events and syncing through a server that loses answers after
// committing, receives requests twice and out of order, restarts, and
// turns requests away without storing them; a
// device is restored from an old backup; a device's clock is a year off.
// After a last sync of every device with no faults: no event the server
// acknowledged is lost, no event is stored twice, and every device holds
// the same events and derives the same state.
func TestPropertySyncConverges(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == "100" {
		f.Value.Set(fmt.Sprint(checks()))
	}
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		dir := fastDir(t)
		srv := newFaultyServer(rt, dir)
		c, err := syncclient.Dial(syncclient.Config{URL: srv.http.URL})
		if err != nil {
			rt.Fatal(err)
		}
		first, err := c.Enrol(ctx, "", nil)
		c.Close()
		if err != nil {
			rt.Fatal(err)
		}
		learnerKey := lockbox.NewKey()
		n := rapid.IntRange(2, 3).Draw(rt, "devices")
		skewed := rapid.IntRange(-1, n-1).Draw(rt, "skewed device")
		var devices []*propDevice
		for i := range n {
			token := first.Token
			if i > 0 {
				// Another device of the learner, made on the server directly:
				// pairing (tested on its own) costs two Argon2id runs.
				token = srv.addDevice(rt, first.Token)
			}
			now := time.Now
			if i == skewed {
				now = func() time.Time { return time.Now().AddDate(1, 0, 0) }
			}
			conn, err := syncclient.Dial(syncclient.Config{URL: srv.http.URL, Token: token, Timeout: 10 * time.Second})
			if err != nil {
				rt.Fatal(err)
			}
			defer conn.Close()
			d := &propDevice{path: filepath.Join(dir, fmt.Sprint("device-", i, ".db")), key: lockbox.NewKey(), now: now,
				eng: &syncclient.Engine{Conn: conn, Key: learnerKey, ChunkEvents: rapid.IntRange(1, 6).Draw(rt, "chunk size")}}
			d.open(rt)
			defer d.db.Close()
			devices = append(devices, d)
		}

		steps := rapid.IntRange(1, 25).Draw(rt, "steps")
		for range steps {
			d := devices[rapid.IntRange(0, n-1).Draw(rt, "device")]
			switch rapid.IntRange(0, 9).Draw(rt, "action") {
			case 0, 1, 2, 3:
				var evs []learn.Event
				for range rapid.IntRange(1, 4).Draw(rt, "events") {
					evs = append(evs, randomEvent(rt))
				}
				if _, err := d.db.Record(ctx, evs...); err != nil {
					rt.Fatal(err)
				}
			case 4, 5, 6, 7:
				srv.set(fault(rapid.IntRange(0, int(faultCount)-1).Draw(rt, "fault")))
				d.eng.Sync(ctx) // may fail: the fault's point
			case 8:
				d.snapshot(rt)
			case 9:
				if d.backup != nil {
					d.restore(rt)
				}
			}
		}

		// A last sync of every device, twice round, with no faults.
		for range 2 {
			for _, d := range devices {
				if _, err := d.eng.Sync(ctx); err != nil {
					rt.Fatalf("a sync with no fault failed: %v", err)
				}
			}
		}
		held := srv.held(rt, first.Token, learnerKey)
		for id := range srv.acked {
			if _, ok := held[id]; !ok {
				rt.Fatalf("event %v was acknowledged, and is not on the server", id)
			}
		}
		var first0 *learn.Progress
		for i, d := range devices {
			got := d.events(rt)
			if len(got) != len(held) {
				rt.Fatalf("device %d holds %d events, the server %d", i, len(got), len(held))
			}
			for id := range held {
				if _, ok := got[id]; !ok {
					rt.Fatalf("device %d lacks %v", i, id)
				}
			}
			p, err := d.db.Progress(ctx)
			if err != nil {
				rt.Fatal(err)
			}
			if first0 == nil {
				first0 = p
			} else if !reflect.DeepEqual(p, first0) {
				rt.Fatalf("device %d derives another state:\n%+v\nwant\n%+v", i, p, first0)
			}
		}
	})
}
