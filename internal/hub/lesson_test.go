package hub_test

import (
	"os"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
)

// demoLesson is the test course's lesson with two questions, loaded as
// the app loads a session's lesson for the hub: a copy with every
// language.
func demoLesson(t testing.TB) (*learn.Lesson, map[string]learn.Fact) {
	t.Helper()
	fsys := os.DirFS("testdata/course")
	course, ps := lessonfile.Load(fsys)
	if len(ps.Errors()) > 0 {
		t.Fatalf("test course: %v", ps.Errors())
	}
	l, ps := lessonfile.LoadLesson(fsys, "group-demo", course.Facts)
	if l == nil || len(ps.Errors()) > 0 {
		t.Fatalf("group-demo: %v", ps)
	}
	if l.Questions() != 2 {
		t.Fatalf("group-demo has %d questions, want 2", l.Questions())
	}
	return l, course.Facts
}
