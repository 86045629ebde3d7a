package app_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// syncServer is a real sync server on loopback, with open enrolment.
func syncServer(t *testing.T) *httptest.Server {
	t.Helper()
	store, err := sqlite.OpenRelay(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(syncserver.New(store, syncserver.Options{OpenEnrolment: true, Log: slog.New(slog.DiscardHandler)}))
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return srv
}

// waitUntil waits, running background work, until the screen shows s.
func (h *harness) waitUntil(s string, within time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		h.drain()
		if h.shows(s) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.mustShow(s)
}

// TestSyncFromSettings sets sync up from Settings as a learner would: off
// until then, with plain words about what is sent and who can read it;
// then the status, the data used, a pairing code for the laptop; the
// laptop's lesson then shows on the phone.
func TestSyncFromSettings(t *testing.T) {
	srv := syncServer(t)
	h := newHarness(t)
	h.sync = &syncclient.Service{Label: "phone", Backoff: 50 * time.Millisecond}
	h.start()
	h.firstRun()
	h.tap("Settings")
	h.mustShow("Off. Nothing leaves this device.")
	h.tap("Sync across your devices")
	h.mustShow("Who can read it: only your own devices.")
	h.mustShow("Nothing is sent until you set sync up here.")
	h.tap("Set up sync on this device")
	h.entries()[0].SetText(srv.URL)
	h.tap("Turn sync on")
	h.waitUntil("Everything is sent.", 10*time.Second)
	h.mustShow("Last synced:")
	h.mustShow("This month:")
	if !regexp.MustCompile(`Last sync: \d+ B sent, \d+ B received\.`).MatchString(strings.Join(h.texts(), "\n")) {
		t.Errorf("no data meter: %q", h.texts())
	}
	h.waitUntil("This device", 5*time.Second)

	h.tap("Link another device")
	h.waitUntil("Code", 5*time.Second)
	var code string
	for _, s := range h.texts() {
		if regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(s) {
			code = s
		}
	}
	if code == "" {
		t.Fatalf("no pairing code shown: %q", h.texts())
	}

	// The learner's laptop.
	ctx := context.Background()
	ldb, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "laptop.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()
	ldb.Unlock(ctx, lockbox.NewBox(lockbox.NewKey()))
	laptop := &syncclient.Service{Store: ldb, Clock: ldb.Clock(), Label: "computer"}
	if err := laptop.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer laptop.Stop()
	if err := laptop.Pair(ctx, srv.URL, "", code); err != nil {
		t.Fatal(err)
	}
	ldb.Record(ctx, learn.Event{Kind: learn.EventLessonDone, Lesson: "scam-messages"})
	laptop.SyncNow()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if st := laptop.Status(); !st.Running && st.Waiting == 0 && !st.LastSuccess.IsZero() {
			break
		}
	}

	h.tap("Back")
	h.waitUntil("A computer", 5*time.Second)
	h.tap("Sync now")
	h.waitUntil("Everything is sent.", 10*time.Second)
	h.tap("Back")
	h.tap("Home")
	h.waitUntil("1 of 2 lessons done", 5*time.Second)

	// Started again, with sync on: it syncs at start.
	ldb.Record(ctx, learn.Event{Kind: learn.EventLessonDone, Lesson: "passcodes"})
	laptop.SyncNow()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if st := laptop.Status(); !st.Running && st.Waiting == 0 {
			break
		}
	}
	h.restart()
	h.waitUntil("2 of 2 lessons done", 10*time.Second)
}

// TestSyncProblemsInPlainWords: a server out of reach is said so, never
// shown as success.
func TestSyncProblemsInPlainWords(t *testing.T) {
	srv := syncServer(t)
	h := newHarness(t)
	h.sync = &syncclient.Service{Label: "phone", Backoff: time.Hour}
	h.start()
	h.firstRun()
	h.tap("Settings")
	h.tap("Sync across your devices")
	h.tap("Set up sync on this device")
	h.entries()[0].SetText("not a server")
	h.tap("Turn sync on")
	h.waitUntil("That does not look like a server address.", 10*time.Second)
	h.entries()[0].SetText("http://127.0.0.1:1")
	h.tap("Turn sync on")
	h.waitUntil("Waymark could not reach the server.", 10*time.Second)
	h.entries()[0].SetText(srv.URL)
	h.tap("Turn sync on")
	h.waitUntil("Everything is sent.", 10*time.Second)
	srv.Close()
	h.tap("Back")
	h.tap("Home")
	h.tap("Start")
	h.tap("Next")
	h.tap("Pause")
	h.tap("Settings")
	h.tap("Sync across your devices")
	h.tap("Sync now")
	h.waitUntil("changes are waiting to be sent.", 10*time.Second)
	h.mustShow("Waymark could not reach the server. It will try again when there is a connection.")
	h.mustNotShow("Everything is sent.")
}
