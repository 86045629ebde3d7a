package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/safety"
	"github.com/waymark-app/waymark/lessons"
)

const (
	pin     = "482173"
	safePIN = "639025"
)

// setPIN sets the app's PIN from Settings.
func (h *harness) setPIN(p string) {
	h.t.Helper()
	h.tap("Settings")
	h.tap("Set a PIN")
	h.mustShow("Choose a PIN of 6 to 10 numbers")
	h.typePIN(p)
	h.mustShow("Type it again, to be sure.")
	h.typePIN(p)
	h.waitFor("Waymark is locked with your PIN or passphrase.")
}

// setSafePIN sets the safe-profile PIN from Settings (open at the lock
// section).
func (h *harness) setSafePIN(p string) {
	h.t.Helper()
	h.tap("Set a safe-profile PIN")
	h.typePIN(p)
	h.typePIN(p)
	h.waitFor("Remove the safe profile")
}

// failsOrErased reads the stored count of wrong tries, or -1 once
// everything has been erased.
func (h *harness) failsOrErased() int {
	h.t.Helper()
	if h.db == nil {
		return -1
	}
	p, err := h.db.Prefs(context.Background())
	if err != nil {
		return -1 // the store was erased under us
	}
	t, _ := safety.ParseTries(p["lock.tries"], h.mono)
	return t.Fails
}

