package learn

import (
	"slices"
	"time"
)

// PhraseRef names one phrase of a phrases step.
type PhraseRef struct{ Lesson, Step, Phrase string }

// PhraseState is where a phrase is in the learner's review deck: a
// Leitner box, from 0 (new) to MaxBox (known well), and when it is next
// due. A phrase the learner knew moves up a box and comes back later; one
// they did not know goes back to box 1 and comes back tomorrow.
//
// Reviews only make sense in order, and a log merged from several devices
// arrives in any order: so the state keeps its reviews (Marks, in clock
// order) and derives the box and due time from them, giving the same
// state whatever order the events were applied in.
type PhraseState struct {
	PhraseRef
	Box     int
	Due     int64 // Unix milliseconds
	Reviews int
	// Last is the clock of the latest event applied.
	Last HLC
	// Added is the clock of the earliest "added" event (0: none yet).
	Added HLC `json:",omitempty"`
	// Marks are the reviews, ordered by clock then device.
	Marks []PhraseMark `json:",omitempty"`
}

// PhraseMark is one review of a phrase.
type PhraseMark struct {
	Clock  HLC
	Device string `json:",omitempty"`
	Knew   bool   `json:",omitempty"`
}

func (m PhraseMark) before(o PhraseMark) bool {
	if m.Clock != o.Clock {
		return m.Clock < o.Clock
	}
	return m.Device < o.Device
}

// MaxBox is the highest Leitner box.
const MaxBox = 5

// boxInterval is how long a phrase rests in each box before it is due.
var boxInterval = [MaxBox + 1]time.Duration{
	0, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour,
}

// Apply returns the state after e, an event about this phrase. Applying
// the same events in any order, or one twice, gives the same state.
func (s PhraseState) Apply(ref PhraseRef, e Event) PhraseState {
	switch e.Kind {
	case EventPhrasesAdded:
		if s.Added == 0 || e.Clock < s.Added {
			s.Added = e.Clock
		}
	case EventPhraseReviewed:
		m := PhraseMark{Clock: e.Clock, Device: e.ID.Device, Knew: e.Correct}
		i, found := slices.BinarySearchFunc(s.Marks, m, func(a, b PhraseMark) int {
			switch {
			case a.before(b):
				return -1
			case b.before(a):
				return 1
			}
			return 0
		})
		if found {
			return s
		}
		s.Marks = slices.Insert(slices.Clone(s.Marks), i, m)
	default:
		return s
	}
	s.PhraseRef = ref
	s.Box, s.Due, s.Reviews = 0, s.Added.Millis(), len(s.Marks)
	for _, m := range s.Marks {
		if m.Knew {
			s.Box = min(s.Box+1, MaxBox)
		} else {
			s.Box = 1
		}
		s.Due = m.Clock.Millis() + boxInterval[s.Box].Milliseconds()
	}
	if e.Clock > s.Last {
		s.Last = e.Clock
	}
	return s
}

// DueAt reports whether the phrase is due for review at now.
func (s PhraseState) DueAt(now time.Time) bool { return s.Due <= now.UnixMilli() }

// DuePhrases returns the phrases due at now, those due longest first, at
// most limit of them (0: all).
func (p *Progress) DuePhrases(now time.Time, limit int) []PhraseState {
	var out []PhraseState
	for _, s := range p.Phrases {
		if s.DueAt(now) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b PhraseState) int {
		if a.Due != b.Due {
			if a.Due < b.Due {
				return -1
			}
			return 1
		}
		switch {
		case a.Lesson != b.Lesson:
			return cmpString(a.Lesson, b.Lesson)
		case a.Step != b.Step:
			return cmpString(a.Step, b.Step)
		}
		return cmpString(a.Phrase, b.Phrase)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ReplayPhrases derives every phrase's state from events in clock order,
// as needed when logs from several devices are merged.
func ReplayPhrases(events []Event) map[PhraseRef]PhraseState {
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b Event) int {
		switch {
		case a.Clock < b.Clock:
			return -1
		case a.Clock > b.Clock:
			return 1
		}
		return cmpString(a.ID.Device, b.ID.Device)
	})
	p := NewProgress()
	for _, e := range evs {
		if e.Kind == EventPhrasesAdded || e.Kind == EventPhraseReviewed {
			p.Apply(e)
		}
	}
	return p.Phrases
}
