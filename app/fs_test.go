package app_test

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/waymark-app/waymark/lessons"
)

// copyFS copies the built-in lessons into a map a test can break.
func copyFS(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(lessons.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(lessons.FS, p)
		out[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
