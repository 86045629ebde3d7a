package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/waymark-app/waymark/internal/lessonfile"
)

// The generated content is a valid course with factor times the lessons,
// in the same tracks, every lesson in every language the original has.
func TestGrow(t *testing.T) {
	src := filepath.Join("..", "..", "lessons")
	orig, ps := lessonfile.Load(os.DirFS(src))
	if len(ps.Errors()) > 0 {
		t.Fatal(ps.Errors())
	}
	dst := t.TempDir()
	n, err := grow(src, dst, 3)
	if err != nil {
		t.Fatal(err)
	}
	got, ps := lessonfile.Load(os.DirFS(dst))
	if len(ps.Errors()) > 0 {
		t.Fatalf("grown content: %v", ps.Errors())
	}
	if n != 3*len(orig.Lessons) || len(got.Lessons) != n {
		t.Fatalf("%d lessons reported, %d loaded; want %d", n, len(got.Lessons), 3*len(orig.Lessons))
	}
	if len(got.Tracks) != len(orig.Tracks) {
		t.Errorf("%d tracks, want %d", len(got.Tracks), len(orig.Tracks))
	}
	for _, l := range orig.Lessons {
		c := got.Lesson(l.ID + "-copy2")
		if c == nil || c.Track != l.Track || !slices.Equal(c.Text.Languages(), l.Text.Languages()) {
			t.Errorf("copy of %s: %+v", l.ID, c)
		}
	}
}
