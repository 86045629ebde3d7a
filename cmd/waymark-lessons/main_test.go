package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
)

func TestCheckShippedContentPasses(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"check"}, &out, &errOut); code != 0 {
		t.Fatalf("check exits %d:\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "0 errors, 0 warnings") {
		t.Errorf("check printed:\n%s", out.String())
	}
}

func TestCheckReportsBrokenFixture(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := "../../internal/lessonfile/testdata/broken"
	code := run([]string{"check", "-dir", dir, "-locales", "../../internal/l10n/testdata/broken"}, &out, &errOut)
	if code != 1 {
		t.Errorf("check exits %d, want 1", code)
	}
	for _, want := range []string{
		dir + "/bad-correct/lesson.toml:10: step.q1.correct: \"d\" is not one of the options",
		dir + "/missing-image/lesson.toml:9: step.intro.image: image \"images/nope.png\" not found",
		"../../internal/l10n/testdata/broken/ro.toml:3: player.step_of: placeholders differ from English",
		// Interface messages, like lessons, take numbers only from the registry.
		"../../internal/l10n/testdata/broken/ro.toml:4: player.finsh: \"999\" is a number from the facts registry: write {fact:emergency}",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestStatsJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"stats", "-json"}, &out, &errOut); code != 0 {
		t.Fatalf("stats exits %d: %s", code, errOut.String())
	}
	var s Stats
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("stats -json is not JSON: %v\n%s", err, out.String())
	}
	// The course the curriculum promises: at least 36 lessons in four
	// tracks, each language at least 98 % translated.
	want := map[string]int{"safe-online": 12, "everyday-life": 13, "english": 6, "device": 5}
	if s.Lessons < 36 || len(s.Tracks) != len(want) {
		t.Errorf("stats: %d lessons in %d tracks, want at least 36 in 4", s.Lessons, len(s.Tracks))
	}
	for track, n := range want {
		if s.Tracks[track] < n {
			t.Errorf("track %s has %d lessons, want at least %d", track, s.Tracks[track], n)
		}
	}
	// More doing than reading: no lesson is more than 60 % read steps,
	// every lesson asks the learner at least 3 things, and at least 14
	// lessons have a practice simulation.
	if len(s.LessonSteps) != s.Lessons {
		t.Errorf("stats: steps counted for %d lessons of %d", len(s.LessonSteps), s.Lessons)
	}
	sims := 0
	for id, st := range s.LessonSteps {
		if st.Steps == 0 || st.Read+st.Asking > st.Steps {
			t.Errorf("%s: %d steps, %d read, %d asking: the counts do not add up", id, st.Steps, st.Read, st.Asking)
		}
		if 10*st.Read > 6*st.Steps {
			t.Errorf("%s: %d of %d steps are read steps, more than 60 %%", id, st.Read, st.Steps)
		}
		if st.Asking < 3 {
			t.Errorf("%s: %d steps ask the learner something, want at least 3", id, st.Asking)
		}
		if st.Simulation {
			sims++
		}
	}
	if s.Simulations < 14 || sims != s.Simulations {
		t.Errorf("stats: %d lessons with a simulation (%d counted), want at least 14", s.Simulations, sims)
	}
	for _, lang := range []string{"en", "sq", "vi", "ro", "so", "ti", "ar", "fa"} {
		l := s.Locales[lang]
		if l.Total == 0 || float64(l.Translated) < 0.98*float64(l.Total) {
			t.Errorf("%s: %d of %d translated, want at least 98 %%", lang, l.Translated, l.Total)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"publish"}, &out, &errOut); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "unknown command") {
		t.Errorf("stderr: %s", errOut.String())
	}
}

func TestStepStats(t *testing.T) {
	l := &learn.Lesson{Steps: []learn.Step{{Kind: learn.KindRead}, {Kind: learn.KindRead}, {Kind: learn.KindPhrases},
		{Kind: learn.KindChoice}, {Kind: learn.KindPayee}}}
	got := stepStats(l)
	want := StepStats{Steps: 5, Read: 2, Asking: 2, ReadShare: 40, Simulation: true}
	if got != want {
		t.Errorf("stepStats = %+v, want %+v", got, want)
	}
	l.Steps = l.Steps[:3]
	if got := stepStats(l); got.Simulation || got.Asking != 0 || got.ReadShare != 66.6 {
		t.Errorf("a lesson of reading and phrases: %+v", got)
	}
}
