package group

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Member is one learner of a group as a trainer knows them: the member id
// the server gave them, and what they last shared.
type Member struct {
	ID    string
	Share Share
}

// The rules of "needs help".
const (
	// HelpWrong wrong answers to one question mean a learner needs help
	// with it, even if they got it right in the end (fewer, and right in
	// the end, is learning as it goes).
	HelpWrong = 4
	// StallDays is how long a lesson left half done means a learner may
	// need help to carry on.
	StallDays = 14
)

// ReasonKind says why a learner may need help; the interface puts it in
// words ("trainer.reason_<kind>").
type ReasonKind string

// The reasons.
const (
	// ReasonWrong: a question answered wrong repeatedly: HelpWrong times,
	// or StruggleWrong times and not right yet.
	ReasonWrong ReasonKind = "wrong"
	// ReasonStalled: a lesson started and not worked on for StallDays.
	ReasonStalled ReasonKind = "stalled"
)

// Reason is one reason a learner may need help.
type Reason struct {
	Kind   ReasonKind
	Lesson string
	// Step, Wrong and Right are the question (ReasonWrong).
	Step  string
	Wrong int
	Right bool
	// Days since the lesson was last worked on (ReasonStalled).
	Days int
}

// LearnerRow is one learner on the dashboard, by their group nickname.
type LearnerRow struct {
	Member     string
	Nickname   string
	Done       int
	InProgress int
	// LastActive is a day ("" never); Milestones counts those shared.
	LastActive string
	Milestones int
	Help       []Reason
}

// NeedsHelp reports whether the learner may need help.
func (r LearnerRow) NeedsHelp() bool { return len(r.Help) > 0 }

// LessonRow is how a group did with one lesson.
type LessonRow struct {
	Lesson     string
	Done       int
	InProgress int
	// Struggled counts learners who struggled with a question of it.
	Struggled int
	// Trip is the question most learners struggled with ("" none), with
	// how many did and their wrong answers between them.
	Trip          string
	TripLearners  int
	TripWrong     int
	NotStartedYet int
}

// Board is a group's dashboard: one row a learner, one a lesson.
type Board struct {
	Learners []LearnerRow
	Lessons  []LessonRow
}

// Dashboard works out the dashboard of members on the day now (the
// trainer's), with lessons in course order (lessons no one touched are
// left out; ones not in the course come last, by id).
func Dashboard(members []Member, lessons []string, now time.Time) Board {
	today := now.Format(Day)
	order := make(map[string]int, len(lessons))
	for i, id := range lessons {
		order[id] = i
	}
	type stepKey struct{ lesson, step string }
	type stepAgg struct{ learners, wrong int }
	byLesson := map[string]*LessonRow{}
	steps := map[stepKey]*stepAgg{}
	lessonRow := func(id string) *LessonRow {
		r := byLesson[id]
		if r == nil {
			r = &LessonRow{Lesson: id}
			byLesson[id] = r
		}
		return r
	}
	var b Board
	for _, m := range members {
		s := m.Share
		row := LearnerRow{Member: m.ID, Nickname: s.Nickname, Done: len(s.Done), InProgress: len(s.InProgress),
			LastActive: s.LastActive, Milestones: len(s.Milestones)}
		for _, h := range s.Struggled {
			if h.Wrong >= HelpWrong || !h.Right {
				row.Help = append(row.Help, Reason{Kind: ReasonWrong, Lesson: h.Lesson, Step: h.Step, Wrong: h.Wrong, Right: h.Right})
			}
		}
		for _, l := range s.InProgress {
			if d := daysBetween(l.Day, today); d >= StallDays {
				row.Help = append(row.Help, Reason{Kind: ReasonStalled, Lesson: l.Lesson, Days: d})
			}
		}
		slices.SortStableFunc(row.Help, func(a, b Reason) int { return cmpLesson(order, a.Lesson, b.Lesson) })
		b.Learners = append(b.Learners, row)
		for _, l := range s.Done {
			lessonRow(l.Lesson).Done++
		}
		for _, l := range s.InProgress {
			lessonRow(l.Lesson).InProgress++
		}
		seen := map[string]bool{}
		for _, h := range s.Struggled {
			if !seen[h.Lesson] {
				seen[h.Lesson] = true
				lessonRow(h.Lesson).Struggled++
			}
			k := stepKey{h.Lesson, h.Step}
			if steps[k] == nil {
				steps[k] = &stepAgg{}
			}
			steps[k].learners++
			steps[k].wrong += h.Wrong
		}
	}
	for k, a := range steps {
		r := byLesson[k.lesson]
		better := a.learners > r.TripLearners ||
			a.learners == r.TripLearners && (a.wrong > r.TripWrong || a.wrong == r.TripWrong && k.step < r.Trip)
		if r.Trip == "" || better {
			r.Trip, r.TripLearners, r.TripWrong = k.step, a.learners, a.wrong
		}
	}
	for _, r := range byLesson {
		r.NotStartedYet = len(members) - r.Done - r.InProgress
		b.Lessons = append(b.Lessons, *r)
	}
	slices.SortFunc(b.Lessons, func(a, b LessonRow) int { return cmpLesson(order, a.Lesson, b.Lesson) })
	b.Sort(SortNickname, false)
	return b
}

