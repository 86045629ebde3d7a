package lessons_test

import (
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/lessons"
)

// Every lesson a journey milestone offers ("Lessons that help") is in the
// course: a misspelt or renamed id would silently drop the link.
func TestMilestoneLessonsExist(t *testing.T) {
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps.Errors()) > 0 {
		t.Fatalf("shipped content: %v", ps.Errors())
	}
	for _, m := range learn.DefaultMilestones {
		if len(m.Lessons) == 0 {
			t.Errorf("milestone %s offers no lesson", m.ID)
		}
		for _, id := range m.Lessons {
			if course.Lesson(id) == nil {
				t.Errorf("milestone %s offers lesson %q, which is not in the course", m.ID, id)
			}
		}
	}
}
