// Package report makes the reports a trainer gives funders: for a period
// and a group (or all of a trainer's groups), learners active, session
// attendances, lessons completed, skills practised by Essential Digital
// Skills area and level, and milestones reached (only shared ones).
//
// One function, Build, makes a report's rows; the screen, the CSV and the
// printable HTML all render Report.Tables, so they agree cell for cell.
// Reports are anonymised by default: no nicknames, and every count under
// Threshold is written "fewer than 5". The organisation's totals are made
// from the anonymised aggregates trainers' apps upload (Aggregate, Sum),
// and rendered by the same code.
package report

import (
	"slices"
	"strconv"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
)

// Threshold is the smallest count a report shows as a number: anything
// under it is "fewer than 5", so that no count points at one person.
const Threshold = 5

// Measure names a row: stable ids, sent in aggregates (append only).
type Measure string

// The measures.
const (
	LearnersActive    Measure = "learners_active"
	SessionsAttended  Measure = "sessions_attended"
	LessonsCompleted  Measure = "lessons_completed"
	MilestonesReached Measure = "milestones_reached"
	// SkillLearners and SkillLessons are per area and level: learners
	// who completed a lesson of it, and lessons of it completed.
	SkillLearners Measure = "skill_learners"
	SkillLessons  Measure = "skill_lessons"
	// Milestone is per default milestone: learners who reached it and
	// shared it.
	Milestone Measure = "milestone"
	// LearnerLessons is per learner, by nickname: in reports that are not
	// anonymised only, never uploaded.
	LearnerLessons Measure = "learner_lessons"
)

// Value is a count. In a trainer's report it is exact (N); in the sum of
// uploaded aggregates, N is the sum of the parts that were uploaded and
// Hidden counts the parts that were fewer than Threshold (never uploaded
// as numbers).
type Value struct {
	N      int
	Hidden int
}

// Text writes the value as every rendering shows it.
func (v Value) Text(anonymised bool) string {
	switch {
	case v.Hidden > 0 && v.N >= Threshold:
		return "at least " + strconv.Itoa(v.N)
	case v.Hidden > 0:
		return "fewer than 5 in each group"
	case anonymised && v.N < Threshold:
		return "fewer than 5"
	}
	return strconv.Itoa(v.N)
}

// Row is one line of a report.
type Row struct {
	Measure Measure
	// Area and Level are a skill row's; Milestone a milestone row's;
	// Nickname a learner row's (reports that are not anonymised).
	Area      learn.Area
	Level     learn.Level
	Milestone string
	Nickname  string
	Value     Value
}

// Report is a report's rows and what they cover.
type Report struct {
	// Scope is what the report covers, in words: a group's name, "All my
	// groups", or "All groups of the organisation".
	Scope string
	// From and To are the period's first and last days.
	From, To string
	// Made is the day it was made.
	Made string
	// Anonymised reports show no nicknames and no count under Threshold.
	Anonymised bool
	Rows       []Row
}

// Tags are a lesson's Essential Digital Skills areas and level
// (lesson.toml).
type Tags struct {
	Areas []learn.Area
	Level learn.Level
}

// Group is one of a trainer's groups as a report reads it.
type Group struct {
	ID, Name string
	Members  []group.Member
}

// Attendance is one member at one session: what live sessions (issue 12)
// record, for consenting members only.
type Attendance struct {
	Group, Member string
	Session       string
	Day           string
}

// Input is everything a report is made from: the trainer's last copy of
// what members shared, attendances, and the course's tags.
type Input struct {
	Groups     []Group
	Attendance []Attendance
	Lessons    map[string]Tags
}

// Params choose a report.
type Params struct {
	// From and To are the first and last day, inclusive.
	From, To time.Time
	// Groups are the ids of the groups to cover; none: all of Input's.
	Groups []string
	// Scope is the report's scope in words.
	Scope string
	// Named adds a row a learner, by nickname, and shows counts under
	// Threshold as they are: for the trainer's own eyes, never for
	// funders. Reports are anonymised unless it is set.
	Named bool
	// Now is when the report is made.
	Now time.Time
}

