package app_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/lessons"
)

const pin = "482173"

// setPIN sets the app's PIN from Settings.
func (h *harness) setPIN(p string) {
	h.t.Helper()
	h.tap("Settings")
	h.tap("Set a PIN")
	h.mustShow("Choose a PIN of 4 to 8 numbers.")
	h.typePIN(p)
	h.mustShow("Type it again, to be sure.")
	h.typePIN(p)
	h.waitFor("Waymark is locked with your PIN or passphrase.")
}

// TestPINAndNotesNeverStoredInPlainText sets a PIN and writes a private
// note, then reads every file in the app's folder byte by byte: neither
// the PIN nor the note is there. After a restart the PIN opens the app
// and the note reads back.
func TestPINAndNotesNeverStoredInPlainText(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.tap("My journey")
	h.mustShow("Your notes are locked with your PIN.")
	h.tap("Registered with a GP")
	h.mustShow("Only you can read this note")
	note := h.entries()[len(h.entries())-1]
	test.Type(note, "canary note: my caseworker is Dana")
	h.tap("Save")
	h.mustShow("Saved.")

	h.restart()
	h.mustShow("Type your PIN.")
	h.mustNotShow("Stay safe online")
	h.typePIN(pin)
	h.waitFor("Stay safe online")
	h.tap("My journey")
	h.tap("Registered with a GP")
	if got := h.entries()[len(h.entries())-1].Text; got != "canary note: my caseworker is Dana" {
		t.Errorf("note after restart: %q", got)
	}

	h.stop()
	if found := filesContain(t, filepath.Dir(h.path), pin, "canary note", "caseworker is Dana"); len(found) > 0 {
		t.Errorf("plain text on disk: %v", found)
	}
}

func TestNoteWithoutPINSaysSo(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("My journey")
	h.mustShow("Your notes are protected only by this device.")
	h.tap("Registered with a GP")
	h.mustShow("This note is protected only by this device.")
	test.Type(h.entries()[len(h.entries())-1], "canary without pin")
	h.tap("Save")
	h.stop()
	// Even without a PIN, a note is encrypted: the device's key protects it.
	if found := filesContain(t, filepath.Dir(h.path), "canary without pin"); len(found) > 0 {
		t.Errorf("plain text on disk: %v", found)
	}
}

// TestWrongPINDelaysGrow types wrong PINs: after three, the app asks the
// learner to wait, longer each time, and survives a restart.
func TestWrongPINDelaysGrow(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.restart()
	for range 2 {
		h.typePIN("0000")
		h.waitFor("That is not right.")
		if h.button("1").Disabled() {
			t.Fatal("the pad is disabled after fewer than three wrong tries")
		}
	}
	h.typePIN("0000")
	h.waitFor("Please wait a moment")
	if !h.button("1").Disabled() {
		t.Fatal("the pad takes tries during the wait")
	}
	first := h.storedWait(t)

	// Restarting does not skip the wait.
	h.restart()
	h.mustShow("Please wait a moment")
	// Once it has passed, a fourth wrong try waits longer.
	h.now = h.now.Add(10 * time.Second)
	h.restart()
	h.typePIN("0000")
	h.waitFor("Please wait a moment")
	second := h.storedWait(t)
	if second <= first {
		t.Errorf("waits: %v then %v; they must grow", first, second)
	}
	// The right PIN, after the wait, opens the app and resets the count.
	h.now = h.now.Add(time.Minute)
	h.restart()
	h.typePIN(pin)
	h.waitFor("Stay safe online")
}

