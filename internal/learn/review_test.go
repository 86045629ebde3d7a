package learn_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

func TestPhraseReviewBoxes(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) learn.HLC { return learn.NewHLC(t0.Add(d).UnixMilli(), 0) }
	added := learn.Event{Kind: learn.EventPhrasesAdded, Lesson: "l", Step: "s", Answer: []string{"hello", "bye"}, Clock: at(0)}
	review := func(phrase string, knew bool, when time.Duration) learn.Event {
		return learn.Event{Kind: learn.EventPhraseReviewed, Lesson: "l", Step: "s", Answer: []string{phrase}, Correct: knew, Clock: at(when)}
	}
	p := learn.NewProgress()
	p.Apply(added)
	if got := len(p.DuePhrases(t0, 0)); got != 2 {
		t.Fatalf("new phrases due at once: got %d, want 2", got)
	}
	steps := []struct {
		knew    bool
		when    time.Duration
		wantBox int
		dueIn   time.Duration
	}{
		{true, 0, 1, day},
		{true, day, 2, 3 * day},
		{false, 4 * day, 1, day}, // forgot: back to box 1, due tomorrow
		{true, 5 * day, 2, 3 * day},
		{true, 8 * day, 3, 7 * day},
		{true, 15 * day, 4, 14 * day},
		{true, 29 * day, 5, 30 * day},
		{true, 59 * day, 5, 30 * day}, // stays in the top box
	}
	for i, s := range steps {
		p.Apply(review("hello", s.knew, s.when))
		st := p.Phrases[learn.PhraseRef{Lesson: "l", Step: "s", Phrase: "hello"}]
		if st.Box != s.wantBox || st.Due != t0.Add(s.when+s.dueIn).UnixMilli() {
			t.Errorf("review %d: box %d due %v, want box %d due %v", i, st.Box, time.UnixMilli(st.Due).UTC(), s.wantBox, t0.Add(s.when+s.dueIn))
		}
	}
	// "bye" was never reviewed: still due, and first.
	due := p.DuePhrases(t0.Add(60*day), 1)
	if len(due) != 1 || due[0].Phrase != "bye" {
		t.Errorf("due first: %+v, want bye", due)
	}
	// Adding the same phrases again changes nothing.
	p.Apply(added)
	if st := p.Phrases[learn.PhraseRef{Lesson: "l", Step: "s", Phrase: "hello"}]; st.Box != 5 {
		t.Errorf("phrases added again reset the box to %d", st.Box)
	}
	// Replaying the same events in any arrival order gives the same deck.
	events := []learn.Event{review("hello", true, day), added, review("hello", false, 2*day), review("bye", true, 3*day)}
	a := learn.ReplayPhrases(events)
	b := learn.ReplayPhrases([]learn.Event{events[3], events[2], events[1], events[0]})
	for ref, s := range a {
		if !reflect.DeepEqual(b[ref], s) {
			t.Errorf("%v: %+v vs %+v", ref, s, b[ref])
		}
	}
}
