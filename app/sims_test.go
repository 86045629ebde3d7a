package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// TestSimulations drives every practice simulation with wrong and right
// interactions, to completion, on a fixture course with one of each.
func TestSimulations(t *testing.T) {
	h := newHarness(t)
	h.fsys = os.DirFS("testdata/course")
	h.start()
	h.firstRun()
	h.tap("Start")

	// inbox
	{
		h.mustShow("Sort these messages.")
		h.touchTargets("inbox")
		if !h.button("Check my answer").Disabled() {
			t.Error("check is enabled before every message is sorted")
		}
		h.tapIn("Green Street Surgery", "Safe")
		h.tapIn("Unknown number", "Safe") // a scam, marked safe
		h.tap("Check my answer")
		h.mustShow("Not quite")
		h.mustShow("A fee for a parcel you did not expect: a scam.")
		h.mustShow("In real life")
		h.mustShow("Forward scam texts to 7726.")
		h.tap("Try again")
		h.tapIn("Unknown number", "Scam")
		h.tap("Check my answer")
		h.mustShow("That's right")
		h.tap("Next")
	}

	// advert
	{
		h.mustShow("Job advert")
		h.mustShow("Pay £100 before you start.")
		h.touchTargets("job advert")
		h.tap("Someone keeps your passport")
		h.tap("Check my answer")
		h.mustShow("Not quite")
		h.tap("Try again")
		h.tap("Someone keeps your passport")
		h.tap("A fee before you start")
		h.tap("Check my answer")
		h.mustShow("That's right")
		h.mustShow("Never pay to get a job.")
		h.tap("Next")
	}

	// flow
	{
		h.mustShow("Book the Tuesday appointment.")
		h.touchTargets("booking flow")
		h.mustShow("Home")
		h.tap("Prescriptions")
		h.mustShow("Prescriptions are for medicines. Look for Appointments.")
		h.mustShow("Home") // still on the same screen
		h.tap("Appointments")
		h.mustShow("Choose a time")
		h.mustNotShow("Prescriptions are for medicines")
		h.tap("Wednesday 15:00")
		h.mustShow("The task is the Tuesday appointment.")
		h.tap("Tuesday 10:00")
		h.mustShow("Your appointment is booked for Tuesday at 10:00.")
		h.mustShow("That's right")
		h.mustShow("In the NHS App, tap Appointments.")
		h.tap("Next")
	}

	// email
	{
		h.mustShow("Send your CV to jobs@greenleaf.example.")
		h.touchTargets("email")
		e := h.entries()
		if len(e) != 3 {
			t.Fatalf("want 3 fields (to, subject, message), got %d", len(e))
		}
		test.Type(e[0], "jobs@greenleef.example")
		test.Type(e[2], "Hello, I would like the cleaner job. My secret words.")
		h.tap("Passport photo.jpg")
		h.tap("Send")
		h.mustShow("Nearly there") // the message was written
		h.mustShow("Check the address")
		h.mustShow("Add a subject")
		h.mustShow("Better not to send this file:")
		h.mustShow("Attach this file:")
		h.tap("Try again")
		e[0].SetText("jobs@greenleaf.example")
		test.Type(e[1], "Cleaner job")
		h.tap("Passport photo.jpg") // take it off
		h.tap("My CV.pdf")
		h.tap("Send")
		h.mustShow("That's right")
		h.mustShow("Your practice email is on its way.")
		h.tap("Next")
	}

	// passcode
	{
		h.mustShow("Do not type your real one")
		h.touchTargets("passcode builder")
		e := h.entries()[0]
		test.Type(e, "123456")
		h.mustShow("Weak")
		h.mustShow("This is one of the first codes people try.")
		h.tap("Check my passcode")
		h.mustShow("Not quite")
		h.tap("Try again")
		test.Type(e, "730591")
		h.mustShow("Strong")
		h.tap("Check my passcode")
		h.mustShow("That's right")
		h.tap("Next")
	}

	// privacy
	{
		h.mustShow("Make these settings safe.")
		h.touchTargets("privacy settings")
		h.tap("Check my answer") // everything is still on
		h.mustShow("Nearly there")
		h.mustShow("Still on, but better off:")
		h.tap("Try again")
		h.tap("Share my location")
		h.tap("Check my answer")
		h.mustShow("That's right")
		h.mustShow("Turned off:")
		h.tap("Next")
	}

	// phrases
	{
		h.mustShow("Hello, I have an appointment.")
		h.mustShow("When you did not understand.")
		h.mustShow("These phrases are now in your review list.")
		h.tap("Finish")
		h.mustShow("Lesson complete")
	}

	// review
	{
		h.tap("Back to home")
		h.mustShow("2 phrases to practise")
		h.tap("Practise now")
		h.mustShow("Phrase 1 of 2")
		h.mustNotShow("Could you say that again, please?")
		h.tap("Show the English")
		h.tap("I knew it")
		h.mustShow("Phrase 2 of 2")
		h.tap("Show the English")
		h.tap("Not yet")
		h.mustShow("That is all for now.")
		h.tap("Stop")
		h.mustNotShow("phrases to practise") // nothing due until tomorrow
	}

	// Nothing typed into a simulation is kept: not the email's words, not
	// the PIN. The log keeps only what was right.
	h.stop()
	events := h.eventsFromDisk(t)
	for _, e := range events {
		if e.Step == "pin" && e.Kind == learn.EventAnswered && !slices.Contains([]string{"weak", "fair", "strong"}, strings.Join(e.Answer, "")) {
			t.Errorf("passcode answer stored as %q", e.Answer)
		}
	}
	dir := filepath.Dir(h.path)
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, canary := range []string{"730591", "My secret words", "Cleaner job", "greenleef"} {
			if bytes.Contains(data, []byte(canary)) {
				t.Errorf("%s holds %q, typed into a simulation", f.Name(), canary)
			}
		}
	}
}

