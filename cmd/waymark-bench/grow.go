package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// buildGrown builds the app with factor times the shipped lessons
// embedded, from a copy of the source tree, and returns the binary and
// the number of lessons.
func buildGrown(work string, factor int) (string, int, error) {
	src := filepath.Join(work, fmt.Sprintf("src-%dx", factor))
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch p {
			case ".git", "bench-results", "dist":
				return filepath.SkipDir
			}
			return nil
		}
		if dir := filepath.Dir(p); (dir == "lessons" || strings.HasPrefix(dir, "lessons/")) && p != "lessons/embed.go" {
			return nil // the content comes from grow
		}
		return copyTree(p, filepath.Join(src, p))
	})
	if err != nil {
		return "", 0, err
	}
	n, err := grow("lessons", filepath.Join(src, "lessons"), factor)
	if err != nil {
		return "", 0, err
	}
	bin := filepath.Join(work, fmt.Sprintf("waymark-%dx", factor))
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-tags", buildTags, "-o", bin, ".")
	cmd.Dir = src
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", 0, fmt.Errorf("build with %d× the lessons: %w", factor, err)
	}
	return bin, n, nil
}

// grow writes a content folder with factor copies of every lesson in src,
// in every language, under new ids, all in one more track each: content
// generated for the benchmark only. It returns the number of lessons.
func grow(src, dst string, factor int) (int, error) {
	var ids []string
	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "tracks" {
			if _, err := os.Stat(filepath.Join(src, e.Name(), "lesson.toml")); err == nil {
				ids = append(ids, e.Name())
			}
		}
	}
	if err := copyTree(filepath.Join(src, "facts.toml"), filepath.Join(dst, "facts.toml")); err != nil {
		return 0, err
	}
	var tracks strings.Builder
	texts := map[string]*strings.Builder{}
	for copyN := 0; copyN < factor; copyN++ {
		var lessons []string
		for _, id := range ids {
			nid := fmt.Sprintf("%s-c%d", id, copyN)
			if err := copyTree(filepath.Join(src, id), filepath.Join(dst, nid)); err != nil {
				return 0, err
			}
			lessons = append(lessons, fmt.Sprintf("%q", nid))
		}
		tid := fmt.Sprintf("copy-%d", copyN)
		fmt.Fprintf(&tracks, "[[track]]\nid = %q\nicon = \"shield\"\nlessons = [%s]\n\n", tid, strings.Join(lessons, ", "))
		files, _ := os.ReadDir(filepath.Join(src, "tracks"))
		for _, f := range files {
			if f.Name() == "tracks.toml" || !strings.HasSuffix(f.Name(), ".toml") {
				continue
			}
			b := texts[f.Name()]
			if b == nil {
				b = &strings.Builder{}
				texts[f.Name()] = b
			}
			fmt.Fprintf(b, "[%s]\ntitle = \"Copy %d\"\nsummary = \"Generated for the benchmark.\"\n\n", tid, copyN)
		}
	}
	if err := os.MkdirAll(filepath.Join(dst, "tracks"), 0o755); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(dst, "tracks", "tracks.toml"), []byte(tracks.String()), 0o644); err != nil {
		return 0, err
	}
	for name, b := range texts {
		if err := os.WriteFile(filepath.Join(dst, "tracks", name), []byte(b.String()), 0o644); err != nil {
			return 0, err
		}
	}
	return len(ids) * factor, nil
}

func copyTree(src, dst string) error {
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
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
