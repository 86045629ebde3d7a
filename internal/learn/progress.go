package learn

import (
	"slices"
	"time"
)

// EventKind names what an event records. Values are stored and, once sync
// exists, sent over the wire: never change or reuse one, only add.
type EventKind string

// The event kinds.
const (
	// EventStepShown records that the learner is on a step. It moves the
	// resume position (last writer wins).
	EventStepShown EventKind = "step.shown"
	// EventAnswered records an answer to a question step (a fact).
	EventAnswered EventKind = "answer"
	// EventLessonDone records that the learner finished a lesson (a fact).
	EventLessonDone EventKind = "lesson.done"
	// EventPhrasesAdded records that the phrases of a phrases step (the
	// Answer) joined the learner's review deck (a fact).
	EventPhrasesAdded EventKind = "phrases.added"
	// EventPhraseReviewed records one review of a phrase (the Answer's one
	// id): Correct is whether the learner knew it.
	EventPhraseReviewed EventKind = "phrase.reviewed"
	// EventNickname sets what the app calls the learner (Data; "" clears
	// it). Last writer wins.
	EventNickname EventKind = "profile.nickname"
)

// Valid reports whether k is a known kind.
func (k EventKind) Valid() bool {
	switch k {
	case EventStepShown, EventAnswered, EventLessonDone, EventPhrasesAdded, EventPhraseReviewed, EventNickname:
		return true
	}
	return k.IsJourney()
}

// EventID identifies an event everywhere: a random device id, an epoch
// regenerated whenever the device's database is created, restored or
// cloned, and a contiguous sequence number within that epoch.
type EventID struct {
	Device string
	Epoch  string
	Seq    int64
}

// Event is one entry in the append-only progress log.
type Event struct {
	ID     EventID
	Clock  HLC
	Kind   EventKind
	Lesson string
	Step   string
	// Answer holds the chosen ids of an EventAnswered (in the learner's
	// order for an order step).
	Answer []string
	// Correct is whether an EventAnswered was right (and the yes/no of a
	// journey event).
	Correct bool
	// Target is the milestone a journey event is about.
	Target string
	// Data is a journey event's value: a date, or a sealed note or title.
	// The store never sees a note or title in plain text.
	Data string
}

// Validate checks the fields an event of its kind needs.
func (e Event) Validate() error {
	if e.Kind == EventNickname {
		return nil
	}
	if e.Kind.IsJourney() {
		if e.Target == "" {
			return ErrInvalid
		}
		return nil
	}
	if !e.Kind.Valid() || e.Lesson == "" {
		return ErrInvalid
	}
	switch e.Kind {
	case EventStepShown, EventAnswered:
		if e.Step == "" {
			return ErrInvalid
		}
	case EventPhrasesAdded:
		if e.Step == "" || len(e.Answer) == 0 {
			return ErrInvalid
		}
	case EventPhraseReviewed:
		if e.Step == "" || len(e.Answer) != 1 {
			return ErrInvalid
		}
	}
	return nil
}

// after reports whether e wins over a value written at (clock, device):
// last writer wins by clock, ties broken by device id.
func (e Event) after(clock HLC, device string) bool {
	if e.Clock != clock {
		return e.Clock > clock
	}
	return e.ID.Device > device
}

// Status is where a learner is with a lesson.
type Status int

// The statuses, in the order a learner moves through them.
const (
	NotStarted Status = iota
	InProgress
	Done
)

// LessonState is what the log says about one lesson. Apply derives it;
// applying the same events in any order gives the same state, so logs
// from several devices merge by union.
type LessonState struct {
	Lesson string
	// Step is the resume position: the step last shown.
	Step string
	// StepClock and StepDevice say which event set Step (last writer wins).
	StepClock  HLC
	StepDevice string
	// Started is the first activity, Updated the latest.
	Started, Updated HLC
	// Completed is the first completion, 0 if never completed.
	Completed HLC
}

// Status reports where the learner is with the lesson.
func (s LessonState) Status() Status {
	switch {
	case s.Completed != 0:
		return Done
	case s.Started != 0:
		return InProgress
	}
	return NotStarted
}

// UpdatedAt returns the time of the latest activity.
func (s LessonState) UpdatedAt() time.Time { return s.Updated.Time() }

// Apply returns the state after e, an event of this lesson.
func (s LessonState) Apply(e Event) LessonState {
	s.Lesson = e.Lesson
	if s.Started == 0 || e.Clock < s.Started {
		s.Started = e.Clock
	}
	if e.Clock > s.Updated {
		s.Updated = e.Clock
	}
	switch e.Kind {
	case EventStepShown:
		if s.Step == "" || e.after(s.StepClock, s.StepDevice) {
			s.Step, s.StepClock, s.StepDevice = e.Step, e.Clock, e.ID.Device
		}
	case EventLessonDone:
		if s.Completed == 0 || e.Clock < s.Completed {
			s.Completed = e.Clock
		}
	}
	return s
}