// TestEraseAfterWrongTries turns on "erase everything after 5 wrong
// tries": the fifth wrong PIN deletes all data and the app starts as new.
// Without it, wrong tries only ever wait.
func TestEraseAfterWrongTries(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.start()
	h.firstRun()
	h.tap("Start") // some progress to lose
	h.mustShow("Why lock your phone?")
	h.tap("Pause")
	h.setPIN(pin)
	h.mustShow("Erase everything after wrong tries")
	if h.tappableWith("Off") == nil {
		t.Fatal("no Off choice for erasing after wrong tries")
	}
	h.tap("After 5 wrong tries")
	h.restart()
	h.wrongTries(4)
	h.mustShow("Type your PIN.")
	if len(h.eventsFromDisk(t)) == 0 {
		t.Fatal("progress gone before the fifth wrong try")
	}
	h.wrongTries(1)
	h.waitFor("Choose your language")
	h.ui.Flush()
	if ev := h.eventsFromDisk(t); len(ev) != 0 {
		t.Errorf("%d events left after erasing", len(ev))
	}
	if prefs, _ := h.db.Prefs(t.Context()); prefs["lock.main"] != "" {
		t.Error("the PIN is still set after erasing")
	}
}

// TestEraseIsOffByDefault: many wrong tries wait, and erase nothing.
func TestEraseIsOffByDefault(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.restart()
	if n := h.wrongTries(25); n != 25 {
		t.Fatalf("%d wrong tries counted, want 25", n)
	}
	h.now = h.now.Add(10 * time.Minute)
	h.restart()
	h.typePIN(pin)
	h.waitFor("Stay safe online")
}

// TestIdleLock locks the app after the idle time the learner chose, and
// not before; "Never" turns it off.
func TestIdleLock(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.tap("1 minute")
	h.tap("Home")
	h.now = h.now.Add(50 * time.Second)
	time.Sleep(50 * time.Millisecond)
	h.drain()
	h.mustShow("Stay safe online")
	h.now = h.now.Add(15 * time.Second)
	h.waitFor("Type your PIN.")
	h.mustNotShow("Stay safe online")
	h.typePIN(pin)
	h.waitFor("Stay safe online")

	h.tap("Settings")
	h.tap("Never")
	h.tap("Home")
	h.now = h.now.Add(24 * time.Hour)
	time.Sleep(50 * time.Millisecond)
	h.drain()
	h.mustShow("Stay safe online")
}

