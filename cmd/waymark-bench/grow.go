package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/waymark-app/waymark/internal/lessonfile"
)

// countLessons counts lesson folders under dir.
func countLessons(dir string) int {
	n := 0
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "lesson.toml")); err == nil {
			n++
		}
	}
	return n
}

// buildGrown builds the app, with the probe modes, with factor times the
// shipped lessons embedded, from a copy of the source tree, and returns
// the binary and the number of lessons.
func buildGrown(work string, factor int) (string, int, error) {
	src := filepath.Join(work, fmt.Sprintf("src-%dx", factor))
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch p {
			case ".git", "bench", "bench-results", "dist":
				return filepath.SkipDir
			}
			return nil
		}
		if dir := filepath.Dir(p); (dir == "lessons" || strings.HasPrefix(dir, "lessons/")) && !(dir == "lessons" && strings.HasSuffix(p, ".go")) {
			return nil // the content comes from grow; the package's code is copied
		}
		return copyTree(p, filepath.Join(src, p), "")
	})
	if err != nil {
		return "", 0, err
	}
	n, err := grow("lessons", filepath.Join(src, "lessons"), factor)
	if err != nil {
		return "", 0, err
	}
	bin := filepath.Join(work, fmt.Sprintf("waymark-probe-%dx", factor))
	if err := buildRelease(src, "", bin); err != nil {
		return "", 0, fmt.Errorf("build with %d× the lessons: %w", factor, err)
	}
	return bin, n, nil
}

// grow writes a content folder with factor times the lessons in src,
// generated for the benchmark only: each track keeps its lessons and gets
// factor-1 copies of each under new ids, in every language. Every copied
// text file ends in a different comment, so that the linker cannot share
// the copies' bytes (as it does for identical files): the binary grows as
// with real new lessons. It returns the number of lessons.
func grow(src, dst string, factor int) (int, error) {
	lib, ps := lessonfile.Open(os.DirFS(src), nil)
	if len(ps.Errors()) > 0 {
		return 0, fmt.Errorf("%s: %v", src, ps.Errors())
	}
	for _, name := range []string{"facts.toml", "tracks"} {
		if err := copyTree(filepath.Join(src, name), filepath.Join(dst, name), ""); err != nil {
			return 0, err
		}
	}
	var tracks strings.Builder
	n := 0
	for _, t := range lib.Course.Tracks {
		var ids []string
		for k := 0; k < factor; k++ {
			for _, id := range t.Lessons {
				nid, mark := id, ""
				if k > 0 {
					nid, mark = fmt.Sprintf("%s-copy%d", id, k), fmt.Sprintf("\n# benchmark copy %d of %s\n", k, id)
				}
				if err := copyTree(filepath.Join(src, id), filepath.Join(dst, nid), mark); err != nil {
					return 0, err
				}
				ids = append(ids, fmt.Sprintf("%q", nid))
			}
		}
		n += len(ids)
		fmt.Fprintf(&tracks, "[[track]]\nid = %q\nicon = %q\nlessons = [%s]\n\n", t.ID, t.Icon, strings.Join(ids, ", "))
	}
	if err := os.WriteFile(filepath.Join(dst, "tracks", "tracks.toml"), []byte(tracks.String()), 0o644); err != nil {
		return 0, err
	}
	return n, nil
}

// copyTree copies a file or a folder; mark, if not "", is added to the
// end of every .toml file.
func copyTree(src, dst, mark string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if mark != "" && strings.HasSuffix(p, ".toml") {
			data = append(data, mark...)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// measureGrowth measures the app with factor times the lessons: start-up
// seen on screen and memory, with a returning HOME, runs times.
func measureGrowth(s *screen, display, work string, b binaries, factor, runs int) (Growth, error) {
	bin, lessons := b.appProbe, countLessons("lessons")
	if factor > 1 {
		var err error
		if bin, lessons, err = buildGrown(work, factor); err != nil {
			return Growth{}, err
		}
	}
	home := filepath.Join(work, fmt.Sprintf("home-growth-%d", factor))
	if err := returningHome(home); err != nil {
		return Growth{}, err
	}
	var settled, startRSS, after, load []float64
	for i := -1; i < runs; i++ {
		seen, err := watchStart(s, command(profile{}, bin, home, display), "")
		if err != nil {
			return Growth{}, err
		}
		m, err := measure(profile{}, bin, home, display)
		if err != nil {
			return Growth{}, err
		}
		if i >= 0 {
			settled, startRSS = append(settled, seen.SettledMS), append(startRSS, m.Start["rss"])
			after, load = append(after, m.Lessons["rss"]), append(load, m.LoadMS)
		}
	}
	return Growth{Factor: factor, Lessons: lessons, SettledMS: median(settled), StartRSSMB: median(startRSS),
		LessonsMB: median(after), LoadMS: median(load), BinaryBytes: fileSize(bin)}, nil
}
