package report

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// AggregateVersion is the version of the aggregates this code makes.
const AggregateVersion = 1

// milestoneCodes name the default milestones in aggregates: short codes
// of their own, so that nothing on the server reads like a learner's
// record (a milestone's id can also be a lesson's: "housing"). Append
// only: a code, once used, always means the same milestone.
var milestoneCodes = map[string]string{
	"phone": "m01", "gp": "m02", "nhs-app": "m03", "email": "m04", "bank": "m05", "ni-number": "m06",
	"english": "m07", "housing": "m08", "cv": "m09", "applications": "m10", "family": "m11",
}

// milestoneOf returns the milestone a code names, or "".
func milestoneOf(code string) string {
	for id, c := range milestoneCodes {
		if c == code {
			return id
		}
	}
	return ""
}

// ErrAggregate means an uploaded aggregate is not one: an unknown
// measure, area, level or milestone, a count under Threshold sent as a
// number, a learner's row, or too many rows.
var ErrAggregate = errors.New("not an anonymised aggregate")

// maxAggregateRows bounds an aggregate: every measure of version 1 once.
const maxAggregateRows = 64

// Aggregate returns the report's rows as a group's app uploads them: no
// learner's row, and no count under Threshold as a number.
func (r Report) Aggregate() syncapi.Aggregate {
	a := syncapi.Aggregate{Version: AggregateVersion, Rows: []syncapi.AggregateRow{}}
	for _, row := range r.Rows {
		if row.Measure == LearnerLessons {
			continue // never leaves the trainer's app
		}
		var n *int
		if row.Value.Hidden == 0 && row.Value.N >= Threshold {
			v := row.Value.N
			n = &v
		}
		a.Rows = append(a.Rows, syncapi.AggregateRow{Measure: string(row.Measure), Area: string(row.Area),
			Level: string(row.Level), Milestone: milestoneCodes[row.Milestone], N: n})
	}
	return a
}

// Period is a month, "2006-01", the unit aggregates are uploaded in.
var periodPattern = regexp.MustCompile(`^20[0-9]{2}-(0[1-9]|1[0-2])$`)

// ValidPeriod reports whether p is a month as aggregates name them.
func ValidPeriod(p string) bool { return periodPattern.MatchString(p) }

// CheckAggregate checks an uploaded aggregate, as the server does before
// it keeps one: every row a known measure with its known area and level or
// milestone, each once, and every count 5 or more or null.
func CheckAggregate(a syncapi.Aggregate) error {
	if a.Version != AggregateVersion {
		return fmt.Errorf("aggregate version %d: %w", a.Version, ErrAggregate)
	}
	if len(a.Rows) > maxAggregateRows {
		return fmt.Errorf("%d rows: %w", len(a.Rows), ErrAggregate)
	}
	seen := map[syncapi.AggregateRow]bool{}
	for _, row := range a.Rows {
		if row.N != nil && *row.N < Threshold {
			return fmt.Errorf("%s: a count under %d: %w", row.Measure, Threshold, ErrAggregate)
		}
		key := row
		key.N = nil
		if seen[key] {
			return fmt.Errorf("%s: twice: %w", row.Measure, ErrAggregate)
		}
		seen[key] = true
		ok := false
		switch Measure(row.Measure) {
		case LearnersActive, SessionsAttended, LessonsCompleted, MilestonesReached:
			ok = row.Area == "" && row.Level == "" && row.Milestone == ""
		case SkillLearners, SkillLessons:
			ok = learn.Area(row.Area).Valid() && learn.Level(row.Level).Valid() && row.Milestone == ""
		case Milestone:
			ok = row.Area == "" && row.Level == "" && milestoneOf(row.Milestone) != ""
		}
		if !ok {
			return fmt.Errorf("%q: %w", row.Measure, ErrAggregate)
		}
	}
	return nil
}

// Sum adds up groups' aggregates into the organisation's totals, rendered
// like any report (anonymised). A row's parts that were fewer than
// Threshold are counted in Hidden: the total is then "at least" the rest.
func Sum(aggs []syncapi.Aggregate, scope, from, to, made string) Report {
	r := Report{Scope: scope, From: from, To: to, Made: made, Anonymised: true}
	// The rows in a report's order, whatever the aggregates' order.
	for _, row := range Build(Input{}, Params{}).Rows {
		row.Value = Value{}
		r.Rows = append(r.Rows, row)
	}
	index := func(a syncapi.AggregateRow) int {
		return slices.IndexFunc(r.Rows, func(row Row) bool {
			return string(row.Measure) == a.Measure && string(row.Area) == a.Area && string(row.Level) == a.Level && row.Milestone == milestoneOf(a.Milestone)
		})
	}
	for _, agg := range aggs {
		for _, a := range agg.Rows {
			i := index(a)
			if i < 0 {
				continue // a later version's measure
			}
			if a.N == nil {
				r.Rows[i].Value.Hidden++
			} else {
				r.Rows[i].Value.N += *a.N
			}
		}
	}
	return r
}