// wrongTries types n wrong PINs at the lock, waiting out each delay as a
// learner would, and returns the count of wrong tries stored after (0 if
// everything was erased). The PIN is checked in the background: each try
// is waited for until it has counted.
func (h *harness) wrongTries(n int) int {
	h.t.Helper()
	count := func() int {
		h.drain()
		h.ui.Flush()
		p, _ := h.db.Prefs(context.Background())
		c, _ := strconv.Atoi(p["lock.fails"])
		return c
	}
	fails := count()
	for range n {
		if h.button("1") == nil {
			break // erased: no lock any more
		}
		if h.button("1").Disabled() {
			h.now = h.now.Add(10 * time.Minute)
			h.restart()
		}
		h.typePIN("0000")
		for range 200 {
			if c := count(); c > fails || h.shows("Choose your language") {
				fails = c
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return fails
}

// storedWait returns how long the stored wait runs past the fake clock.
func (h *harness) storedWait(t *testing.T) time.Duration {
	t.Helper()
	h.ui.Flush()
	prefs, err := h.db.Prefs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ms int64
	for _, c := range prefs["lock.wait"] {
		ms = ms*10 + int64(c-'0')
	}
	return time.UnixMilli(ms).Sub(h.now)
}

// TestLockOnBackground leaves the app through Fyne's lifecycle hooks: on
// coming back after a while, it asks for the PIN.
func TestLockOnBackground(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.tap("Home")
	lc := fyne.CurrentApp().Lifecycle().(interface {
		OnExitedForeground() func()
		OnEnteredForeground() func()
	})
	lc.OnExitedForeground()()
	h.now = h.now.Add(2 * time.Minute)
	lc.OnEnteredForeground()()
	h.mustShow("Type your PIN.")
	h.mustNotShow("Stay safe online")
	h.typePIN(pin)
	h.waitFor("Stay safe online")

	// A moment away (switching windows on a laptop) does not lock.
	lc.OnExitedForeground()()
	h.now = h.now.Add(5 * time.Second)
	lc.OnEnteredForeground()()
	h.mustShow("Stay safe online")
}

// TestQuickExit hides the app from a lesson: the window then shows a
// calculator and nothing about lessons, the journey or help.
func TestQuickExit(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Start")
	h.mustShow("Why lock your phone?")
	h.tap("Exit")
	for _, s := range []string{"Lock your phone", "Why lock your phone?", "My journey", "Get help", "Waymark", "Stay safe online", "Pause"} {
		h.mustNotShow(s)
	}
	if title := h.ui.Window().Title(); title != "Calculator" {
		t.Errorf("window title %q during the quick exit", title)
	}
	// It is a real calculator.
	h.tap("7")
	h.tap("+")
	h.tap("5")
	h.tap("=")
	h.mustShow("12")
	// With no PIN, = three times comes back.
	h.tap("C")
	for range 3 {
		h.tap("=")
	}
	h.mustShow("Stay safe online")
	if title := h.ui.Window().Title(); title != "Notebook" {
		t.Errorf("window title %q: not discreet", title)
	}

	// With a PIN, the PIN typed on the calculator and = come back.
	h.setPIN(pin)
	h.tap("Exit")
	h.mustNotShow("Settings")
	for _, d := range pin {
		h.tap(string(d))
	}
	h.tap("=")
	h.waitFor("Stay safe online")

	// Esc works too.
	test.TypeOnCanvas(h.ui.Window().Canvas(), "")
	h.ui.Window().Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	h.mustNotShow("Stay safe online")
}

// TestDeleteEverything fills the app with canaries, deletes everything,
// and reads every file left in the app's folder.
func TestDeleteEverything(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Settings")
	nick := h.entries()[0]
	test.Type(nick, "canarynick")
	h.tap("Save")
	h.tap("My journey")
	h.tap("Registered with a GP")
	test.Type(h.entries()[len(h.entries())-1], "canarynote")
	h.tap("Save")
	h.tap("Back")
	h.tap("Home")
	h.tap("Start")
	h.tap("Next")
	h.tap("Next")
	h.tap("140396 (a birthday)") // an answer

	h.tap("Pause")
	h.tap("Settings")
	h.tap("Delete everything")
	h.mustShow("This cannot be undone.")
	h.tap("Yes, delete everything")
	h.waitFor("Choose your language")
	h.ui.Flush()

	dir := filepath.Dir(h.path)
	if found := filesContain(t, dir, "canarynick", "canarynote", "passcodes", "hardest-pin", "birthday"); len(found) > 0 {
		t.Errorf("after delete everything: %v", found)
	}
	// And the app is new again.
	h.firstRun()
	h.mustShow("0 of 2 lessons done")
	h.mustNotShow("canarynick")
}

// TestSafeProfile opens the harmless profile with its PIN: English
// practice only, no journey, no help, none of the real progress, and
// nothing written.
func TestSafeProfile(t *testing.T) {
	h := newHarness(t)
	h.fsys = lessons.FS
	h.start()
	h.firstRun()
	h.tap("Start")
	h.tap("Next") // some real progress
	h.tap("Pause")
	h.setPIN(pin)
	h.tap("Set a safe-profile PIN")
	h.typePIN("1111")
	h.typePIN("1111")
	h.waitFor("Remove the safe profile")
	h.restart()
	events := len(h.eventsFromDisk(t))

	h.typePIN("1111")
	h.waitFor("Practise English")
	for _, s := range []string{"Stay safe online", "My journey", "Continue where you left off", "Safety and privacy"} {
		h.mustNotShow(s)
	}
	if h.tappableWith("") == nil {
		t.Log("no icon-only buttons")
	}
	h.tap("Practise English")
	h.tap("English at work")
	h.tap("Next")
	h.tap("Pause")
	h.stop()
	if got := len(h.eventsFromDisk(t)); got != events {
		t.Errorf("the safe profile wrote %d events", got-events)
	}
	// The real PIN opens the real profile, with its progress.
	h.start()
	h.typePIN(pin)
	h.waitFor("Continue where you left off")
	if !strings.Contains(strings.Join(h.texts(), " "), "Lock your phone") {
		t.Error("the real progress is gone")
	}
}