// TestPracticeSimulations drives the simulations where people get stuck
// most (a GOV.UK-style form, a trip with contactless, a bank's payee
// check, a CV builder, taking back a hijacked account) through wrong and
// right answers to the end, at normal and at extra large text.
func TestPracticeSimulations(t *testing.T) {
	for _, size := range []string{"Normal", "Extra large"} {
		t.Run(size, func(t *testing.T) { practiceSimulations(t, size) })
	}
}

// TestAttackPracticeTypedWordsFromDisk is someone who gets hold of the
// device after a learner practised: they read every file of the app's
// data (the database, its journal) for what the learner typed into the
// form, the CV and the account (an email, a name, sentences, a password),
// and the log for anything but ids. Only which parts were done is there.
func TestAttackPracticeTypedWordsFromDisk(t *testing.T) {
	h := practiceSimulations(t, "Normal")
	course, _ := lessonfile.Load(h.fsys)
	l := course.Lesson("more")
	answered := 0
	for _, e := range h.eventsFromDisk(t) {
		if e.Lesson != "more" || e.Kind != learn.EventAnswered {
			continue
		}
		answered++
		s := l.Steps[l.StepIndex(e.Step)]
		for _, a := range e.Answer {
			if !slices.Contains(s.Choices(), a) {
				t.Errorf("%s: answer %q is not one of the step's ids", e.Step, a)
			}
		}
	}
	if answered < len(l.Steps) {
		t.Fatalf("%d answers recorded for %d steps: the attack has nothing to read", answered, len(l.Steps))
	}
	if found := filesContain(t, filepath.Dir(h.path), "canary-amina", "amina.example", "Canary Amina", "canary food", "Tigrinya", "kettle river", "12 5 1991", "canary@example"); len(found) > 0 {
		t.Errorf("typed words kept: %v", found)
	}
}