// Levels lists the national standards' levels in order.
var Levels = []learn.Level{learn.LevelEntry, learn.Level1}

// Build makes a report: the one query behind the screen, the CSV and the
// HTML.
func Build(in Input, p Params) Report {
	from, to := p.From.Format(group.Day), p.To.Format(group.Day)
	inPeriod := func(day string) bool { return day != "" && day >= from && day <= to }
	r := Report{Scope: p.Scope, From: from, To: to, Made: p.Now.Format(group.Day), Anonymised: !p.Named}

	type skill struct {
		area  learn.Area
		level learn.Level
	}
	var active, completed, attended, reached int
	skillLessons := map[skill]int{}
	skillLearners := map[skill]int{}
	milestones := map[string]int{}
	var named []Row
	chosen := func(id string) bool { return len(p.Groups) == 0 || slices.Contains(p.Groups, id) }
	for _, g := range in.Groups {
		if !chosen(g.ID) {
			continue
		}
		attends := map[string]int{}
		attendDay := map[string]bool{}
		for _, a := range in.Attendance {
			if a.Group == g.ID && inPeriod(a.Day) {
				attends[a.Member]++
				attendDay[a.Member] = true
			}
		}
		for _, m := range g.Members {
			s := m.Share
			isActive := inPeriod(s.LastActive) || attendDay[m.ID]
			done := 0
			learnerSkills := map[skill]bool{}
			for _, l := range s.Done {
				if !inPeriod(l.Day) {
					continue
				}
				isActive = true
				done++
				t := in.Lessons[l.Lesson]
				for _, a := range t.Areas {
					k := skill{a, t.Level}
					skillLessons[k]++
					learnerSkills[k] = true
				}
			}
			for k := range learnerSkills {
				skillLearners[k]++
			}
			for _, l := range s.InProgress {
				isActive = isActive || inPeriod(l.Day)
			}
			for _, ms := range s.Milestones {
				if inPeriod(ms.Day) {
					isActive = true
					milestones[ms.ID]++
					reached++
				}
			}
			if isActive {
				active++
			}
			completed += done
			attended += attends[m.ID]
			if p.Named {
				named = append(named, Row{Measure: LearnerLessons, Nickname: s.Nickname, Value: Value{N: done}})
			}
		}
	}
	r.Rows = append(r.Rows,
		Row{Measure: LearnersActive, Value: Value{N: active}},
		Row{Measure: SessionsAttended, Value: Value{N: attended}},
		Row{Measure: LessonsCompleted, Value: Value{N: completed}},
		Row{Measure: MilestonesReached, Value: Value{N: reached}},
	)
	for _, a := range learn.Areas {
		for _, l := range Levels {
			k := skill{a, l}
			r.Rows = append(r.Rows,
				Row{Measure: SkillLearners, Area: a, Level: l, Value: Value{N: skillLearners[k]}},
				Row{Measure: SkillLessons, Area: a, Level: l, Value: Value{N: skillLessons[k]}})
		}
	}
	for _, m := range learn.DefaultMilestones {
		r.Rows = append(r.Rows, Row{Measure: Milestone, Milestone: m.ID, Value: Value{N: milestones[m.ID]}})
	}
	slices.SortStableFunc(named, func(a, b Row) int { return compareFold(a.Nickname, b.Nickname) })
	r.Rows = append(r.Rows, named...)
	return r
}

func compareFold(a, b string) int {
	la, lb := []rune(a), []rune(b)
	for i := 0; i < len(la) && i < len(lb); i++ {
		x, y := foldRune(la[i]), foldRune(lb[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(la) - len(lb)
}

func foldRune(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// TagsOf returns the areas and level of every lesson of a course (each
// lesson is read if it was not yet).
func TagsOf(c *learn.Course) map[string]Tags {
	out := map[string]Tags{}
	for _, id := range c.LessonIDs() {
		if l := c.Lesson(id); l != nil {
			out[id] = Tags{Areas: l.Areas, Level: l.Level}
		}
	}
	return out
}