// tries reads the lock's stored count of tries.
func (h *harness) tries() safety.Tries {
	h.t.Helper()
	t, err := safety.ParseTries(h.prefs()["lock.tries"], h.mono)
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

// keysOnDisk opens the stored keyring with the PIN, as only its owner
// can, to learn what to look for in the files.
func (h *harness) keysOnDisk(secret string) lockbox.Keyring {
	h.t.Helper()
	prefs := h.prefs()
	l, err := lockbox.ParseLock(prefs["lock.main"])
	if err != nil {
		h.t.Fatal(err)
	}
	kek, err := l.Check(secret)
	if err != nil {
		h.t.Fatal(err)
	}
	ring, err := lockbox.OpenRing(prefs["keyring"], &kek)
	if err != nil {
		h.t.Fatal(err)
	}
	return ring
}

// keyForms are the ways a key could be written down in a file.
func keyForms(k lockbox.Key) []string {
	return []string{string(k[:]), base64.RawStdEncoding.EncodeToString(k[:]), base64.StdEncoding.EncodeToString(k[:]), fmt.Sprintf("%x", k[:])}
}

// TestAttackCanariesInTheFiles plants distinct canaries in the nickname,
// an own milestone's title, a note, a milestone's date and a lesson's
// answer, sets a PIN, and reads every byte of the data folder, as someone
// with a copy of the phone's storage would:
// none is there, nor the data key, neither the one stored plain before
// the PIN nor the one that seals the record now. Thirty times, because
// what SQLite leaves in free pages and the WAL varies from run to run.
func TestAttackCanariesInTheFiles(t *testing.T) {
	runs := 30
	if testing.Short() || raceEnabled {
		runs = 3 // the race detector looks for data races, not for what SQLite leaves behind
	}
	for run := range runs {
		t.Run(fmt.Sprint(run), func(t *testing.T) {
			h := newHarness(t)
			h.start()
			h.firstRun()
			h.tap("Settings")
			test.Type(h.entries()[0], "canarynick")
			h.tap("Save")
			h.tap("My journey")
			h.tap("Add your own step")
			test.Type(h.entries()[0], "canarytitle")
			h.tap("Save")
			h.tap("I have done this")
			date := h.entries()[0]
			date.SetText("1987-03-14")
			note := h.entries()[len(h.entries())-1]
			test.Type(note, "canarynote")
			h.tap("Save")
			h.mustShow("Saved.")
			h.tap("Back")
			h.tap("Home")
			h.tap("Start")
			h.tap("Next")
			h.tap("Next")
			h.ui.Flush()
			plainKey := lockbox.Key{}
			if ring, err := lockbox.OpenRing(h.prefs()["keyring"], nil); err == nil {
				plainKey = ring.Data
			} else {
				t.Fatalf("no plain keyring before the PIN: %v", err)
			}
			h.tap("Pause")
			h.setPIN(pin)
			sealing := h.keysOnDisk(pin).Data
			h.stop()

			canaries := []string{"canarynick", "canarytitle", "canarynote", "1987-03-14", pin}
			canaries = append(canaries, keyForms(plainKey)...)
			canaries = append(canaries, keyForms(sealing)...)
			// The harness's data folder stands in for the app's own folder
			// (Fyne's, by default); what else Fyne keeps is checked on the
			// real binary (main_test.go).
			if found := filesContain(t, filepath.Dir(h.path), canaries...); len(found) > 0 {
				t.Errorf("readable: %v", found)
			}
			// A lesson answered is not there either (its id and the step's).
			if found := filesContain(t, filepath.Dir(h.path), "passcodes", "hardest-pin", "why-lock"); len(found) > 0 {
				t.Errorf("lessons taken are readable: %v", found)
			}
		})
	}
}

func TestNoteWithoutPINSaysSo(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("My journey")
	h.mustShow("Your journey and notes are protected only by this device.")
	h.tap("Registered with a GP")
	h.mustShow("This note is protected only by this device.")
	test.Type(h.entries()[len(h.entries())-1], "canary without pin")
	h.tap("Save")
	h.tap("Back")
	h.tap("Settings")
	h.tap("Your privacy")
	h.mustShow("No PIN is set, so your record is protected only by this device.")
	h.mustShow("A lock cannot stop everything.")
	h.stop()
	// Even without a PIN, the record is sealed: only the device's key,
	// stored beside it, protects it, and the app says so.
	if found := filesContain(t, filepath.Dir(h.path), "canary without pin"); len(found) > 0 {
		t.Errorf("plain text on disk: %v", found)
	}
}

// TestWrongPINDelaysGrow types wrong PINs: after three, the app asks the
// learner to wait, longer each time, and a restart does not skip it.
func TestWrongPINDelaysGrow(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.restart()
	for range 2 {
		h.typePIN("000000")
		h.waitFor("That is not right.")
		if h.button("1").Disabled() {
			t.Fatal("the pad is disabled after fewer than three wrong tries")
		}
	}
	h.typePIN("000000")
	h.waitFor("Please wait a moment")
	if !h.button("1").Disabled() {
		t.Fatal("the pad takes tries during the wait")
	}
	first := h.tries().Left(h.mono)

	// Restarting does not skip the wait.
	h.restart()
	h.mustShow("Please wait a moment")
	// Once it has passed, a fourth wrong try waits longer.
	h.advance(first)
	h.restart()
	h.typePIN("000000")
	h.waitFor("Please wait a moment")
	second := h.tries().Left(h.mono)
	if second <= first {
		t.Errorf("waits: %v then %v; they must grow", first, second)
	}
	// The right PIN, after the wait, opens the app and resets the count.
	h.advance(second)
	h.restart()
	h.typePIN(pin)
	h.waitFor("Stay safe online")
	if got := h.tries(); got.Fails != 0 || got.Wait != 0 {
		t.Errorf("after the right PIN: %+v", got)
	}
}

// TestAttackMoveTheClock moves the device's clock to get past a wait, and
// the other way: neither changes the wait, which runs on a clock no one
// can set. A restart of the device restarts a wait, never for longer than
// it was set for.
func TestAttackMoveTheClock(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.restart()
	h.wrongTries(4)
	wait := h.tries().Left(h.mono)
	if wait < 10*time.Second {
		t.Fatalf("after 4 wrong tries the wait is %v", wait)
	}

	// Forward a day: still waiting, and the right PIN is not even checked.
	h.now = h.now.Add(24 * time.Hour)
	h.restart()
	h.mustShow("Please wait a moment")
	h.attemptDuringWait(pin)
	if got := h.tries().Left(h.mono); got != wait {
		t.Errorf("clock forward: the wait is %v, want %v", got, wait)
	}

	// Back a week: the wait is not longer.
	h.now = h.now.Add(-7 * 24 * time.Hour)
	h.restart()
	if got := h.tries().Left(h.mono); got != wait {
		t.Errorf("clock back: the wait is %v, want %v", got, wait)
	}

	// A new boot: the wait starts again, at most as long as it was set for.
	h.advance(wait / 2)
	h.mono.Boot = "boot-2"
	h.restart()
	got := h.tries().Left(h.mono)
	if full := safety.Delay(h.tries().Fails); got > full || got <= 0 {
		t.Errorf("after a reboot the wait is %v, want (0, %v]", got, full)
	}
	h.advance(got)
	h.restart()
	h.typePIN(pin)
	h.waitFor("Stay safe online")
}

// attemptDuringWait types a secret while a wait runs, pressing OK as a
// guesser would even with the pad greyed out: nothing is checked.
func (h *harness) attemptDuringWait(secret string) {
	h.t.Helper()
	before := h.tries()
	for _, d := range secret {
		if b := h.button(string(d)); b != nil {
			test.Tap(b) // disabled buttons ignore taps, as on a phone
		}
	}
	if b := h.button("OK"); b != nil {
		test.Tap(b)
	}
	time.Sleep(20 * time.Millisecond)
	h.drain()
	h.mustNotShow("Stay safe online")
	if after := h.tries(); after != before {
		h.t.Errorf("a try during the wait changed the count: %+v to %+v", before, after)
	}
}

// TestEraseAfterWrongTries turns on "erase everything after 5 wrong
// tries": the fifth wrong PIN deletes all data and the app starts as new.
// Without it, wrong tries only ever wait.
func TestEraseAfterWrongTries(t *testing.T) {
	h := newHarness(t)
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
	if h.eventRows(t) == 0 {
		t.Fatal("progress gone before the fifth wrong try")
	}
	h.wrongTries(1)
	h.waitFor("Choose your language")
	h.ui.Flush()
	if _, err := os.Stat(h.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the database is still there after erasing: %v", err)
	}
}

// TestEraseIsOffByDefault: many wrong tries wait, and erase nothing.
func TestEraseIsOffByDefault(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.restart()
	if n := h.wrongTries(12); n != 12 {
		t.Fatalf("%d wrong tries counted, want 12", n)
	}
	h.advance(10 * time.Minute)
	h.restart()
	h.typePIN(pin)
	h.waitFor("Stay safe online")
}

// TestAttackCalculatorIsNotAPINOracle types PIN after PIN on the quick
// exit's calculator: each is a try like any other, counted before it is
// checked; during a wait the calculator only calculates (the right PIN
// does not open); and erase-after-5 fires there too.
func TestAttackCalculatorIsNotAPINOracle(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.tap("After 5 wrong tries")
	h.tap("Home")
	h.tap("Exit")
	// calc types n and =, and waits until the try has been checked (it
	// is counted before) or, when no try should happen, a moment.
	calc := func(n string, counts bool) {
		if _, err := os.Stat(h.path); err != nil {
			return // erased
		}
		before := h.tries().Fails
		for _, d := range n {
			h.tap(string(d))
		}
		h.tap("=")
		for range 400 {
			h.drain()
			if _, err := os.Stat(h.path); err != nil || h.shows("Choose your language") {
				return // erased
			}
			if counts && h.failsOrErased() != before && !h.ui.Busy() {
				break
			}
			if !counts {
				time.Sleep(30 * time.Millisecond)
				h.drain()
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		h.ui.Flush()
	}
	for i := range 3 {
		calc(fmt.Sprint(111111+i*7), true)
		if got := h.tries().Fails; got != i+1 {
			t.Fatalf("after %d wrong PINs on the calculator, %d tries counted", i+1, got)
		}
		h.tap("C")
	}
	// A wait runs: the right PIN is a sum like any other.
	calc(pin, false)
	h.mustNotShow("Stay safe online")
	if got := h.tries().Fails; got != 3 {
		t.Errorf("a try during the wait was counted or checked: %d", got)
	}
	h.mustShow(pin) // the calculator shows the number, as a calculator would
	h.tap("C")
	// A short number is a sum, not a try.
	calc("42", false)
	if got := h.tries().Fails; got != 3 {
		t.Errorf("a sum counted as a try: %d", got)
	}
	for range 2 {
		h.advance(10 * time.Minute)
		h.tap("C")
		calc("999999", true)
	}
	h.waitFor("Choose your language") // the fifth wrong try erased everything
	if _, err := os.Stat(h.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("erase-after-5 did not fire from the calculator: %v", err)
	}
}

// TestAttackTryIsSavedBeforeItIsChecked makes the store refuse to save
// the count of tries: the secret is then not checked at all, not even the
// right one, so killing the app while a PIN is checked can never give a
// free guess.
func TestAttackTryIsSavedBeforeItIsChecked(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.restart()
	h.failTries = true
	h.typePIN(pin)
	h.waitFor("Waymark could not save just now, so it did not check this.")
	h.mustNotShow("Stay safe online")
	h.failTries = false
	h.typePIN(pin)
	h.waitFor("Stay safe online")
}

// TestAttackWeakPINs: PINs people guess first are refused, kindly and
// saying why; a PIN of 6 digits or more that is not one of them, and a
// passphrase, are accepted.
func TestAttackWeakPINs(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Settings")
	h.tap("Set a PIN")
	for pin, why := range map[string]string{
		"1111":     "A PIN has 6 to 10 numbers.",
		"48217":    "A PIN has 6 to 10 numbers.",
		"111111":   "Avoid the same numbers or letters again and again.",
		"123456":   "This is one of the first codes people try.",
		"345678":   "Avoid runs like 1234 or abcd.",
		"140396":   "Avoid dates, like a birthday or a year.",
		"19870314": "Avoid dates, like a birthday or a year.",
	} {
		h.typePIN(pin)
		h.mustShow("Please choose another one. This one would be easy to guess:")
		h.mustShow(why)
		h.mustShow("Choose a PIN of 6 to 10 numbers")
	}
	h.typePIN(pin)
	h.mustShow("Type it again, to be sure.")
	h.tap("Back")
	h.tap("Set a passphrase")
	phrase := h.entries()[0]
	test.Type(phrase, "password1")
	h.tap("Next")
	h.mustShow("Please choose another one.")
	phrase = h.entries()[0]
	test.Type(phrase, "blue kettle river song")
	h.tap("Next")
	h.mustShow("Type it again, to be sure.")
	test.Type(h.entries()[0], "blue kettle river song")
	h.tap("Next")
	h.waitFor("Waymark is locked with your PIN or passphrase.")
	h.restart()
	h.mustShow("Type your passphrase.")
	test.Type(h.entries()[0], "blue kettle river song")
	h.tap("Open")
	h.waitFor("Stay safe online")
}

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
// everything was erased). Each try is waited for until it has counted.
func (h *harness) wrongTries(n int) int {
	h.t.Helper()
	count := func() int {
		h.drain()
		if _, err := os.Stat(h.path); err != nil || h.shows("Choose your language") {
			return 0 // erased
		}
		return h.tries().Fails
	}
	fails := count()
	for range n {
		if h.button("1") == nil {
			break // erased: no lock any more
		}
		if h.button("1").Disabled() || h.tries().Left(h.mono) > 0 {
			h.advance(10 * time.Minute)
			h.restart()
		}
		h.typePIN("000000")
		for range 400 {
			h.drain()
			if h.shows("Choose your language") {
				return 0
			}
			if !h.ui.Busy() {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		fails = count()
	}
	return fails
}

// TestLockOnBackground leaves the app through Fyne's lifecycle hooks: the
// window's content is hidden at once, without asking for anything; on
// coming back after longer than the idle time the learner chose, it asks
// for the PIN.
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
	if texts := h.texts(); len(texts) > 0 {
		t.Errorf("in the background the window shows %q", texts)
	}
	h.now = h.now.Add(6 * time.Minute) // longer than the idle time (5 minutes)
	lc.OnEnteredForeground()()
	h.mustShow("Type your PIN.")
	h.mustNotShow("Stay safe online")
	h.typePIN(pin)
	h.waitFor("Stay safe online")

	// A moment away (switching windows on a laptop) hides the window but
	// does not lock.
	lc.OnExitedForeground()()
	h.mustNotShow("Stay safe online")
	h.now = h.now.Add(5 * time.Second)
	lc.OnEnteredForeground()()
	h.mustShow("Stay safe online")

	// A desktop that never tells the window it has the focus again: a
	// click on the plain screen comes back the same way.
	lc.OnExitedForeground()()
	h.mustNotShow("Stay safe online")
	tapCurtain := func() {
		t.Helper()
		c, ok := h.ui.Window().Content().(fyne.Tappable)
		if !ok {
			t.Fatalf("the plain screen (%T) cannot be tapped", h.ui.Window().Content())
		}
		test.Tap(c)
	}
	tapCurtain()
	h.mustShow("Stay safe online")
	// ...and after longer than the idle time, the click asks for the PIN.
	lc.OnExitedForeground()()
	h.now = h.now.Add(6 * time.Minute)
	tapCurtain()
	h.mustShow("Type your PIN.")
	h.mustNotShow("Stay safe online")
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

// TestAttackDeleteEverything fills the app with canaries, deletes
// everything, and reads every file left in the folder: nothing of the
// learner is there, the database is gone and no new one is made until the
// app starts again, and a file of the learner's own in the same folder
// (given with -data) is untouched.
func TestAttackDeleteEverything(t *testing.T) {
	h := newHarness(t)
	dir := filepath.Dir(h.path)
	photo := filepath.Join(dir, "family-photo.jpg")
	if err := os.WriteFile(photo, []byte("a photo the learner keeps here"), 0o600); err != nil {
		t.Fatal(err)
	}
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
	h.mustNotShow("Trainer mode") // a learner's device has none
	h.tap("Yes, delete everything")
	h.waitFor("Choose your language")
	h.ui.Flush()

	if found := filesContain(t, dir, "canarynick", "canarynote", "passcodes", "hardest-pin", "birthday"); len(found) > 0 {
		t.Errorf("after delete everything: %v", found)
	}
	// The app goes on as new, and writes nothing until it starts again.
	h.firstRun()
	h.mustShow("0 of 2 lessons done")
	h.mustNotShow("canarynick")
	h.tap("Start")
	h.tap("Next")
	h.ui.Flush()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != "family-photo.jpg" {
		t.Errorf("after delete everything the folder holds %v; want only the learner's own photo", names)
	}
	if got, err := os.ReadFile(photo); err != nil || string(got) != "a photo the learner keeps here" {
		t.Errorf("the learner's own file was touched: %q, %v", got, err)
	}
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
	h.setSafePIN(safePIN)
	h.restart()
	events := h.eventRows(t)

	h.typePIN(safePIN)
	h.waitFor("Practise English")
	for _, s := range []string{"Stay safe online", "My journey", "Continue where you left off"} {
		h.mustNotShow(s)
	}
	h.tap("Practise English")
	h.tap("English at work")
	h.tap("Next")
	h.tap("Pause")
	h.stop()
	if got := h.eventRows(t); got != events {
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

// TestAttackSafeProfileTwice opens the safe profile, locks, opens it
// again, and only then the real one: the real profile is all there.
func TestAttackSafeProfileTwice(t *testing.T) {
	h := newHarness(t)
	h.fsys = lessons.FS
	h.start()
	h.firstRun()
	h.tap("Start")
	h.tap("Next")
	h.tap("Pause")
	h.setPIN(pin)
	h.setSafePIN(safePIN)
	h.tap("Home")
	for range 2 {
		h.tap("Exit")
		for _, d := range safePIN {
			h.tap(string(d))
		}
		h.tap("=")
		h.waitFor("Practise English")
	}
	h.tap("Exit")
	for _, d := range pin {
		h.tap(string(d))
	}
	h.tap("=")
	h.waitFor("Continue where you left off")
	h.mustShow("Lock your phone")
	h.tap("My journey") // the real profile has its journey
	h.mustShow("Registered with a GP")
}

// TestAttackSafeProfileCannotBeToldApart compares the files of a device
// with a safe profile and one without: the same settings, of the same
// sizes; and the safe profile's Settings shows a lock section like the
// real one, whose changes stay in memory.
func TestAttackSafeProfileCannotBeToldApart(t *testing.T) {
	shape := func(withSafe bool) map[string]int {
		h := newHarness(t)
		h.start()
		h.firstRun()
		h.setPIN(pin)
		if withSafe {
			h.setSafePIN(safePIN)
		}
		out := map[string]int{}
		for k, v := range h.prefs() {
			out[k] = len(v)
		}
		h.stop()
		return out
	}
	with, without := shape(true), shape(false)
	if fmt.Sprint(with) != fmt.Sprint(without) {
		t.Errorf("settings with a safe profile %v, without %v: they can be told apart", with, without)
	}

	h := newHarness(t)
	h.fsys = lessons.FS
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.setSafePIN(safePIN)
	h.restart()
	before := h.prefs()
	h.typePIN(safePIN)
	h.waitFor("Practise English")
	h.tap("Settings")
	for _, s := range []string{"App lock", "Waymark is locked with your PIN or passphrase.", "Change", "Turn the lock off", "Safe profile", "Set a safe-profile PIN", "Erase everything after wrong tries", "Delete everything"} {
		h.mustShow(s)
	}
	h.tap("Change")
	h.typePIN("502917")
	h.typePIN("502917")
	h.waitFor("Waymark is locked with your PIN or passphrase.")
	h.tap("After 10 wrong tries")
	h.ui.Flush()
	after := h.prefs()
	delete(before, "lock.tries")
	delete(after, "lock.tries")
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Error("the safe profile's settings changed the device")
	}
	h.restart()
	h.typePIN(pin)
	h.waitFor("Stay safe online")
}

// TestAttackMainPINEqualToSafe tries to make the main PIN the same as
// the safe-profile PIN (which would then open everything): refused.
func TestAttackMainPINEqualToSafe(t *testing.T) {
	h := newHarness(t)
	h.fsys = lessons.FS
	h.start()
	h.firstRun()
	h.setPIN(pin)
	h.setSafePIN(safePIN)
	h.tap("Change")
	h.typePIN(safePIN)
	h.typePIN(safePIN)
	h.waitFor("Your main PIN and the safe-profile PIN must be different.")
	h.tap("Back")
	h.restart()
	h.typePIN(safePIN)
	h.waitFor("Practise English")
	h.mustNotShow("My journey")
}

// TestAttackDamagedDatabase damages the database as storage does: the app
// never ends or writes into it; the learner sees a calm screen that says
// the old file is kept, and can start fresh; the damaged file is still
// there, moved aside.
func TestAttackDamagedDatabase(t *testing.T) {
	damages := map[string]func([]byte) []byte{
		"truncated":           func(d []byte) []byte { return d[:len(d)/2+100] },
		"random header":       func(d []byte) []byte { copy(d, bytes.Repeat([]byte{0x5a, 0xc3}, 50)); return d },
		"zeroed first 64 KiB": func(d []byte) []byte { clear(d[:min(len(d), 64*1024)]); return d },
		"zeroed page mid-file": func(d []byte) []byte {
			mid := (len(d) / 4096 / 2) * 4096
			clear(d[mid : mid+4096])
			return d
		},
		"last page zeroed": func(d []byte) []byte { clear(d[len(d)-4096:]); return d },
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.start()
			h.firstRun()
			for _, l := range []string{"passcodes", "scam-messages", "register-gp", "safe-job-search"} {
				h.ui.Open(l)
				for range 6 {
					if b := h.button("Next"); b != nil {
						test.Tap(b)
					}
				}
				h.tap("Pause")
			}
			h.stop()
			data, err := os.ReadFile(h.path)
			if err != nil {
				t.Fatal(err)
			}
			damaged := damage(data)
			if err := os.WriteFile(h.path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			h.start()
			h.mustShow("Your saved progress could not be read")
			h.mustShow("It has not been deleted")
			h.mustShow("Start fresh")
			kept := h.damaged
			if h.damaged == "" {
				// Found when the record was read, not at open: moved aside now.
				h.tap("Start fresh")
				h.waitFor("Choose your language")
				kept = h.movedAside(t)
			} else {
				h.tap("Start fresh")
				h.waitFor("Choose your language")
			}
			if got, err := os.ReadFile(kept); err != nil || !bytes.Equal(got, damaged) {
				t.Errorf("the damaged file was not kept as it was (%s): %v", kept, err)
			}
			h.firstRun()
			h.mustShow("0 of 2 lessons done")
		})
	}
}

// movedAside finds the one damaged file moved aside in the folder.
func (h *harness) movedAside(t *testing.T) string {
	t.Helper()
	matches, _ := filepath.Glob(h.path + ".damaged-*")
	var dbs []string
	for _, m := range matches {
		if !strings.HasSuffix(m, "-wal") && !strings.HasSuffix(m, "-shm") && !strings.HasSuffix(m, "-journal") {
			dbs = append(dbs, m)
		}
	}
	if len(dbs) != 1 {
		t.Fatalf("moved aside: %v", matches)
	}
	return dbs[0]
}

// TestAttackLogs captures everything the app logs during a whole session
// (a lesson, the journey, the lock, wrong PINs, unlocking, a failing
// write, erasing) and finds no canary, no lesson or milestone, and no
// setting's name.
func TestAttackLogs(t *testing.T) {
	h := newHarness(t)
	h.fsys = lessons.FS
	h.start()
	h.firstRun()
	h.tap("Settings")
	test.Type(h.entries()[0], "canarynick")
	h.tap("Save")
	h.tap("My journey")
	h.tap("Add your own step")
	test.Type(h.entries()[0], "canarytitle")
	h.tap("Save")
	test.Type(h.entries()[len(h.entries())-1], "canarynote")
	h.tap("Save")
	h.tap("Back")
	h.tap("Home")
	h.tap("Start")
	h.tap("Next")
	h.tap("Next")
	h.tap("140396 (a birthday)")
	h.tap("Pause")
	h.setPIN(pin)
	h.tap("After 10 wrong tries")
	h.restart()
	h.wrongTries(4)
	h.advance(10 * time.Minute)
	h.restart()
	h.failTries = true
	h.typePIN(pin)
	h.waitFor("Waymark could not save just now")
	h.failTries = false
	h.typePIN(pin)
	h.waitFor("Stay safe online")
	h.ui.Open("no-such-lesson")
	h.tap("Settings")
	h.tap("Delete everything")
	h.tap("Yes, delete everything")
	h.waitFor("Choose your language")
	h.ui.Flush()
	h.stop()

	logs := h.logs.String()
	if !strings.Contains(logs, "level=") {
		t.Fatalf("nothing was logged: the test sees nothing (%q)", logs)
	}
	for _, c := range []string{"canarynick", "canarytitle", "canarynote", "birthday", pin, "passcodes", "hardest-pin", "why-lock", "no-such-lesson",
		"nickname", "lock.main", "lock.safe", "lock.kind", "lock.tries", "keyring", "lock.erase_after", "lock.idle", "welcomed", "text_size", "lang",
		"milestone", "step.shown", "answer", "lesson.done", "journey"} {
		if strings.Contains(logs, c) {
			t.Errorf("the logs name %q:\n%s", c, logs)
		}
	}
}