// practiceSimulations drives the fixture's practice lesson to its end at
// a text size, and returns the harness, stopped.
func practiceSimulations(t *testing.T, size string) *harness {
	h := newHarness(t)
	h.fsys = os.DirFS("testdata/course")
	h.start()
	h.firstRun()
	if size != "Normal" {
		h.tap("Settings")
		h.tap(size)
	}
	if !h.ui.Open("more") {
		t.Fatal("cannot open the fixture lesson")
	}

	// A GOV.UK-style form: a page a question, problems explained.
	{
		h.mustShow("Get a share code for a new job.")
		h.mustShow("GOV.UK")
		h.mustShow("Prove your right to work")
		h.touchTargets("form")
		h.tap("Continue")
		h.mustShow("There is a problem")
		h.mustShow("Enter your email address, so we can send you a code.") // the lesson's own words
		test.Type(h.entries()[0], "amina.example.com")
		h.tap("Continue")
		h.mustShow("Enter an email address in the right form, like name@example.com")
		h.touchTargets("form with a problem")
		h.entries()[0].SetText("canary-amina@example.com")
		h.tap("Continue")
		h.mustShow("Enter the security code")
		h.mustShow("482913") // in the pretend text message
		test.Type(h.entries()[0], "482931")
		h.tap("Continue")
		h.mustShow("This code is not right.")
		h.entries()[0].SetText("482 913") // spaces are fine
		h.tap("Continue")
		h.mustShow("What is your date of birth?")
		e := h.entries()
		if len(e) != 3 {
			t.Fatalf("a date has 3 boxes, got %d", len(e))
		}
		test.Type(e[0], "31")
		test.Type(e[1], "4")
		test.Type(e[2], "1990")
		h.touchTargets("date")
		h.tap("Continue")
		h.mustShow("There is no such date. Check the day and the month")
		h.entries()[0].SetText("27")
		h.entries()[1].SetText("3")
		h.tap("Continue")
		h.mustShow("What is your reference number? (optional)")
		h.tap("Continue") // optional: empty is fine
		h.mustShow("What do you need to prove?")
		h.tap("Continue")
		h.mustShow("Answer this question to go on.")
		h.tap("Your right to rent")
		h.tap("Continue")
		h.mustShow("Check your answers")
		h.touchTargets("check your answers")
		for _, s := range []string{"canary-amina@example.com", "27 3 1990", "Not given", "Your right to rent"} {
			h.mustShow(s)
		}
		h.mustNotShow("482") // a code is used once, not shown again
		h.tap("Accept and send")
		h.mustShow("Nearly there")
		h.mustShow("The task is a code for a job: choose your right to work.")
		h.tap("Try again")
		h.tapLast("Change") // the last answer: what you need to prove
		h.tap("Your right to work")
		h.tap("Continue")
		h.mustShow("Check your answers") // Change comes back here
		h.tap("Accept and send")
		h.mustShow("That's right")
		h.mustShow("Your share code is W4B 7KX 9PQ.")
		h.mustShow("In real life")
		h.tap("Next")
	}

	// A trip with contactless.
	{
		h.mustShow("Travel from Kings Road to Park Street.")
		h.mustShow("Kings Road station")
		h.touchTargets("trip")
		h.tap("Your purse, with two cards in it")
		h.mustShow("The reader found more than one card.")
		h.mustShow("Take one card out of the purse first.")
		h.tap("Your bank card")
		h.mustShow("Beep. The gate opens.")
		h.mustShow("Touched in with: Your bank card")
		h.tap("Go to the train")
		h.mustShow("The train takes you to Park Street.")
		h.mustShow("From Kings Road station to Park Street station")
		h.tap("Get off and go to the gates")
		h.mustShow("Park Street station")
		h.touchTargets("trip, touch out")
		h.tap("Your phone")
		h.mustShow("Touched out with: Your phone")
		h.mustShow("Nearly there")
		h.mustShow("A different card is a different journey: you may pay twice.")
		h.tap("Try again")
		h.tap("Your bank card")
		h.tap("Go to the train")
		h.tap("Get off and go to the gates")
		h.tap("Walk out without touching the reader")
		h.mustShow("Not touched out")
		h.mustShow("Without a touch out, you may pay the most expensive fare.")
		h.tap("Try again")
		h.tap("Your phone")
		h.tap("Go to the train")
		h.tap("Get off and go to the gates")
		h.tap("Your phone")
		h.mustShow("That's right")
		h.mustShow("Always touch out with the card you touched in with.")
		h.tap("Next")
	}

	// A bank's payee check.
	{
		h.mustShow("Payment 1 of 3")
		h.mustShow("Sam Carter")
		h.touchTargets("payee")
		h.tap("Continue")
		h.mustShow("The name matches the account.")
		h.tap("Pay")
		h.mustShow("The name matches and you know the payment.")
		h.tap("Next payment")
		h.mustShow("Payment 2 of 3")
		h.tap("Continue")
		h.mustShow("The name is nearly right. The name on the account is:")
		h.mustShow("John Smith")
		h.touchTargets("payee, close match")
		h.tap("Use the name on the account, then pay")
		h.mustShow("It is your friend: use the right spelling.")
		h.tap("Next payment")
		h.tap("Continue")
		h.mustShow("The name does not match the account.")
		h.tap("Pay anyway")
		h.mustShow("Your bank never asks you to move money. Stop.")
		h.tap("See how you did")
		h.mustShow("Nearly there")
		h.mustShow("In real life")
		h.tap("Try again")
		h.mustShow("Payment 1 of 3")
		for _, action := range []string{"Pay", "Use the name on the account, then pay", "Stop. Check with them another way first"} {
			h.tap("Continue")
			h.tap(action)
			if action != "Stop. Check with them another way first" {
				h.tap("Next payment")
			}
		}
		h.tap("See how you did")
		h.mustShow("That's right")
		h.tap("Next")
	}

	// A CV builder that shows the CV.
	{
		h.mustShow("Build your CV.")
		h.touchTargets("CV builder")
		e := h.entries()
		if len(e) != 5 {
			t.Fatalf("want 5 parts, got %d", len(e))
		}
		test.Type(e[0], "Canary Amina")
		test.Type(e[2], "I cook canary food.\nI speak Tigrinya.")
		test.Type(e[4], "12 5 1991")
		h.tap("Show my CV")
		h.mustShow("Your CV:")
		h.mustShow("Canary Amina")
		h.mustShow("Summary")
		h.mustShow("I speak Tigrinya.")
		h.mustShow("Nearly there")
		h.mustShow("Better to leave this off:")
		h.mustShow("A UK CV has no date of birth.")
		h.mustShow("Add this part:")
		h.touchTargets("CV preview")
		h.tap("Try again")
		e[1].SetText("canary@example.com")
		e[4].SetText("")
		h.tap("Show my CV")
		h.mustShow("That's right")
		h.mustNotShow("12 5 1991")
		h.tap("Next")
	}

	// Taking back a hijacked account.
	{
		h.mustShow("Someone else got into your email. Take it back.")
		h.mustShow("This device")
		h.mustShow("Sign out of all other devices")
		h.touchTargets("account security")
		h.tap("Check my account")
		h.mustShow("Not quite")
		h.mustShow("Change the password: the other person may know the old one.")
		h.mustShow("Still signed in:")
		h.mustShow("Turn on 2-step verification.")
		h.tap("Try again")
		pass := h.entries()[0]
		test.Type(pass, "password")
		h.mustShow("Weak")
		if !h.tile("Save the new password").Disabled() {
			t.Error("a weak password can be saved")
		}
		pass.SetText("kettle river blue lamp")
		h.mustShow("Strong")
		h.tap("Save the new password")
		h.mustShow("Password changed.")
		h.tapIn("Windows laptop", "Sign out")
		h.mustShow("Signed out")
		h.tap("Turn on")
		h.mustShow("582916")
		code := h.entries()[0]
		test.Type(code, "111111")
		h.tap("Confirm")
		h.mustShow("This code is not right.")
		h.touchTargets("2-step verification")
		h.entries()[0].SetText("582916")
		h.tap("Confirm")
		h.mustShow("On. To sign in on a new device")
		h.tap("Check my account")
		h.mustShow("Nearly there") // the tablet is still signed in
		h.mustShow("Tablet")
		h.tap("Try again")
		h.tapIn("Tablet", "Sign out")
		h.tap("Check my account")
		h.mustShow("That's right")
		h.mustShow("Do this from a device only you use.")
		h.tap("Finish")
		h.mustShow("Lesson complete")
	}

	h.stop()
	return h
}

