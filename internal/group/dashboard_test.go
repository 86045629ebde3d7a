package group_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/group"
)

func TestDashboardNeedsHelpWithReasons(t *testing.T) {
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	members := []group.Member{
		{ID: "m1", Share: group.Share{Nickname: "Sun", LastActive: "2026-03-19",
			Done:       []group.LessonDay{{Lesson: "a", Day: "2026-03-10"}},
			InProgress: []group.LessonDay{{Lesson: "b", Day: "2026-03-19"}},
			Struggled: []group.Struggle{
				{Lesson: "a", Step: "q1", Wrong: 4, Right: true}, // 4 wrong: help, though right in the end
				{Lesson: "b", Step: "q2", Wrong: 3, Right: true}, // 3 and right: learning as it goes
			}}},
		{ID: "m2", Share: group.Share{Nickname: "moon", LastActive: "2026-03-01",
			InProgress: []group.LessonDay{{Lesson: "a", Day: "2026-03-06"}},   // 14 days: stalled
			Struggled:  []group.Struggle{{Lesson: "a", Step: "q1", Wrong: 2}}, // not right yet: help
			Milestones: []group.MilestoneDay{{ID: "gp", Day: "2026-03-01"}}}},
		{ID: "m3", Share: group.Share{Nickname: "Star", LastActive: "2026-03-18",
			InProgress: []group.LessonDay{{Lesson: "a", Day: "2026-03-07"}}}}, // 13 days: not yet
	}
	b := group.Dashboard(members, []string{"b", "a"}, now)
	got := map[string][]group.Reason{}
	for _, r := range b.Learners {
		got[r.Nickname] = r.Help
	}
	want := map[string][]group.Reason{
		"Sun":  {{Kind: group.ReasonWrong, Lesson: "a", Step: "q1", Wrong: 4, Right: true}},
		"moon": {{Kind: group.ReasonWrong, Lesson: "a", Step: "q1", Wrong: 2}, {Kind: group.ReasonStalled, Lesson: "a", Days: 14}},
		"Star": nil,
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s needs help for %+v, want %+v", name, got[name], w)
		}
	}
	// Lessons in course order; a's trip step is q1 (two learners).
	if len(b.Lessons) != 2 || b.Lessons[0].Lesson != "b" || b.Lessons[1].Lesson != "a" {
		t.Fatalf("lessons: %+v", b.Lessons)
	}
	a := b.Lessons[1]
	if a.Done != 1 || a.InProgress != 2 || a.Struggled != 2 || a.Trip != "q1" || a.TripLearners != 2 || a.TripWrong != 6 || a.NotStartedYet != 0 {
		t.Errorf("lesson a: %+v", a)
	}
	if bb := b.Lessons[0]; bb.Done != 0 || bb.InProgress != 1 || bb.NotStartedYet != 2 || bb.Trip != "q2" {
		t.Errorf("lesson b: %+v", bb)
	}
}

func TestDashboardSortAndFilter(t *testing.T) {
	members := []group.Member{
		{ID: "m1", Share: group.Share{Nickname: "bee", LastActive: "2026-03-02", Done: days("a", "b")}},
		{ID: "m2", Share: group.Share{Nickname: "Ant", LastActive: "2026-03-09", Done: days("a"),
			Struggled: []group.Struggle{{Lesson: "a", Step: "q", Wrong: 4}}}},
		{ID: "m3", Share: group.Share{Nickname: "cat", LastActive: "2026-03-05", Done: days("a", "b", "c")}},
	}
	b := group.Dashboard(members, nil, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	names := func(rows []group.LearnerRow) string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Nickname)
		}
		return fmt.Sprint(out)
	}
	if got := names(b.Learners); got != "[Ant bee cat]" {
		t.Errorf("by nickname (any case): %s", got)
	}
	for _, tc := range []struct {
		by   group.SortKey
		desc bool
		want string
	}{
		{group.SortDone, true, "[cat bee Ant]"},
		{group.SortLastActive, true, "[Ant cat bee]"},
		{group.SortLastActive, false, "[bee cat Ant]"},
		{group.SortHelp, true, "[Ant bee cat]"},
	} {
		b.Sort(tc.by, tc.desc)
		if got := names(b.Learners); got != tc.want {
			t.Errorf("sort by %s desc=%v: %s, want %s", tc.by, tc.desc, got, tc.want)
		}
	}
	shares := map[string]group.Share{}
	for _, m := range members {
		shares[m.ID] = m.Share
	}
	b.Sort(group.SortNickname, false)
	for _, tc := range []struct {
		f    group.Filter
		want string
	}{
		{group.Filter{NeedsHelp: true}, "[Ant]"},
		{group.Filter{Text: "A"}, "[Ant cat]"},
		{group.Filter{Lesson: "c"}, "[cat]"},
		{group.Filter{}, "[Ant bee cat]"},
	} {
		if got := names(b.Filtered(tc.f, shares)); got != tc.want {
			t.Errorf("filter %+v: %s, want %s", tc.f, got, tc.want)
		}
	}
}

func days(lessons ...string) []group.LessonDay {
	var out []group.LessonDay
	for _, l := range lessons {
		out = append(out, group.LessonDay{Lesson: l, Day: "2026-03-01"})
	}
	return out
}