// ResumeIndex returns the step index a learner opening lesson l should
// see: the step they were on, or the first step for a new lesson, a lesson
// finished and not reopened, or a position that no longer exists because
// the lesson changed.
func ResumeIndex(l *Lesson, s LessonState) int {
	i := l.StepIndex(s.Step)
	if i < 0 || (s.Status() == Done && i == len(l.Steps)-1) {
		return 0
	}
	return i
}

// StepState is what the log says about one question step.
type StepState struct {
	Lesson, Step string
	// Attempts counts the answers given.
	Attempts int
	// Correct is whether any answer was right.
	Correct bool
	// Wrong counts the answers that were not right. (Kept from version
	// 0.3 on: a step answered before counts only its later wrong answers.)
	Wrong int `json:",omitempty"`
	// FirstTry is whether the earliest answer was right; FirstClock and
	// FirstDevice identify that answer.
	FirstTry    bool
	FirstClock  HLC
	FirstDevice string
}

// Apply returns the state after e; only EventAnswered changes it.
func (s StepState) Apply(e Event) StepState {
	if e.Kind != EventAnswered {
		return s
	}
	s.Lesson, s.Step = e.Lesson, e.Step
	s.Attempts++
	s.Correct = s.Correct || e.Correct
	if !e.Correct {
		s.Wrong++
	}
	if s.Attempts == 1 || !e.after(s.FirstClock, s.FirstDevice) {
		s.FirstTry, s.FirstClock, s.FirstDevice = e.Correct, e.Clock, e.ID.Device
	}
	return s
}

// StepRef names a step of a lesson.
type StepRef struct{ Lesson, Step string }

// Progress is the derived state of every lesson, step, phrase and
// milestone.
type Progress struct {
	Lessons    map[string]LessonState
	Steps      map[StepRef]StepState
	Phrases    map[PhraseRef]PhraseState
	Milestones map[string]MilestoneState
	// Nickname is what the app calls the learner ("" for nothing).
	Nickname Register
}

// NewProgress returns empty progress.
func NewProgress() *Progress {
	return &Progress{Lessons: map[string]LessonState{}, Steps: map[StepRef]StepState{},
		Phrases: map[PhraseRef]PhraseState{}, Milestones: map[string]MilestoneState{}}
}

// Apply folds e into p.
func (p *Progress) Apply(e Event) {
	if e.Kind == EventNickname {
		p.Nickname.set(e, e.Data)
		return
	}
	if !e.Kind.Valid() {
		return // a newer version's event: kept, not understood
	}
	if e.Kind.IsJourney() {
		p.Milestones[e.Target] = p.Milestones[e.Target].Apply(e)
		return
	}
	switch e.Kind {
	case EventPhrasesAdded, EventPhraseReviewed:
		for _, id := range e.Answer {
			ref := PhraseRef{e.Lesson, e.Step, id}
			p.Phrases[ref] = p.Phrases[ref].Apply(ref, e)
		}
		return
	case EventAnswered:
		ref := StepRef{e.Lesson, e.Step}
		p.Steps[ref] = p.Steps[ref].Apply(e)
	}
	p.Lessons[e.Lesson] = p.Lessons[e.Lesson].Apply(e)
}

// Lesson returns the state of a lesson (zero when never opened).
func (p *Progress) Lesson(id string) LessonState { return p.Lessons[id] }

// Step returns the state of a step (zero when never answered).
func (p *Progress) Step(lesson, step string) StepState {
	return p.Steps[StepRef{lesson, step}]
}

// Tally counts a track's lessons by status.
type Tally struct {
	Done, InProgress, NotStarted int
}

// Total returns the number of lessons counted.
func (t Tally) Total() int { return t.Done + t.InProgress + t.NotStarted }

// Count tallies the given lessons, by id, by status.
func (p *Progress) Count(ids []string) Tally {
	var t Tally
	for _, id := range ids {
		switch p.Lesson(id).Status() {
		case Done:
			t.Done++
		case InProgress:
			t.InProgress++
		default:
			t.NotStarted++
		}
	}
	return t
}

// Continue returns the id of the lesson, among those given, that the
// learner most recently worked on and has not finished, or "".
func (p *Progress) Continue(ids []string) string {
	var best string
	var bestAt HLC
	for _, id := range ids {
		s := p.Lesson(id)
		if s.Status() == InProgress && s.Updated > bestAt {
			best, bestAt = id, s.Updated
		}
	}
	return best
}

// Next returns the id of the first lesson, among those given in course
// order, that the learner has not started, or "".
func (p *Progress) Next(ids []string) string {
	i := slices.IndexFunc(ids, func(id string) bool { return p.Lesson(id).Status() == NotStarted })
	if i < 0 {
		return ""
	}
	return ids[i]
}