// TestShippedPracticeFitsAPhone opens every shipped step of the new
// simulations in every language at extra large text, and walks each one
// through its main states with the words of that language: in every
// state, what the step shows must fit a phone's width, with finger-sized
// targets. (The player's own header row, the dots and "Step 3 of 8",
// is the player's, and is left out.)
func TestShippedPracticeFitsAPhone(t *testing.T) {
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps.Errors()) > 0 {
		t.Fatalf("shipped content: %v", ps.Errors())
	}
	cat, _ := l10n.Load(locales.FS)
	kinds := []learn.StepKind{learn.KindForm, learn.KindTrip, learn.KindPayee, learn.KindCV, learn.KindRecovery}
	for _, lang := range sampled([]string{"en", "sq", "vi", "ro", "so", "ti", "ar", "fa"}) {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			h.fsys = lessons.FS
			setPrefs(t, h.path, map[string]string{"lang": lang, "text_size": "xlarge"})
			h.start()
			T := cat.Localizer(lang).T
			seen := map[learn.StepKind]bool{}
			for _, id := range course.LessonIDs() {
				l := course.Lesson(id)
				for _, s := range l.Steps {
					if !slices.Contains(kinds, s.Kind) {
						continue
					}
					seen[s.Kind] = true
					where := l.ID + "/" + s.ID
					if !h.ui.Open(where) {
						t.Fatalf("cannot open %s", where)
					}
					h.stepFits(where)
					text := func(key string) string { return l.Text.Get(lang, key) }
					switch s.Kind {
					case learn.KindForm:
						h.tap(T("form.continue")) // nothing entered: a problem
						h.stepFits(where + " with a problem")
						for _, f := range s.Fields {
							switch f.Input {
							case learn.InputDate:
								e := h.entries()
								test.Type(e[0], "27")
								test.Type(e[1], "3")
								test.Type(e[2], "1990")
							case learn.InputChoice:
								o := f.Right
								if o == "" {
									o = f.Options[0]
								}
								h.tap(text(learn.FieldOptionKey(s.ID, f.ID, o, learn.FieldOptionText)))
							case learn.InputCode:
								h.stepFits(where + " code")
								test.Type(h.entries()[0], f.Code)
							case learn.InputEmail:
								test.Type(h.entries()[0], "name@example.com")
							default:
								test.Type(h.entries()[0], "Amina")
							}
							h.tap(T("form.continue"))
						}
						h.mustShow(T("form.check"))
						h.stepFits(where + " check your answers")
						h.tap(T("form.send"))
						h.mustShow(T("feedback.right"))
						h.stepFits(where + " sent")
					case learn.KindTrip:
						h.tap(text(learn.ChoiceKey(s.ID, s.Clash[0], learn.FieldOptionText)))
						h.stepFits(where + " card clash")
						h.tap(text(learn.ChoiceKey(s.ID, s.Cards[0], learn.FieldOptionText)))
						h.stepFits(where + " gate open")
						h.tap(T("trip.board"))
						h.tap(T("trip.exit"))
						h.tap(T("trip.no_touch"))
						h.mustShow(T("trip.not_out"))
						h.stepFits(where + " not touched out")
					case learn.KindPayee:
						for i, p := range s.Payments {
							h.tap(T("payee.continue"))
							h.stepFits(where + " " + p.ID)
							h.tap(T("payee." + string(learn.ActionStop)))
							h.stepFits(where + " " + p.ID + " stopped")
							if i < len(s.Payments)-1 {
								h.tap(T("payee.next"))
							}
						}
						h.tap(T("payee.done"))
						h.stepFits(where + " done")
					case learn.KindCV:
						for i, e := range h.entries() {
							test.Type(e, strings.Repeat("Kitchen assistant, 2019 to 2022. ", 1+i%3))
						}
						h.tap(T("cv.show"))
						h.mustShow(T("cv.preview"))
						h.stepFits(where + " preview")
					case learn.KindRecovery:
						h.tap(T("recovery.turn_on"))
						h.mustShow(s.Code)
						h.stepFits(where + " code")
						h.tap(T("recovery.check"))
						h.stepFits(where + " checked")
					}
				}
			}
			if len(seen) != len(kinds) {
				t.Errorf("the course uses %d of the %d new simulations", len(seen), len(kinds))
			}
		})
	}
}

