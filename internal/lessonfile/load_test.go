package lessonfile_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/lessons"
)

// TestShippedLessons validates every lesson the app ships: no errors and
// no warnings, every lesson in a track, every step's English text there.
func TestShippedLessons(t *testing.T) {
	c, ps := lessonfile.Load(lessons.FS)
	for _, p := range ps {
		t.Errorf("%s", p)
	}
	if len(c.Lessons) < 4 {
		t.Errorf("got %d lessons, want at least 4", len(c.Lessons))
	}
	for _, tr := range c.Tracks {
		if len(c.TrackLessons(tr)) != len(tr.Lessons) {
			t.Errorf("track %s: %d of %d lessons loaded", tr.ID, len(c.TrackLessons(tr)), len(tr.Lessons))
		}
		for _, lang := range c.Languages {
			if tr.Text.Get(lang, learn.KeyTitle) == "" {
				t.Errorf("track %s has no title in %s", tr.ID, lang)
			}
		}
	}
	for id, l := range c.Lessons {
		if l.Questions() == 0 {
			t.Errorf("lesson %s asks no questions", id)
		}
		if len(l.Areas) == 0 || !l.Level.Valid() {
			t.Errorf("lesson %s has no skill area or level", id)
		}
		for _, f := range learn.LessonFields(l) {
			if f.Required && !l.Text.Has("en", f.Key) {
				t.Errorf("lesson %s: English lacks %s", id, f.Key)
			}
		}
	}
}

// TestBrokenFixtures checks that each mistake is reported with the right
// file, line and field, and that the lesson without mistakes still loads.
func TestBrokenFixtures(t *testing.T) {
	c, ps := lessonfile.Load(os.DirFS("testdata/broken"))
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		`bad-correct/lesson.toml:2: areas: "cooking" is not a skill area; use one of foundation, communicating, handling-information, transacting, problem-solving, being-safe`,
		`bad-correct/lesson.toml:10: step.q1.correct: "d" is not one of the options (a, b, c)`,
		`bad-kind/lesson.toml:12: step.q1.kind: "quiz": use one of read, choice, multi, truefalse, order, spot`,
		`bad-toml/lesson.toml:3: not valid TOML:`,
		`good/sq.toml:6: step.intro.text: fact references differ from English: English has {fact:scam.text}, this has none`,
		`good/fa.toml:2: title: '۲': write numbers with the digits 0 to 9, in every language (see Numbers in lessons/README.md)`,
		`missing-image/lesson.toml:9: step.intro.image: image "images/nope.png" not found in missing-image/`,
		`tracks/tracks.toml:4: track safe-online lists lesson missing-folder, but there is no folder missing-folder with a lesson.toml`,
		`typo/en.toml:8: step.intro.txet: unknown text key; check the spelling against en.toml`,
		`typo/en.toml: step.intro.text: missing: English needs this text`,
		`bad-email/lesson.toml:9: step.mail.to: "boss@realcompany.com": the address to write to must be a made-up one`,
		`bad-sims/lesson.toml:12: step.form.field.email.input: "phone": use one of text, email, date, code, choice`,
		`bad-sims/lesson.toml:18: step.form.field.why.right: "holiday" is not one of the options (work, rent)`,
		`bad-sims/lesson.toml:23: step.form.field.code.code: "12ab": give the security code the mock message shows, 4 to 8 digits`,
		`bad-sims/lesson.toml:29: step.cv.leave_off: "birth" is not one of the parts (name, summary)`,
		`bad-sims/lesson.toml:35: step.trip.clash: at least one card must be a card alone, that the reader takes`,
		`bad-sims/lesson.toml:44: step.pay.payment.rent.right: "update": after a match the learner can pay, stop`,
		`bad-sims/lesson.toml:50: step.back.current: "tablet": say which of the devices (phone, laptop) is the learner's own`,
		`bad-sims/lesson.toml:56: step.nhs-form.style: "bank": use one of govuk, nhs`,
		`typed-contacts/en.toml:8: step.intro.text: "999" is a number from the facts registry: write {fact:emergency}`,
		`typed-contacts/en.toml:8: step.intro.text: "07700 900 123" looks like a phone number`,
		`typed-contacts/en.toml:8: step.intro.text: "help@nhs.uk" is an email address`,
		`typed-contacts/en.toml:8: step.intro.text: "www.gov.uk" is a web address`,
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("missing problem:\n  %s\ngot:\n  %s", w, strings.Join(got, "\n  "))
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n  %s", len(got), len(want), strings.Join(got, "\n  "))
	}
	if len(c.Lessons) != 1 || c.Lesson("good") == nil {
		t.Errorf("loaded lessons %v, want only the good one", c.Lessons)
	}
	// The broken translation string falls back to English; the rest of
	// the translation stays.
	good := c.Lesson("good")
	if got := good.Text.Get("sq", learn.StepKey("intro", learn.FieldText)); got != "Forward it to {fact:scam.text}." {
		t.Errorf("broken translation: got %q, want the English text", got)
	}
	if got := good.Text.Get("sq", learn.KeyTitle); got != "Mirë" {
		t.Errorf("title: got %q, want the Albanian", got)
	}
	if !good.Text.Draft("sq") {
		t.Error("sq.toml says draft = true; not recorded")
	}
}

func BenchmarkLoadShippedLessons(b *testing.B) {
	for b.Loop() {
		c, _ := lessonfile.Load(lessons.FS)
		if len(c.Lessons) == 0 {
			b.Fatal("no lessons")
		}
	}
}

// BenchmarkLoad40Lessons8Languages loads a course the size the app is
// planned to reach: 40 lessons, each in 8 languages (the shipped lessons
// copied under new ids, English copied to the other languages).
func BenchmarkLoad40Lessons8Languages(b *testing.B) {
	fsys := bigCourse(b, 40, []string{"en", "sq", "vi", "ro", "so", "ti", "ar", "fa"})
	b.ResetTimer()
	for b.Loop() {
		c, ps := lessonfile.Load(fsys)
		if len(c.Lessons) != 40 || len(ps.Errors()) > 0 {
			b.Fatalf("%d lessons, problems %v", len(c.Lessons), ps.Errors())
		}
	}
}