// cmpLesson orders lessons as the course does, then unknown ones by id.
func cmpLesson(order map[string]int, a, b string) int {
	ia, oka := order[a]
	ib, okb := order[b]
	switch {
	case oka && okb:
		return cmp.Compare(ia, ib)
	case oka:
		return -1
	case okb:
		return 1
	}
	return strings.Compare(a, b)
}

// daysBetween counts the days from one day to another (0 if either is
// not a day).
func daysBetween(from, to string) int {
	a, err1 := time.Parse(Day, from)
	b, err2 := time.Parse(Day, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

// SortKey is a column the trainer sorts learners by.
type SortKey string

// The columns.
const (
	SortNickname   SortKey = "nickname"
	SortDone       SortKey = "done"
	SortInProgress SortKey = "in_progress"
	SortLastActive SortKey = "last_active"
	SortMilestones SortKey = "milestones"
	SortHelp       SortKey = "help"
)

// SortKeys lists the columns in the dashboard's order.
var SortKeys = []SortKey{SortNickname, SortDone, SortInProgress, SortLastActive, SortMilestones, SortHelp}

// Sort orders the learners by a column (descending if desc), ties by
// nickname then member id, so the order never depends on the input's.
func (b *Board) Sort(by SortKey, desc bool) {
	key := func(a, c LearnerRow) int {
		switch by {
		case SortDone:
			return cmp.Compare(a.Done, c.Done)
		case SortInProgress:
			return cmp.Compare(a.InProgress, c.InProgress)
		case SortLastActive:
			return strings.Compare(a.LastActive, c.LastActive)
		case SortMilestones:
			return cmp.Compare(a.Milestones, c.Milestones)
		case SortHelp:
			return cmp.Compare(len(a.Help), len(c.Help))
		}
		return 0
	}
	slices.SortStableFunc(b.Learners, func(a, c LearnerRow) int {
		k := key(a, c)
		if desc {
			k = -k
		}
		if k != 0 {
			return k
		}
		if n := strings.Compare(strings.ToLower(a.Nickname), strings.ToLower(c.Nickname)); n != 0 {
			return n
		}
		return strings.Compare(a.Member, c.Member)
	})
}

// Filter narrows the learners shown.
type Filter struct {
	// NeedsHelp keeps only learners who may need help.
	NeedsHelp bool
	// Text keeps only nicknames that contain it (any case).
	Text string
	// Lesson keeps only learners who started or finished it.
	Lesson string
}

// Filtered returns the learners f keeps, in the board's order.
func (b Board) Filtered(f Filter, members map[string]Share) []LearnerRow {
	text := strings.ToLower(strings.TrimSpace(f.Text))
	var out []LearnerRow
	for _, r := range b.Learners {
		if f.NeedsHelp && !r.NeedsHelp() {
			continue
		}
		if text != "" && !strings.Contains(strings.ToLower(r.Nickname), text) {
			continue
		}
		if f.Lesson != "" && !touched(members[r.Member], f.Lesson) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func touched(s Share, lesson string) bool {
	has := func(ls []LessonDay) bool {
		return slices.ContainsFunc(ls, func(l LessonDay) bool { return l.Lesson == lesson })
	}
	return has(s.Done) || has(s.InProgress)
}
