package report_test

import (
	"fmt"
	"testing"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/report"
)

// BenchmarkReport makes the report of 30 learners × 40 lessons (as the
// screen does), and its CSV and page.
func BenchmarkReport(b *testing.B) {
	lessons := map[string]report.Tags{}
	var members []group.Member
	for l := range 40 {
		lessons[fmt.Sprintf("lesson-%02d", l)] = report.Tags{Areas: []learn.Area{learn.Areas[l%6], learn.Areas[(l+2)%6]}, Level: report.Levels[l%2]}
	}
	for i := range 30 {
		s := group.Share{Consent: 1, Nickname: fmt.Sprintf("Learner %02d", i), LastActive: "2026-03-20",
			Milestones: []group.MilestoneDay{{ID: "gp", Day: "2026-03-02"}, {ID: "bank", Day: "2026-03-09"}}}
		for l := range 40 {
			d := group.LessonDay{Lesson: fmt.Sprintf("lesson-%02d", l), Day: fmt.Sprintf("2026-03-%02d", 1+(i+l)%28)}
			if l < 30 {
				s.Done = append(s.Done, d)
			} else {
				s.InProgress = append(s.InProgress, d)
			}
		}
		members = append(members, group.Member{ID: fmt.Sprint(i), Share: s})
	}
	in := report.Input{Lessons: lessons, Groups: []report.Group{{ID: "g", Members: members}}}
	for _, tc := range []struct {
		name   string
		render bool
	}{{"rows", false}, {"rows+csv+html", true}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := report.Build(in, march)
				if tc.render {
					r.CSV()
					r.HTML()
				}
			}
		})
	}
}
