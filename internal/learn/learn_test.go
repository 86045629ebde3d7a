package learn_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

var (
	choice = learn.Step{ID: "q", Kind: learn.KindChoice, Options: []string{"a", "b", "c"}, Correct: []string{"b"}}
	multi  = learn.Step{ID: "m", Kind: learn.KindMulti, Options: []string{"a", "b", "c", "d"}, Correct: []string{"a", "c"}}
	tf     = learn.Step{ID: "t", Kind: learn.KindTrueFalse, Options: []string{"true", "false"}, Correct: []string{"false"}}
	order  = learn.Step{ID: "o", Kind: learn.KindOrder, Items: []string{"1", "2", "3"}}
	spot   = learn.Step{ID: "s", Kind: learn.KindSpot, Parts: []string{"hi", "prize", "link", "bye"}, Signs: []string{"prize", "link"}}
	read   = learn.Step{ID: "r", Kind: learn.KindRead}
)

func TestGrade(t *testing.T) {
	tests := []struct {
		name    string
		step    learn.Step
		answer  []string
		want    learn.Verdict
		wantErr error
	}{
		{"choice right", choice, []string{"b"}, learn.Verdict{Correct: true, Right: []string{"b"}}, nil},
		{"choice wrong", choice, []string{"a"}, learn.Verdict{Wrong: []string{"a"}, Missed: []string{"b"}}, nil},
		{"choice two picks", choice, []string{"a", "b"}, learn.Verdict{}, learn.ErrInvalid},
		{"choice unknown option", choice, []string{"z"}, learn.Verdict{}, learn.ErrInvalid},
		{"choice no answer", choice, nil, learn.Verdict{}, learn.ErrInvalid},
		{"multi all right", multi, []string{"c", "a"}, learn.Verdict{Correct: true, Right: []string{"c", "a"}}, nil},
		{"multi one missed", multi, []string{"a"}, learn.Verdict{Right: []string{"a"}, Missed: []string{"c"}}, nil},
		{"multi one extra", multi, []string{"a", "b", "c"}, learn.Verdict{Right: []string{"a", "c"}, Wrong: []string{"b"}}, nil},
		{"multi repeated pick counts once", multi, []string{"a", "a", "c"}, learn.Verdict{Correct: true, Right: []string{"a", "c"}}, nil},
		{"truefalse right", tf, []string{"false"}, learn.Verdict{Correct: true, Right: []string{"false"}}, nil},
		{"truefalse wrong", tf, []string{"true"}, learn.Verdict{Wrong: []string{"true"}, Missed: []string{"false"}}, nil},
		{"order right", order, []string{"1", "2", "3"}, learn.Verdict{Correct: true, Right: []string{"1", "2", "3"}}, nil},
		{"order two swapped", order, []string{"2", "1", "3"}, learn.Verdict{Right: []string{"3"}, Wrong: []string{"2", "1"}}, nil},
		{"order missing item", order, []string{"1", "2"}, learn.Verdict{}, learn.ErrInvalid},
		{"order repeated item", order, []string{"1", "1", "3"}, learn.Verdict{}, learn.ErrInvalid},
		{"spot all signs", spot, []string{"link", "prize"}, learn.Verdict{Correct: true, Right: []string{"link", "prize"}}, nil},
		{"spot one sign and a safe part", spot, []string{"prize", "bye"}, learn.Verdict{Right: []string{"prize"}, Wrong: []string{"bye"}, Missed: []string{"link"}}, nil},
		{"spot nothing tapped", spot, nil, learn.Verdict{Missed: []string{"prize", "link"}}, nil},
		{"read step", read, nil, learn.Verdict{}, learn.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := learn.Grade(tt.step, tt.answer)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error: got %v, want %v", err, tt.wantErr)
			}
			if got.Correct != tt.want.Correct || !slices.Equal(got.Right, tt.want.Right) ||
				!slices.Equal(got.Wrong, tt.want.Wrong) || !slices.Equal(got.Missed, tt.want.Missed) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestStartOrderIsStableAndNeverTheAnswer(t *testing.T) {
	for n := 2; n <= 8; n++ {
		s := learn.Step{ID: "o", Kind: learn.KindOrder}
		for i := range n {
			s.Items = append(s.Items, string(rune('a'+i)))
		}
		for _, lesson := range []string{"a", "b", "c", "passcodes", "register-gp"} {
			got := learn.StartOrder(lesson, s)
			if slices.Equal(got, s.Items) {
				t.Errorf("%d items, lesson %s: starts in the right order", n, lesson)
			}
			if again := learn.StartOrder(lesson, s); !slices.Equal(got, again) {
				t.Errorf("%d items, lesson %s: order changes between visits: %v then %v", n, lesson, got, again)
			}
			sorted := slices.Sorted(slices.Values(got))
			if !slices.Equal(sorted, s.Items) {
				t.Errorf("%d items: shuffle lost or repeated items: %v", n, got)
			}
		}
	}
}

func lesson() *learn.Lesson {
	return &learn.Lesson{ID: "l", Steps: []learn.Step{read, choice, tf, read}}
}

func TestResumeIndex(t *testing.T) {
	l := lesson()
	l.Steps[3].ID = "end"
	tests := []struct {
		name  string
		state learn.LessonState
		want  int
	}{
		{"never opened", learn.LessonState{}, 0},
		{"on a middle step", learn.LessonState{Step: "t", Started: 1}, 2},
		{"on the last step, not finished", learn.LessonState{Step: "end", Started: 1}, 3},
		{"finished, then reopened", learn.LessonState{Step: "end", Started: 1, Completed: 5}, 0},
		{"finished, and went back into it", learn.LessonState{Step: "q", Started: 1, Completed: 5}, 1},
		{"the step no longer exists", learn.LessonState{Step: "gone", Started: 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := learn.ResumeIndex(l, tt.state); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func ev(kind learn.EventKind, step string, clock learn.HLC, device string, correct bool) learn.Event {
	return learn.Event{ID: learn.EventID{Device: device}, Clock: clock, Kind: kind, Lesson: "l", Step: step, Correct: correct}
}

func TestLessonStateDerivation(t *testing.T) {
	tests := []struct {
		name   string
		events []learn.Event
		want   learn.LessonState
		status learn.Status
	}{
		{"nothing", nil, learn.LessonState{}, learn.NotStarted},
		{"one step shown", []learn.Event{ev(learn.EventStepShown, "a", 10, "d1", false)},
			learn.LessonState{Lesson: "l", Step: "a", StepClock: 10, StepDevice: "d1", Started: 10, Updated: 10}, learn.InProgress},
		{"latest position wins", []learn.Event{
			ev(learn.EventStepShown, "a", 10, "d1", false),
			ev(learn.EventStepShown, "c", 30, "d1", false),
			ev(learn.EventStepShown, "b", 20, "d1", false),
		}, learn.LessonState{Lesson: "l", Step: "c", StepClock: 30, StepDevice: "d1", Started: 10, Updated: 30}, learn.InProgress},
		{"same clock: higher device id wins", []learn.Event{
			ev(learn.EventStepShown, "a", 10, "d2", false),
			ev(learn.EventStepShown, "b", 10, "d1", false),
		}, learn.LessonState{Lesson: "l", Step: "a", StepClock: 10, StepDevice: "d2", Started: 10, Updated: 10}, learn.InProgress},
		{"done keeps the first completion", []learn.Event{
			ev(learn.EventStepShown, "a", 10, "d1", false),
			ev(learn.EventLessonDone, "", 50, "d1", false),
			ev(learn.EventLessonDone, "", 40, "d2", false),
		}, learn.LessonState{Lesson: "l", Step: "a", StepClock: 10, StepDevice: "d1", Started: 10, Updated: 50, Completed: 40}, learn.Done},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Any order of arrival gives the same state: logs merge by union.
			for range 20 {
				evs := slices.Clone(tt.events)
				rand.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
				var s learn.LessonState
				for _, e := range evs {
					s = s.Apply(e)
				}
				if s != tt.want {
					t.Fatalf("order %v: got %+v, want %+v", evs, s, tt.want)
				}
				if s.Status() != tt.status {
					t.Fatalf("status: got %v, want %v", s.Status(), tt.status)
				}
			}
		})
	}
}

func TestStepStateDerivation(t *testing.T) {
	events := []learn.Event{
		ev(learn.EventAnswered, "q", 10, "d1", false),
		ev(learn.EventAnswered, "q", 20, "d1", true),
		ev(learn.EventStepShown, "q", 15, "d1", false), // not an answer: ignored
	}
	want := learn.StepState{Lesson: "l", Step: "q", Attempts: 2, Correct: true, Wrong: 1, FirstTry: false, FirstClock: 10, FirstDevice: "d1"}
	for _, order := range [][]int{{0, 1, 2}, {1, 0, 2}, {2, 1, 0}} {
		var s learn.StepState
		for _, i := range order {
			s = s.Apply(events[i])
		}
		if s != want {
			t.Errorf("order %v: got %+v, want %+v", order, s, want)
		}
	}
}

func TestProgressContinueNextCount(t *testing.T) {
	a, b, c := "a", "b", "c"
	all := []string{a, b, c}
	p := learn.NewProgress()
	if p.Continue(all) != "" || p.Next(all) != a {
		t.Fatal("new learner: want nothing to continue and lesson a next")
	}
	p.Apply(learn.Event{Kind: learn.EventStepShown, Lesson: "b", Step: "1", Clock: 5})
	p.Apply(learn.Event{Kind: learn.EventStepShown, Lesson: "a", Step: "1", Clock: 9})
	p.Apply(learn.Event{Kind: learn.EventLessonDone, Lesson: "a", Clock: 10})
	if got := p.Continue(all); got != b {
		t.Errorf("continue: got %v, want b (in progress; a is done)", got)
	}
	if got := p.Next(all); got != c {
		t.Errorf("next: got %v, want c", got)
	}
	if got := p.Count(all); got != (learn.Tally{Done: 1, InProgress: 1, NotStarted: 1}) {
		t.Errorf("count: got %+v", got)
	}
}

func TestClock(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c := learn.NewClock(func() time.Time { return now })
	a := c.Tick()
	b := c.Tick() // same millisecond
	now = now.Add(-time.Minute)
	d := c.Tick() // wall clock went back
	c.Observe(learn.NewHLC(now.Add(time.Hour).UnixMilli(), 3))
	e := c.Tick() // after something seen from the future
	if !(a < b && b < d && d < e) {
		t.Errorf("readings do not grow: %d %d %d %d", a, b, d, e)
	}
	if got := a.Time(); !got.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("a.Time() = %v", got)
	}
}

func TestTextsFallBackToEnglishNeverToKey(t *testing.T) {
	var tx learn.Texts
	tx.Set("en", "title", "Lock your phone")
	tx.Set("en", "summary", "Keep it private.")
	tx.Set("sq", "title", "Kyçni telefonin")
	tx.Set("sq", "summary", "  ")
	tests := []struct{ lang, key, want string }{
		{"sq", "title", "Kyçni telefonin"},
		{"sq", "summary", "Keep it private."}, // blank counts as missing
		{"vi", "title", "Lock your phone"},    // no Vietnamese at all
		{"sq", "step.x.text", ""},             // missing everywhere: empty, not the key
	}
	for _, tt := range tests {
		if got := tx.Get(tt.lang, tt.key); got != tt.want {
			t.Errorf("Get(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestExpandFacts(t *testing.T) {
	facts := map[string]learn.Fact{
		"scam.text": {Key: "scam.text", Kind: learn.FactSMS, Value: "7726"},
		"emergency": {Key: "emergency", Kind: learn.FactPhone, Value: "999"},
		"jobs":      {Key: "jobs", Kind: learn.FactWeb, Value: "jobsaware.co.uk"},
		"mail":      {Key: "mail", Kind: learn.FactEmail, Value: "report@phishing.gov.uk"},
		"nhs":       {Key: "nhs", Kind: learn.FactPhone, Value: "18001 111"},
	}
	link := func(f learn.Fact) string { return "<" + f.Link() + ">" }
	tests := []struct{ in, want string }{
		{"Forward it to {fact:scam.text}.", "Forward it to <sms:7726>."},
		{"Call {fact:emergency} or {fact:nhs}", "Call <tel:999> or <tel:18001111>"},
		{"{fact:jobs}", "<https://jobsaware.co.uk>"},
		{"{fact:mail}", "<mailto:report@phishing.gov.uk>"},
		{"No facts here.", "No facts here."},
		{"Unknown {fact:nope}.", "Unknown ."},
	}
	for _, tt := range tests {
		if got := learn.ExpandFacts(tt.in, facts, link); got != tt.want {
			t.Errorf("ExpandFacts(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := learn.FactRefs("{fact:a.b} and {fact:c}"); !slices.Equal(got, []string{"a.b", "c"}) {
		t.Errorf("FactRefs: got %v", got)
	}
}

func TestFactStale(t *testing.T) {
	f := learn.Fact{Verified: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	if f.Stale(time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC)) {
		t.Error("stale before a year")
	}
	if !f.Stale(time.Date(2027, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Error("not stale after a year")
	}
}
