package lessonfile_test

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/waymark-app/waymark/lessons"
)

// bigCourse builds a course of n lessons in langs from the shipped ones.
func bigCourse(tb testing.TB, n int, langs []string) fstest.MapFS {
	tb.Helper()
	read := func(p string) []byte {
		data, err := fs.ReadFile(lessons.FS, p)
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
	out := fstest.MapFS{"facts.toml": {Data: read("facts.toml")}}
	var src []string
	dirs, _ := fs.ReadDir(lessons.FS, ".")
	for _, d := range dirs {
		if d.IsDir() && d.Name() != "tracks" {
			src = append(src, d.Name())
		}
	}
	var ids []string
	for i := range n {
		from := src[i%len(src)]
		id := fmt.Sprintf("%s-%d", from, i)
		ids = append(ids, id)
		fs.WalkDir(lessons.FS, from, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel := strings.TrimPrefix(p, from+"/")
			if strings.HasSuffix(rel, ".toml") && rel != "lesson.toml" {
				return nil // texts are added below, one per language
			}
			out[path.Join(id, rel)] = &fstest.MapFile{Data: read(p)}
			return nil
		})
		en := read(path.Join(from, "en.toml"))
		for _, l := range langs {
			out[path.Join(id, l+".toml")] = &fstest.MapFile{Data: en}
		}
	}
	tracks := fmt.Sprintf("[[track]]\nid = \"all\"\nicon = \"shield\"\nlessons = [%q", ids[0])
	for _, id := range ids[1:] {
		tracks += fmt.Sprintf(", %q", id)
	}
	out["tracks/tracks.toml"] = &fstest.MapFile{Data: []byte(tracks + "]\n")}
	out["tracks/en.toml"] = &fstest.MapFile{Data: []byte("[all]\ntitle = \"All\"\nsummary = \"Every lesson.\"\n")}
	return out
}
