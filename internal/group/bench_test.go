package group_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/group"
)

// members30x40 is a group of 30 learners who each touched 40 lessons (30
// done, 10 in progress) and struggled with a question in 8 of them: the
// size the dashboard is made for.
func members30x40() ([]group.Member, []string) {
	var lessons []string
	for l := range 40 {
		lessons = append(lessons, fmt.Sprintf("lesson-%02d", l))
	}
	var ms []group.Member
	for i := range 30 {
		s := group.Share{Consent: 1, Nickname: fmt.Sprintf("Learner %02d", i), LastActive: "2026-03-20"}
		for l, id := range lessons {
			day := fmt.Sprintf("2026-03-%02d", 1+(i+l)%28)
			if l < 30 {
				s.Done = append(s.Done, group.LessonDay{Lesson: id, Day: day})
			} else {
				s.InProgress = append(s.InProgress, group.LessonDay{Lesson: id, Day: day})
			}
			if l%5 == i%5 {
				s.Struggled = append(s.Struggled, group.Struggle{Lesson: id, Step: fmt.Sprintf("q%d", l%4), Wrong: 2 + l%4, Right: l%2 == 0})
			}
		}
		ms = append(ms, group.Member{ID: fmt.Sprintf("m%02d", i), Share: s})
	}
	return ms, lessons
}

// BenchmarkDashboard works out a dashboard of 30 learners × 40 lessons,
// then sorts and filters it as the screen does.
func BenchmarkDashboard(b *testing.B) {
	ms, lessons := members30x40()
	now := time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC)
	shares := map[string]group.Share{}
	for _, m := range ms {
		shares[m.ID] = m.Share
	}
	b.ReportAllocs()
	for b.Loop() {
		board := group.Dashboard(ms, lessons, now)
		board.Sort(group.SortHelp, true)
		if rows := board.Filtered(group.Filter{NeedsHelp: true}, shares); len(rows) == 0 {
			b.Fatal("no one needs help")
		}
	}
}

// BenchmarkOpenShares opens (HPKE) and checks 30 learners' shares of 40
// lessons each: what a trainer's app does with a group's first refresh.
func BenchmarkOpenShares(b *testing.B) {
	ms, _ := members30x40()
	priv := group.NewKey()
	blobs := make([][]byte, len(ms))
	for i, m := range ms {
		blobs[i], _ = m.Share.Seal(priv.Public(), "g", m.ID)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(blobs[0]) * len(blobs)))
	for b.Loop() {
		for i, m := range ms {
			if _, err := group.OpenShare(priv, "g", m.ID, blobs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(blobs[0])), "bytes/share")
}
