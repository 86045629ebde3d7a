package syncclient_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// testServer is a real sync server on loopback, on a real SQLite file.
func testServer(t testing.TB) *httptest.Server {
	t.Helper()
	store, err := sqlite.OpenRelay(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(syncserver.New(store, syncserver.Options{OpenEnrolment: true, Limits: syncserver.Limits{Quota: 64 << 20}}))
	t.Cleanup(srv.Close)
	return srv
}

// testDevice is a device: its own store (a real SQLite file, sealed under
// its own data key) and an engine.
type testDevice struct {
	db  *sqlite.DB
	eng *syncclient.Engine
}

func newDevice(t testing.TB, url, token string, learnerKey lockbox.Key, ahead time.Duration) *testDevice {
	t.Helper()
	now := func() time.Time { return time.Now().Add(ahead) }
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "waymark.db"), sqlite.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Unlock(context.Background(), lockbox.NewBox(lockbox.NewKey())); err != nil {
		t.Fatal(err)
	}
	conn, err := syncclient.Dial(syncclient.Config{URL: url, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	return &testDevice{db: db, eng: &syncclient.Engine{Store: db, Conn: conn, Key: learnerKey}}
}

func (d *testDevice) record(t testing.TB, events ...learn.Event) {
	t.Helper()
	if _, err := d.db.Record(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
}

func (d *testDevice) sync(t testing.TB) syncclient.Result {
	t.Helper()
	res, err := d.eng.Sync(context.Background())
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func (d *testDevice) progress(t testing.TB) *learn.Progress {
	t.Helper()
	p, err := d.db.Progress(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pairedDevices enrols a phone and pairs a laptop with it, as the app
// does: the laptop gets the learner key through the pairing code, which
// never reaches the server whole.
func pairedDevices(t testing.TB, url string) (phone, laptop *testDevice) {
	t.Helper()
	ctx := context.Background()
	c, err := syncclient.Dial(syncclient.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	enrolled, err := c.Enrol(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	key := lockbox.NewKey()
	phone = newDevice(t, url, enrolled.Token, key, 0)
	offer, err := phone.eng.Conn.CreatePairing(ctx, key[:])
	if err != nil {
		t.Fatal(err)
	}
	nc, err := syncclient.Dial(syncclient.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	paired, err := nc.Pair(ctx, offer.Code, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got lockbox.Key
	copy(got[:], paired.Secret)
	if got != key {
		t.Fatal("pairing did not carry the learner key")
	}
	// The laptop is used a minute later (as its clock says: its clock is a
	// minute ahead, which stands in for the time between).
	laptop = newDevice(t, url, paired.Token, got, time.Minute)
	return phone, laptop
}

// TestTwoDevicesConverge: the phone does a lesson and edits a note
// offline, the laptop does another; both sync; both show the same
// progress and the note (the later edit wins).
func TestTwoDevicesConverge(t *testing.T) {
	srv := testServer(t)
	phone, laptop := pairedDevices(t, srv.URL)

	phone.record(t,
		learn.Event{Kind: learn.EventStepShown, Lesson: "passcodes", Step: "why-lock"},
		learn.Event{Kind: learn.EventAnswered, Lesson: "passcodes", Step: "hardest-pin", Answer: []string{"birthday"}},
		learn.Event{Kind: learn.EventAnswered, Lesson: "passcodes", Step: "hardest-pin", Answer: []string{"random"}, Correct: true},
		learn.Event{Kind: learn.EventLessonDone, Lesson: "passcodes"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "first note, on the phone"},
	)
	laptop.record(t,
		learn.Event{Kind: learn.EventStepShown, Lesson: "write-cv", Step: "intro"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "later note, on the laptop"},
	)
	if r := phone.sync(t); r.Pushed != 5 {
		t.Errorf("phone pushed %d events, want 5", r.Pushed)
	}
	if r := laptop.sync(t); r.Pushed != 2 || r.Pulled != 5 || len(r.Applied) != 5 {
		t.Errorf("laptop: %+v", r)
	}
	if r := phone.sync(t); r.Pulled != 2 {
		t.Errorf("phone pulled %d, want 2", r.Pulled)
	}
	// Idle syncs change nothing.
	if r := laptop.sync(t); r.Pushed != 0 || r.Pulled != 0 {
		t.Errorf("idle sync: %+v", r)
	}
	a, b := phone.progress(t), laptop.progress(t)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("the devices differ:\nphone  %+v\nlaptop %+v", a, b)
	}
	if got := a.Milestones["gp"].Note.Value; got != "later note, on the laptop" {
		t.Errorf("note %q: the later edit should win", got)
	}
	if a.Lesson("passcodes").Status() != learn.Done || a.Lesson("write-cv").Status() != learn.InProgress {
		t.Errorf("lessons: %+v", a.Lessons)
	}
	if st := a.Step("passcodes", "hardest-pin"); st.Attempts != 2 || !st.Correct || st.FirstTry {
		t.Errorf("step: %+v", st)
	}
}

// BenchmarkSyncWireBytes measures the bytes on the wire, headers included,
// both ways, of the app's own syncs over plain HTTP on a kept-alive
// connection (as a session's syncs are): an idle sync, and one that pushes
// 10 events (a lesson's worth). Reported per sync.
func BenchmarkSyncWireBytes(b *testing.B) {
	srv := testServer(b)
	phone, _ := pairedDevices(b, srv.URL)
	phone.sync(b) // the connection is open, the cursor set
	lesson := func() {
		for i := range 10 {
			phone.record(b, learn.Event{Kind: learn.EventAnswered, Lesson: "scam-messages", Step: fmt.Sprint("spot-", i%4), Answer: []string{"link"}, Correct: i%3 != 0})
		}
	}
	for _, bc := range []struct {
		name   string
		before func()
	}{{"idle", func() {}}, {"10-events", lesson}} {
		b.Run(bc.name, func(b *testing.B) {
			m := phone.eng.Conn.Meter()
			var total int64
			for b.Loop() {
				b.StopTimer()
				bc.before()
				b.StartTimer()
				before := m.Total()
				phone.sync(b)
				total += m.Total() - before
			}
			b.ReportMetric(float64(total)/float64(b.N), "wire-bytes/sync")
		})
	}
}