// setPrefs stores settings in the database at path before the app
// starts, as if the learner had chosen them before.
func setPrefs(t *testing.T, path string, prefs map[string]string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetPrefs(context.Background(), prefs); err != nil {
		t.Fatal(err)
	}
}

// stepFits fails the test if a button or tile of the step shown is
// smaller than a finger, or if what the step shows, besides the player's
// header row of dots, needs more than a phone's width.
func (h *harness) stepFits(where string) {
	h.t.Helper()
	c := h.ui.Window().Canvas()
	c.Content().Refresh()
	var body *fyne.Container
	walk(h.content(), nil, func(o fyne.CanvasObject, tap fyne.Tappable) {
		switch v := o.(type) {
		case *xwidget.Button, *xwidget.Tile:
			if sz := o.Size(); sz.Height < xwidget.MinTouch || sz.Width < xwidget.MinTouch {
				h.t.Errorf("%s: %T %q is %v, smaller than %v", where, v, textOf(o), sz, xwidget.MinTouch)
			}
		case *container.Scroll:
			// page(): a scroll of a readable width of a padded box.
			if body == nil {
				body = v.Content.(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*fyne.Container)
			}
		}
	})
	if body == nil {
		h.t.Fatalf("%s: no step body", where)
	}
	const pad = 32 // page()'s padding either side
	for _, o := range body.Objects {
		dots := false
		walk(o, nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
			if _, ok := o.(*xwidget.Dots); ok {
				dots = true
			}
		})
		if w := o.MinSize().Width + pad; !dots && w > phone.Width {
			h.t.Errorf("%s: %T %q needs %.0f wide, wider than a phone", where, o, firstText(o), w)
		}
	}
}

// firstText is the first words an object shows, to name it.
func firstText(o fyne.CanvasObject) string {
	out := ""
	walk(o, nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		if out == "" {
			out = textOf(o)
		}
	})
	return out
}
