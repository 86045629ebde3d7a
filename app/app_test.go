package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// firstRun picks English and passes the welcome.
func (h *harness) firstRun() {
	h.t.Helper()
	h.mustShow("Choose your language")
	h.tap("English")
	h.mustShow("Welcome to Waymark")
	h.mustShow("Everything works without the internet.")
	h.mustShow("We do not ask for your name")
	h.tap("Start")
	h.mustShow("Lessons")
}

func TestFirstRunThenHome(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.mustShow("Stay safe online")
	h.mustShow("Everyday life online")
	h.mustShow("Start here")
	h.mustShow("0 of 2 lessons done")

	// The welcome is shown once.
	h.restart()
	h.mustNotShow("Choose your language")
	h.mustShow("Stay safe online")
}

// TestWalkLessonByTapping takes the passcodes lesson from start to finish
// the way a learner would, with a wrong answer on the way, then starts
// the app again on the same database and finds the progress.
func TestWalkLessonByTapping(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Start") // the "Start here" card: Lock your phone
	h.mustShow("Why lock your phone?")
	h.mustShow("Step 1 of 8")
	h.tap("Next")
	h.mustShow("Kinds of screen lock")
	h.tap("Next")

	// A choice: wrong, feedback, try again, right.
	h.mustShow("Which PIN is hardest for someone else to guess?")
	if !h.button("Next").Disabled() {
		t.Fatal("Next is enabled before the question is answered")
	}
	h.tap("123456")
	h.mustShow("Not quite")
	h.mustShow("This is one of the most common PINs.")
	h.mustShow("A good PIN has no pattern") // the explanation
	if h.tile("123456").State() != xwidget.TileNote {
		t.Error("the wrong answer is not marked")
	}
	if h.button("Next").Disabled() {
		t.Error("Next stays disabled after an answer: a learner could be stuck")
	}
	h.tap("Try again")
	h.mustNotShow("Not quite")
	h.tap("730591")
	h.mustShow("That's right")
	if h.tile("730591").State() != xwidget.TileGood {
		t.Error("the right answer is not marked")
	}
	h.tap("Next")

	h.mustShow("Make a good PIN")
	h.tap("Next")

	// True or false.
	h.mustShow("It is safe to tell your passcode to anyone who asks for it.")
	h.tap("False")
	h.mustShow("That's right")
	h.mustShow("Your passcode is only for you.")
	h.tap("Next")

	// Choose all that apply: one missed first.
	h.tap("Cover the screen with your hand when you type it")
	h.tap("Change it if you think someone saw it")
	h.tap("Check my answer")
	h.mustShow("Nearly there")
	h.mustShow("Also right:")
	h.tap("Try again")
	h.tap("Set the phone to lock itself after 1 minute")
	h.tap("Check my answer")
	h.mustShow("That's right")
	h.tap("Next")

	// Put in order, with the arrows.
	h.mustShow("Put these steps in order")
	h.tap("Check my answer") // the shuffled order is never already right
	h.mustShow("Not quite")
	h.mustShow("The right order is:")
	h.tap("Try again")
	want := []string{"Open the Settings app", "Tap Security or Lock screen", "Tap Screen lock", "Choose PIN, then type your new PIN two times"}
	h.sortOrderStep(want)
	h.tap("Check my answer")
	h.mustShow("That's right")
	h.tap("Next")

	h.mustShow("Step 8 of 8")
	h.tap("Finish")
	h.mustShow("Lesson complete")
	h.mustShow("Turn on a screen lock") // a skill practised
	h.mustShow("Choose a PIN that is hard to guess")
	h.mustShow("Next lesson")

	// Close the app and start it again on the same database.
	h.restart()
	h.mustShow("1 of 2 lessons done")
	h.tap("Progress")
	h.mustShow("1 of 4 lessons done")
	h.mustShow("Done")
	h.mustShow("Lock your phone")

	events, err := h.db.Events(t.Context(), learn.EventID{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var answers, done int
	for _, e := range events {
		switch e.Kind {
		case learn.EventAnswered:
			answers++
		case learn.EventLessonDone:
			done++
		}
	}
	// choice 2, truefalse 1, multi 2, order 2.
	if answers != 7 || done != 1 {
		t.Errorf("log has %d answers and %d completions, want 7 and 1", answers, done)
	}
}

// sortOrderStep moves the items of the order step on screen into want,
// tapping the up arrows as a learner would.
func (h *harness) sortOrderStep(want []string) {
	h.t.Helper()
	for range 20 {
		got := h.orderOnScreen(want)
		if slices.Equal(got, want) {
			return
		}
		for i := range got {
			if got[i] != want[i] {
				// Move the item that belongs here up, one row at a time.
				j := slices.Index(got, want[i])
				h.tapMoveUp(want[i], j)
				break
			}
		}
	}
	h.t.Fatalf("could not sort the order step: %v", h.orderOnScreen(want))
}

// orderOnScreen returns the items in the order they appear.
func (h *harness) orderOnScreen(items []string) []string {
	var out []string
	for _, s := range h.texts() {
		if slices.Contains(items, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// tapMoveUp taps the up arrow in the row of item.
func (h *harness) tapMoveUp(item string, _ int) {
	h.t.Helper()
	row := h.tile(item)
	if row == nil {
		h.t.Fatalf("no row for %q", item)
	}
	var up *xwidget.Button
	walk(row.Content, nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		if b, ok := o.(*xwidget.Button); ok && up == nil {
			up = b
		}
	})
	if up == nil || up.Disabled() {
		h.t.Fatalf("row %q has no enabled up arrow", item)
	}
	test.Tap(up)
}

func TestResumeAtTheSameStep(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Start")
	h.tap("Next")
	h.tap("Next")
	h.mustShow("Step 3 of 8")
	h.tap("Pause")
	h.mustShow("Continue where you left off")
	h.mustShow("Step 3 of 8")

	h.restart()
	h.mustShow("Continue where you left off")
	h.mustShow("Step 3 of 8")
	h.tap("Continue")
	h.mustShow("Which PIN is hardest for someone else to guess?")
	h.tap("Back")
	h.mustShow("Kinds of screen lock")

	// Closing without Pause (the app killed, the phone switched off) keeps
	// the step too.
	h.restart()
	h.mustShow("Step 2 of 8")
}

func TestContentNoteBeforeLesson(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Everyday life online")
	h.tap("Look for work safely")
	h.mustShow("Before you start")
	h.mustShow("This lesson talks about fake job offers")
	h.tap("Not now")
	h.mustShow("Register with a GP") // back on the track's list
	if got := h.ui; got == nil {
		t.Fatal("no ui")
	}
	h.tap("Look for work safely")
	h.tap("Continue")
	h.mustShow("Real jobs and fake offers")
}

func TestSpotTheWarningSigns(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Stay safe online")
	h.tap("Spot scam messages")
	h.tap("Next")
	h.tap("Next")
	h.mustShow("Tap each part that is a warning sign")
	h.mustShow("From: Unknown number")
	h.tap("You will get £240 back from a payment you made.")
	h.tap("Thank you.")
	h.tap("Check my answer")
	h.mustShow("Nearly there")
	h.mustShow("You found:")
	h.mustShow("This part is fine:")
	h.mustShow("Also a warning sign:")
	h.tap("Try again")
	h.tap("Thank you.") // unselect
	for _, s := range []string{"You must claim it in the next 2 hours, or you will lose it.", "Tap this link to claim your money.", "Then send us the code we text you."} {
		h.tap(s)
	}
	h.tap("Check my answer")
	h.mustShow("That's right")
}

func TestLanguageTakesEffectAtOnce(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Settings")
	h.tap("Shqip")
	h.mustShow("Cilësimet") // Settings, in Albanian
	h.mustNotShow("Text size")
	h.tap("Kreu")
	h.restart()
	h.mustNotShow("Stay safe online")
	h.tap("Cilësimet")
	h.tap("English")
	h.mustShow("Text size")
}

// The app reads a lesson only when a screen needs it, and a language's
// words only once the learner picks it; both reach lessons read before
// and after.
func TestLessonsAndLanguagesReadWhenNeeded(t *testing.T) {
	h := newHarness(t)
	h.lazy = true
	h.start()
	h.firstRun()
	h.mustShow("0 of 2 lessons done")
	if n := len(h.lib.Course.Lessons); n != 1 {
		t.Errorf("the home screen read %d lessons; it needs only the one it offers", n)
	}
	h.tap("Settings")
	h.tap("Shqip")
	h.tap("Kreu")
	h.mustShow("Të sigurt në internet") // a track, in Albanian
	h.mustShow("Kyçeni telefonin")      // the lesson read before Albanian was picked
	h.tap("Jeta e përditshme në internet")
	h.mustShow("Regjistrohuni te mjeku i familjes (GP)") // one read after
	h.tap("Regjistrohuni te mjeku i familjes (GP)")
	h.restart()
	h.mustShow("Regjistrohuni te mjeku i familjes (GP)") // continue where you left off, after a restart
}

// The benchmarks' probe fires once for each new screen, when it is drawn.
func TestFrameProbe(t *testing.T) {
	h := newHarness(t)
	drawn := 0
	h.probe = func() { drawn++ }
	h.start()
	if drawn != 0 {
		t.Fatalf("probe fired %d times before anything was drawn", drawn)
	}
	h.ui.Window().Canvas().Capture()
	h.ui.Window().Canvas().Capture()
	if drawn != 1 {
		t.Fatalf("first screen drawn twice: probe fired %d times, want 1", drawn)
	}
	h.firstRun()
	h.ui.Window().Canvas().Capture()
	if drawn < 2 {
		t.Fatalf("home drawn: probe fired %d times, want at least 2", drawn)
	}
}

// The first screen is drawn once, in its final state: nothing the app does
// once its window is up (the start-up lifecycle events, fitting the
// window to the screen, background work finishing) builds the screen
// again or changes its size, each of which would draw it again. A new
// learner's first screen and a returning learner's are checked.
func TestFirstScreenIsFinal(t *testing.T) {
	for _, tc := range []struct {
		name      string
		returning bool
		want      string
	}{
		{"first run", false, "Choose your language"},
		{"returning", true, "Stay safe online"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.returning {
				h.start()
				h.firstRun()
				h.stop()
			}
			drawn := 0
			h.probe = func() { drawn++ }
			ui := h.start()
			ui.ShowAndRun(nil) // sizes and shows the window (the test driver's does not block)
			w := ui.Window()
			w.Canvas().Capture()
			first, size := w.Content(), w.Canvas().Size()
			body := screenOf(first)
			h.mustShow(tc.want)

			// What the driver does once the window is up, then the
			// background work started at start-up, finished.
			lc := h.a.Lifecycle().(interface {
				OnStarted() func()
				OnEnteredForeground() func()
			})
			for _, hook := range []func(){lc.OnStarted(), lc.OnEnteredForeground()} {
				if hook != nil {
					hook()
				}
			}
			ui.Flush()
			time.Sleep(50 * time.Millisecond) // the idle check ticks every 5 ms in tests
			h.drain()
			w.Canvas().Capture()

			if drawn != 1 {
				t.Errorf("the first screen was drawn as %d different screens, want 1 (rebuilt after it was shown)", drawn)
			}
			if w.Content() != first || screenOf(w.Content()) != body {
				t.Error("the first screen was replaced after it was shown")
			}
			if got := w.Canvas().Size(); got != size {
				t.Errorf("the window was resized after it was shown: %v, then %v", size, got)
			}
		})
	}
}

// screenOf returns the screen the window's content shows: the first
// object of the body (the window's content is a border around it, with
// the notices above).
func screenOf(content fyne.CanvasObject) fyne.CanvasObject {
	if objs := children(content); len(objs) > 0 {
		if body := children(objs[0]); len(body) > 0 {
			return body[0]
		}
	}
	return nil
}

// Switching to Arabic at run time mirrors the screens: Next moves to the
// left of Back, and the quick-exit button to the other corner.
func TestSwitchingToArabicMirrors(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	centre := func(label string) float32 {
		t.Helper()
		b := h.button(label)
		if b == nil {
			t.Fatalf("no %q button; the screen shows:\n%s", label, strings.Join(h.texts(), "\n"))
		}
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(b).X + b.Size().Width/2
	}
	width := h.ui.Window().Canvas().Size().Width

	h.ui.Open("passcodes")
	h.tap("Next") // the second step has Back too
	if next, back := centre("Next"), centre("Back"); next <= back {
		t.Errorf("English: Next at %v is not right of Back at %v", next, back)
	}
	if exit := centre("Exit"); exit < width/2 {
		t.Errorf("English: Exit at %v is not in the right half of %v", exit, width)
	}

	h.tap("Pause")
	h.tap("Settings")
	h.tap("العربية")
	h.ui.Open("passcodes")
	h.tap("التالي")
	if next, back := centre("التالي"), centre("رجوع"); next >= back {
		t.Errorf("Arabic: Next at %v is not left of Back at %v", next, back)
	}
	if exit := centre("خروج"); exit > width/2 {
		t.Errorf("Arabic: Exit at %v is not in the left half of %v", exit, width)
	}
}

func TestSystemLanguageIsOfferedFirst(t *testing.T) {
	h := newHarness(t)
	h.start("vi_VN.UTF-8")
	h.mustShow("Chọn ngôn ngữ của bạn") // the picker's title in Vietnamese
	h.mustShow("Choose your language")  // and in English, for a trainer
	h.restart()

	// A phone set to Amharic must not get Tigrinya.
	h2 := newHarness(t)
	h2.start("am_ET.UTF-8")
	h2.mustShow("Choose your language")
	h2.mustNotShow("ቋንቋኹም ምረጹ")
}

func TestTextSizeAndColours(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	h.tap("Settings")
	base := fyne.CurrentApp().Settings().Theme().Size("text")
	h.tap("Extra large")
	if got := fyne.CurrentApp().Settings().Theme().Size("text"); got <= base*1.3 {
		t.Errorf("extra large text is %v, normal %v", got, base)
	}
	h.tap("High contrast")
	bg := fyne.CurrentApp().Settings().Theme().Color("background", 0)
	if r, g, b, _ := bg.RGBA(); r+g+b != 0 {
		t.Errorf("high contrast background is %v, want black", bg)
	}
	h.restart()
	if got := fyne.CurrentApp().Settings().Theme().Size("text"); got <= base*1.3 {
		t.Errorf("after restart, text size %v: the setting was not kept", got)
	}
}

// TestTouchTargets checks every tappable thing on the main screens and a
// lesson step is at least 48 units tall, at phone size.
func TestTouchTargets(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.firstRun()
	check := h.touchTargets
	check("home")
	h.tap("Start")
	h.tap("Next")
	h.tap("Next")
	check("choice step")
	h.tap("123456")
	check("feedback")
	h.tap("Pause")
	h.tap("Progress")
	check("progress")
	h.tap("Settings")
	check("settings")
	h.tap("My journey")
	check("journey")
	h.tapHelp()
	check("help")
	h.tap("Back")
	h.setPIN(pin)
	h.restart()
	check("lock")
	h.typePIN(pin)
	h.waitFor("Stay safe online")
	h.tap("Exit")
	check("quick-exit cover")
}

// In the app as shipped, a lesson is read the first time a screen needs
// it: one that cannot be read then is left out of every list, and the
// learner is told once, calmly, that some lessons could not be loaded
// (why goes to the log).
func TestUnreadableLessonFoundWhenFirstNeeded(t *testing.T) {
	h := newHarness(t)
	broken := copyFS(t)
	broken["passcodes/lesson.toml"].Data = []byte("minutes = \"six\"\n")
	h.fsys = broken
	h.lazy = true
	var reported []string
	h.report = func(ps tomldoc.Problems) {
		for _, p := range ps {
			reported = append(reported, p.String())
		}
	}
	const notice = "Some lessons could not be loaded, so they are not shown."
	h.start()
	h.mustNotShow(notice) // no lesson has been read yet
	h.firstRun()          // the home screen offers the first lesson: passcodes
	h.mustShow(notice)
	h.mustShow("Spot scam messages") // offered instead
	h.mustShow("0 of 1 lesson done")
	if len(reported) == 0 || !strings.Contains(strings.Join(reported, "\n"), "passcodes/lesson.toml") {
		t.Errorf("the problem was not reported with its file: %v", reported)
	}
	h.tap("Stay safe online")
	h.mustNotShow("Lock your phone") // passcodes' title, had it loaded
	h.tap("Home")
	n := 0
	for _, s := range h.texts() {
		if s == notice {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the notice shows %d times, want once", n)
	}
}

func TestBrokenLessonDoesNotHideTheRest(t *testing.T) {
	h := newHarness(t)
	broken := copyFS(t)
	// A lesson whose structure is broken.
	broken["passcodes/lesson.toml"].Data = []byte("minutes = \"six\"\n")
	h.fsys = broken
	if _, ps := lessonfile.Load(h.fsys); len(ps.Errors()) == 0 {
		t.Fatal("the broken fixture loads without error")
	}
	h.start()
	h.mustShow("Some lessons could not be loaded")
	h.firstRun()
	h.mustShow("Spot scam messages") // the "Start here" card: passcodes is gone
	h.mustShow("0 of 1 lesson done")
	h.mustShow("Everyday life online")
}

// TestSettingsKeepTheirPlace: a choice far down Settings (the discreet
// title, the quick exit, the text size) builds the screen again where the
// person was, not back at the top.
func TestSettingsKeepTheirPlace(t *testing.T) {
	h := newHarness(t)
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1"})
	h.start()
	h.tap("Settings")
	scroll := func() *container.Scroll {
		var s *container.Scroll
		walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
			if c, ok := o.(*container.Scroll); ok && s == nil {
				s = c
			}
		})
		if s == nil {
			t.Fatal("Settings do not scroll")
		}
		return s
	}
	s := scroll()
	bottom := s.Content.MinSize().Height - s.Size().Height
	if bottom <= 0 {
		t.Fatalf("Settings fit the phone (%v in %v): nothing to keep", s.Content.MinSize(), s.Size())
	}
	s.ScrollToOffset(fyne.NewPos(0, bottom))
	for _, choice := range []string{"Discreet window title", "Close Waymark", "Show a calculator"} {
		h.tap(choice)
		if got := scroll().Offset.Y; got < bottom-200 {
			t.Errorf("after %q Settings are scrolled to %v, were at %v", choice, got, bottom)
		}
	}
}
