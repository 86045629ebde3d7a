package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/sqlite"
)

// goBuild builds pkg in the module at dir with the release flags and
// the given tags, and leaves the program at out as installed (see
// install).
func goBuild(dir, out, pkg, tags string) error {
	linked := out + ".linked"
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-tags", tags, "-o", linked, pkg)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	defer os.Remove(linked)
	return install(linked, out)
}

// install writes a copy of the program at src to dst, as unpacking an
// archive or a package writes it. A program the Go linker has just
// written is not measured as it is: started straight away, it has more
// of its file resident than the same bytes written by copying (6.1 MB
// more for the app, 4.1 MB for the floor, in VmRSS's file pages at
// start, on this machine's ext4), which no one who installs it sees.
func install(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst+".tmp", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(dst+".tmp", dst)
}

// buildRelease packs the content of the source tree at dir, as
// scripts/release does, and builds the app from it as it is released
// (to out, unless "") and with the probe modes (to probe).
func buildRelease(dir, out, probe string) error {
	pack := exec.Command("go", "run", "./cmd/waymark-pack")
	pack.Dir = dir
	pack.Stderr = os.Stderr
	if err := pack.Run(); err != nil {
		return fmt.Errorf("pack the content: %w", err)
	}
	if out != "" {
		if err := goBuild(dir, out, ".", buildTags); err != nil {
			return err
		}
	}
	return goBuild(dir, probe, ".", buildTags+",probe")
}

func runOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}

func dirSize(dir string, keep func(string) bool) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && keep(p) {
			n += fileSize(p)
		}
		return nil
	})
	return n
}

// sizes measures the content, the fonts, a Windows build and the
// packaged Linux archive.
func sizes(res *Result, work string) {
	content := func(p string) bool { return strings.HasSuffix(p, ".toml") || strings.Contains(p, "/images/") }
	res.Sizes["lessons_all_languages"] = dirSize("lessons", content)
	res.Sizes["lessons_english"] = dirSize("lessons", func(p string) bool {
		return strings.HasSuffix(p, "/en.toml") || strings.HasSuffix(p, "/lesson.toml") || strings.Contains(p, "/images/") || strings.HasSuffix(p, "facts.toml") || strings.HasSuffix(p, "tracks.toml")
	})
	res.Sizes["locales"] = dirSize("locales", func(p string) bool { return strings.HasSuffix(p, ".toml") })
	res.Sizes["fonts_bundled"] = dirSize("assets/fonts", func(p string) bool { return strings.HasSuffix(p, ".ttf") })
	res.Sizes["packed_content"] = fileSize("lessons/packed.zip") + fileSize("locales/packed.zip") + fileSize("assets/packed.zip")

	step("scripts/release: the Linux archive and the Windows executable")
	dist := filepath.Join(work, "dist")
	cmd := exec.Command("scripts/release")
	cmd.Env = append(os.Environ(), "DIST="+dist)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		res.Notes["linux_archive"] = "scripts/release failed: " + lastLines(stderr.String())
		return
	}
	files, _ := filepath.Glob(filepath.Join(dist, "*"))
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, "-linux-amd64.tar.xz"):
			res.Sizes["linux_archive"] = fileSize(f)
			bin := filepath.Join(work, "archive")
			os.MkdirAll(bin, 0o755)
			if err := exec.Command("tar", "-xJf", f, "-C", bin).Run(); err == nil {
				filepath.WalkDir(bin, func(p string, d fs.DirEntry, err error) error {
					if err == nil && strings.HasSuffix(p, "/usr/local/bin/waymark") {
						res.Sizes["linux_binary_archive"] = fileSize(p)
					}
					return nil
				})
			}
		case strings.HasSuffix(f, "-windows-amd64.exe"):
			res.Sizes["windows_binary"] = fileSize(f)
		}
	}
	if _, ok := res.Sizes["windows_binary"]; !ok {
		res.Notes["windows_binary"] = "not built: " + lastLines(stderr.String())
	}
}

// xvfb starts a virtual display of the given size ("412x915").
func xvfb(size string) (string, func(), error) {
	n := 50
	for ; ; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	cmd := exec.Command("Xvfb", fmt.Sprintf(":%d", n), "-screen", "0", size+"x24", "-nolisten", "tcp")
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start Xvfb: %w", err)
	}
	for range 50 {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Sprintf(":%d", n), func() { cmd.Process.Kill(); cmd.Wait() }, nil
}

// phoneScreen is the virtual display's size: a phone's.
const phoneScreen = "412x915"

// returningHome makes a HOME whose app data is past the first run, as a
// learner's is every day after the first.
func returningHome(home string) error {
	return prepareData(filepath.Join(home, ".config", "fyne", "org.waymark.app"))
}

// prepareData makes a data folder past the first run, so the app opens
// on the home screen.
func prepareData(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "waymark.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.SetPrefs(ctx, map[string]string{"welcomed": "1", "lang": "en"})
}

// command is bin started as a person would start it, under profile p,
// with its HOME at home and nothing of this environment that would change
// where it keeps its files.
func command(p profile, bin, home, display string, args ...string) *exec.Cmd {
	os.MkdirAll(home, 0o700)
	argv := append([]string{bin}, args...)
	if p.wrap != nil {
		argv = p.wrap(argv)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); k == "HOME" || k == "DISPLAY" || strings.HasPrefix(k, "XDG_") || strings.HasPrefix(k, "FYNE_") {
			continue
		}
		cmd.Env = append(cmd.Env, e)
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "DISPLAY="+display)
	return cmd
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-5):], " / ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		fmt.Sscanf(strings.SplitN(string(data), "\n", 2)[0], "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf(", %.0f GiB", float64(kb)/1024/1024)
	}
	load := ""
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load " + strings.Join(strings.Fields(string(data))[:3], " ") + " at the start"
	}
	return fmt.Sprintf("%d × %s%s, %s/%s%s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH, load)
}
