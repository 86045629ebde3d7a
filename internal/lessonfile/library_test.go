package lessonfile_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/lessons"
)

// sameTexts fails unless got holds exactly want's texts in lang.
func sameTexts(t *testing.T, what, lang string, got, want learn.Texts) {
	t.Helper()
	if !slices.Equal(got.Keys(lang), want.Keys(lang)) {
		t.Fatalf("%s in %s: keys %v, want %v", what, lang, got.Keys(lang), want.Keys(lang))
	}
	for _, k := range want.Keys(lang) {
		if got.Get(lang, k) != want.Get(lang, k) {
			t.Errorf("%s in %s, %s: %q, want %q", what, lang, k, got.Get(lang, k), want.Get(lang, k))
		}
	}
	if got.Draft(lang) != want.Draft(lang) {
		t.Errorf("%s in %s: draft %v, want %v", what, lang, got.Draft(lang), want.Draft(lang))
	}
}

// The app reads the shipped lessons lazily; what it reads must be exactly
// what a full load reads, in the languages it has asked for, and nothing
// in the others.
func TestOpenReadsLessonsWhenNeeded(t *testing.T) {
	var reported tomldoc.Problems
	lib, ps := lessonfile.Open(lessons.FS, func(p tomldoc.Problems) { reported = append(reported, p...) })
	if len(ps) > 0 {
		t.Fatalf("open: %v", ps)
	}
	full, _ := lessonfile.Load(lessons.FS)
	c := lib.Course
	if len(c.Lessons) != 0 {
		t.Fatalf("open read %d lessons; it should read none", len(c.Lessons))
	}
	if len(c.Tracks) != len(full.Tracks) || !slices.Equal(c.LessonIDs(), full.LessonIDs()) {
		t.Fatalf("tracks differ: %v, want %v", c.LessonIDs(), full.LessonIDs())
	}
	if !slices.Equal(c.Languages, full.Languages) {
		t.Errorf("languages %v, want %v", c.Languages, full.Languages)
	}

	ids := c.LessonIDs()
	first := c.Lesson(ids[0])
	if first == nil || len(c.Lessons) != 1 {
		t.Fatalf("reading one lesson: got %v, %d read", first, len(c.Lessons))
	}
	if first.Text.Has("sq", learn.KeyTitle) {
		t.Error("Albanian read before it was asked for")
	}
	lib.AddLanguage("sq") // after the first lesson was read
	for _, id := range ids[1:] {
		if c.Lesson(id) == nil {
			t.Fatalf("lesson %s did not load", id)
		}
	}
	lib.AddLanguage("ar")
	lib.AddLanguage("ar") // twice does no harm

	for _, tr := range full.Tracks {
		for _, lang := range []string{"en", "sq", "ar"} {
			sameTexts(t, "track "+tr.ID, lang, c.Track(tr.ID).Text, tr.Text)
		}
	}
	for _, want := range full.Lessons {
		got := c.Lesson(want.ID)
		if got == c.Lesson("no-such-lesson") {
			t.Fatalf("lesson %s missing", want.ID)
		}
		wantNoText, gotNoText := *want, *got
		wantNoText.Text, gotNoText.Text = learn.Texts{}, learn.Texts{}
		if !reflect.DeepEqual(gotNoText, wantNoText) {
			t.Errorf("lesson %s: structure differs from a full load", want.ID)
		}
		for _, lang := range []string{"en", "sq", "ar"} {
			sameTexts(t, "lesson "+want.ID, lang, got.Text, want.Text)
		}
		if got.Text.Has("vi", learn.KeyTitle) {
			t.Errorf("lesson %s: Vietnamese read, never asked for", want.ID)
		}
	}
	if len(reported) > 0 {
		t.Errorf("problems reported for the shipped lessons: %v", reported)
	}
}

// A lesson that cannot be read is reported once, with its file and field,
// and then left out; the rest of its track still works.
func TestOpenBrokenLessonLeftOut(t *testing.T) {
	fsys := bigCourse(t, 3, []string{"en"})
	var ids []string
	for p := range fsys {
		if id, ok := strings.CutSuffix(p, "/lesson.toml"); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	missing, broken, good := ids[0], ids[1], ids[2]
	for p := range fsys {
		if strings.HasPrefix(p, missing+"/") {
			delete(fsys, p)
		}
	}
	lesson := string(fsys[broken+"/lesson.toml"].Data)
	fsys[broken+"/lesson.toml"] = &fstest.MapFile{Data: []byte(strings.Replace(lesson, "minutes = ", "minutes = 0 # ", 1))}

	var reported tomldoc.Problems
	lib, ps := lessonfile.Open(fsys, func(p tomldoc.Problems) { reported = append(reported, p...) })
	if len(ps) > 0 {
		t.Fatalf("open: %v", ps)
	}
	c := lib.Course
	if c.Lesson(missing) != nil || c.Lesson(broken) != nil {
		t.Fatal("a lesson that cannot be read was returned")
	}
	c.Lesson(missing)
	c.Lesson(broken)
	if len(reported) != 2 {
		t.Fatalf("want each problem reported once, got %v", reported)
	}
	all := fmt.Sprint(reported)
	if !strings.Contains(all, "tracks/tracks.toml") || !strings.Contains(all, missing) {
		t.Errorf("missing lesson: %v", reported)
	}
	if !strings.Contains(all, broken+"/lesson.toml") || !strings.Contains(all, "minutes") {
		t.Errorf("broken lesson: want its file and field in %v", reported)
	}
	if got := c.LessonIDs(); !slices.Equal(got, []string{good}) {
		t.Errorf("lesson ids after the failures: %v, want only %s", got, good)
	}
	if l := c.Lesson(good); l == nil || l.Text.Get("en", learn.KeyTitle) == "" {
		t.Errorf("the good lesson did not load: %v", l)
	}
}

// BenchmarkOpenShipped is what start-up reads of the lessons.
func BenchmarkOpenShipped(b *testing.B) {
	for b.Loop() {
		lib, ps := lessonfile.Open(lessons.FS, nil)
		if len(ps) > 0 || len(lib.Course.Tracks) == 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkOpen448Lessons is start-up's reading with 16 times the shipped
// lessons: it should cost about what BenchmarkOpenShipped does.
func BenchmarkOpen448Lessons(b *testing.B) {
	fsys := bigCourse(b, 448, []string{"en", "sq", "vi", "ro", "so", "ti", "ar", "fa"})
	b.ResetTimer()
	for b.Loop() {
		lib, ps := lessonfile.Open(fsys, nil)
		if len(ps) > 0 || len(lib.Course.Tracks[0].Lessons) != 448 {
			b.Fatal(ps)
		}
	}
}
