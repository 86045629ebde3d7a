package app_test

import (
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/lessons"
)

// TestEveryShippedStepRenders opens every step of every shipped lesson,
// in a Latin, an Ethiopic and an Arabic-script language, at phone size:
// the step must show its words and fit the width of a phone.
func TestEveryShippedStepRenders(t *testing.T) {
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps.Errors()) > 0 {
		t.Fatalf("shipped content has errors: %v", ps.Errors())
	}
	for _, lang := range sampled([]string{"en", "vi", "ti", "ar"}) {
		h := newHarness(t)
		h.fsys = lessons.FS
		h.start()
		h.tap(langName(h, lang))
		for _, tr := range course.Tracks {
			for _, l := range sampled(course.TrackLessons(tr)) {
				for _, s := range l.Steps {
					if !h.ui.Open(l.ID + "/" + s.ID) {
						t.Fatalf("cannot open %s", l.ID)
					}
					key := learn.StepKey(s.ID, learn.FieldQuestion)
					switch s.Kind {
					case learn.KindRead:
						key = learn.StepKey(s.ID, learn.FieldTitle)
					case learn.KindTrueFalse:
						key = learn.StepKey(s.ID, learn.FieldStatement)
					case learn.KindPhrases:
						key = learn.ChoiceKey(s.ID, s.Phrases[0], learn.FieldOptionText)
					}
					want := learn.ExpandFacts(l.Text.Get(lang, key), course.Facts, func(f learn.Fact) string { return f.Value })
					if s.Kind == learn.KindPhrases {
						want = l.Text.Get("en", key)
					}
					if want != "" && !h.shows(firstLine(want)) {
						t.Errorf("%s %s/%s: the screen does not show %q", lang, l.ID, s.ID, firstLine(want))
					}
					if w := h.ui.Window().Canvas().Content().MinSize().Width; w > phone.Width {
						t.Errorf("%s %s/%s: needs %.0f wide, wider than a phone", lang, l.ID, s.ID, w)
					}
				}
			}
		}
		h.stop()
	}
}

// langName returns the name a language is listed under in the picker.
func langName(h *harness, tag string) string {
	return map[string]string{"en": "English", "vi": "Tiếng Việt", "ti": "ትግርኛ", "ar": "العربية"}[tag]
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
