package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/internal/learn"
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
