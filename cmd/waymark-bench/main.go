// Command waymark-bench measures Waymark's footprint against the floor:
// the smallest Fyne app (./floor), built with the same Fyne version and
// flags, run in the same virtual display, alternating, several times.
//
//	go run ./cmd/waymark-bench [-runs 7] [-out bench-results]
//
// It reports start-up (process start to the first frame with the home
// screen drawn), peak resident memory after opening 20 lessons one after
// another, sizes (binaries, content, fonts, the packaged archive), how
// start-up, memory and lesson loading grow with 1×, 4× and 16× the
// content, and the same with the Go runtime held as on a cheap phone.
// It writes results.json and results.md to -out and prints the table.
//
// It never fails on a timing: only when something does not build, the
// app does not start, or a screen is not drawn.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/sqlite"
)

// Build flags for release binaries: the tags are scripts/release's (it
// says why each is there), the flags fyne package --release uses.
var (
	buildTags string
	ldflags   = "-s -w"
)

// Targets from the footprint issue.
const (
	targetStartupRatio = 1.3
	targetMemoryRatio  = 1.5
	targetLinuxMB      = 25.0
	lessonsOpened      = 20
)

func main() {
	runs := flag.Int("runs", 15, "runs of each program, alternating")
	out := flag.String("out", "bench-results", "folder for results.json and results.md")
	flag.Parse()
	if err := run(*runs, *out); err != nil {
		fmt.Fprintln(os.Stderr, "waymark-bench:", err)
		os.Exit(1)
	}
}

// Result is everything one run of the suite measured.
type Result struct {
	Date    string            `json:"date"`
	Machine string            `json:"machine"`
	Go      string            `json:"go"`
	Runs    int               `json:"runs"`
	Sizes   map[string]int64  `json:"sizes_bytes"`
	Notes   map[string]string `json:"notes"`
	Profile []Compare         `json:"profiles"`
	Growth  []Growth          `json:"growth"`
}

// Compare is the app against the floor under one runtime profile.
type Compare struct {
	Profile            string  `json:"profile"`
	AppStartupMS       float64 `json:"app_startup_ms"`
	FloorStartupMS     float64 `json:"floor_startup_ms"`
	StartupRatio       float64 `json:"startup_ratio"`
	AppPeakRSSMB       float64 `json:"app_peak_rss_mb"`
	FloorPeakRSSMB     float64 `json:"floor_peak_rss_mb"`
	MemoryRatio        float64 `json:"memory_ratio"`
	AppLoadLessonsMS   float64 `json:"app_load_lessons_ms"`
	AppStartupsMS      []float64
	FloorStartupsMS    []float64
	AppPeakRSSesMB     []float64
	FloorPeakRSSesMB   []float64
	AppLoadLessonsMSes []float64
}

// Growth is the app with more content.
type Growth struct {
	Factor    int     `json:"factor"`
	Lessons   int     `json:"lessons"`
	StartupMS float64 `json:"startup_ms"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	LoadMS    float64 `json:"load_lessons_ms"`
	// BinaryBytes is the release binary with this much content embedded.
	BinaryBytes int64 `json:"binary_bytes"`
}

func run(runs int, outDir string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "waymark-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	res := Result{Date: time.Now().UTC().Format(time.DateOnly), Runs: runs, Sizes: map[string]int64{}, Notes: map[string]string{}}
	res.Machine = machine()
	res.Go = runtime.Version()

	out, err := exec.Command("scripts/release", "tags").Output()
	if err != nil {
		return fmt.Errorf("scripts/release tags: %w", err)
	}
	buildTags = strings.TrimSpace(string(out))
	res.Notes["build"] = fmt.Sprintf("go build -trimpath -ldflags %q -tags %s", ldflags, buildTags)

	step("building release binaries (-trimpath -ldflags %q -tags %s)", ldflags, buildTags)
	app := filepath.Join(work, "waymark")
	floor := filepath.Join(work, "floor")
	if err := buildRelease(".", app); err != nil {
		return fmt.Errorf("build the app: %w", err)
	}
	if err := goBuild(".", floor, "./cmd/waymark-bench/floor", buildTags); err != nil {
		return fmt.Errorf("build the floor: %w", err)
	}
	res.Sizes["linux_binary"] = fileSize(app)
	res.Sizes["floor_binary"] = fileSize(floor)
	floorSQLite := filepath.Join(work, "floor-sqlite")
	if err := goBuild(".", floorSQLite, "./cmd/waymark-bench/floor", buildTags+",floor_sqlite"); err != nil {
		return fmt.Errorf("build the floor with SQLite: %w", err)
	}
	res.Sizes["floor_sqlite_binary"] = fileSize(floorSQLite)
	sizes(&res, work)

	step("starting a virtual display")
	display, stop, err := xvfb()
	if err != nil {
		return err
	}
	defer stop()
	env := []string{"DISPLAY=" + display}

	data := filepath.Join(work, "data")
	if err := prepareData(data); err != nil {
		return err
	}

	for _, p := range []struct {
		name string
		env  []string
	}{
		{"desktop (Go defaults)", nil},
		{"low-end (GOMAXPROCS=1, GOMEMLIMIT=150MiB)", []string{"GOMAXPROCS=1", "GOMEMLIMIT=150MiB"}},
	} {
		step("measuring %s: %d runs each, alternating, after one of each not counted", p.name, runs)
		c := Compare{Profile: p.name}
		// The first run of a program reads it from disk and fills caches
		// (fonts, shaders) that every later start finds warm.
		if _, err := measure(app, append(env, p.env...), "-data", data, "-measure", "1"); err != nil {
			return fmt.Errorf("warm-up run: %w", err)
		}
		if _, err := measure(floor, append(env, p.env...), "-measure", "1"); err != nil {
			return fmt.Errorf("warm-up run: %w", err)
		}
		for i := 0; i < runs; i++ {
			a, err := measure(app, append(env, p.env...), "-data", data, "-measure", strconv.Itoa(lessonsOpened))
			if err != nil {
				return fmt.Errorf("app run %d: %w", i+1, err)
			}
			f, err := measure(floor, append(env, p.env...), "-measure", strconv.Itoa(lessonsOpened))
			if err != nil {
				return fmt.Errorf("floor run %d: %w", i+1, err)
			}
			c.AppStartupsMS = append(c.AppStartupsMS, a.startupMS)
			c.FloorStartupsMS = append(c.FloorStartupsMS, f.startupMS)
			c.AppPeakRSSesMB = append(c.AppPeakRSSesMB, a.peakMB)
			c.FloorPeakRSSesMB = append(c.FloorPeakRSSesMB, f.peakMB)
			c.AppLoadLessonsMSes = append(c.AppLoadLessonsMSes, a.loadMS)
		}
		c.AppStartupMS, c.FloorStartupMS = median(c.AppStartupsMS), median(c.FloorStartupsMS)
		c.AppPeakRSSMB, c.FloorPeakRSSMB = median(c.AppPeakRSSesMB), median(c.FloorPeakRSSesMB)
		c.AppLoadLessonsMS = median(c.AppLoadLessonsMSes)
		c.StartupRatio = c.AppStartupMS / c.FloorStartupMS
		c.MemoryRatio = c.AppPeakRSSMB / c.FloorPeakRSSMB
		res.Profile = append(res.Profile, c)
	}

	for _, factor := range []int{1, 4, 16} {
		step("growth: %d× the shipped lessons, built into the binary as they ship", factor)
		bin, lessons := app, countLessons("lessons")
		if factor > 1 {
			var err error
			bin, lessons, err = buildGrown(work, factor)
			if err != nil {
				return fmt.Errorf("growth %d×: %w", factor, err)
			}
		}
		var st, mem, load []float64
		for i := 0; i < max(3, runs/2); i++ {
			a, err := measure(bin, env, "-data", data, "-measure", strconv.Itoa(lessonsOpened))
			if err != nil {
				return fmt.Errorf("growth %d×: %w", factor, err)
			}
			st, mem, load = append(st, a.startupMS), append(mem, a.peakMB), append(load, a.loadMS)
		}
		res.Growth = append(res.Growth, Growth{Factor: factor, Lessons: lessons, StartupMS: median(st), PeakRSSMB: median(mem), LoadMS: median(load), BinaryBytes: fileSize(bin)})
	}

	j, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(filepath.Join(outDir, "results.json"), j, 0o644); err != nil {
		return err
	}
	table := markdown(res)
	if err := os.WriteFile(filepath.Join(outDir, "results.md"), []byte(table), 0o644); err != nil {
		return err
	}
	fmt.Print("\n" + table)
	return nil
}

func step(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "== "+format+"\n", args...)
}

// goBuild builds pkg in the module at dir with the release flags and
// the given tags.
func goBuild(dir, out, pkg, tags string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-tags", tags, "-o", out, pkg)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

// buildRelease packs the content of the source tree at dir, as
// scripts/release does, and builds the app from it.
func buildRelease(dir, out string) error {
	pack := exec.Command("go", "run", "./cmd/waymark-pack")
	pack.Dir = dir
	pack.Stderr = os.Stderr
	if err := pack.Run(); err != nil {
		return fmt.Errorf("pack the content: %w", err)
	}
	return goBuild(dir, out, ".", buildTags)
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

// xvfb starts a virtual display at laptop size, where both the app and
// the floor open a 1000×720 window.
func xvfb() (string, func(), error) {
	n := 50
	for ; ; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	cmd := exec.Command("Xvfb", fmt.Sprintf(":%d", n), "-screen", "0", "1280x800x24", "-nolisten", "tcp")
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

// prepareData makes a data folder past the first run, so the app opens
// on the home screen, as it does every day after the first.
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

type sample struct {
	startupMS, peakMB, loadMS float64
}

// measure runs a program with -measure and reads what it reports.
func measure(bin string, env []string, args ...string) (sample, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return sample{}, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	var s sample
	var drawn time.Time
	var opened bool
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 2 {
				continue
			}
			v, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "drawn":
				ns, _ := strconv.ParseInt(f[1], 10, 64)
				drawn = time.Unix(0, ns)
			case "load_ms":
				s.loadMS = v
			case "peak_rss_kb":
				s.peakMB = v / 1024
			case "opened":
				opened = true
			}
		}
		close(done)
	}()
	timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	<-done
	err = cmd.Wait()
	timer.Stop()
	if drawn.IsZero() || !opened || s.peakMB == 0 {
		return s, fmt.Errorf("%s did not report a drawn screen and its memory (%v): %s", filepath.Base(bin), err, lastLines(stderr.String()))
	}
	s.startupMS = float64(drawn.Sub(start).Microseconds()) / 1000
	return s, nil
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
	return fmt.Sprintf("%d × %s%s, %s/%s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH)
}

func mb(b int64) string {
	if b < 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f MB", float64(b)/1e6)
}

func markdown(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s, %s; %d runs of each program, alternating, medians. Both built with `%s`.\n\n", r.Date, r.Machine, r.Go, r.Runs, r.Notes["build"])
	b.WriteString("| measure | Waymark | floor (Fyne hello) | ratio | target |\n|---|---|---|---|---|\n")
	for _, c := range r.Profile {
		fmt.Fprintf(&b, "| start-up to first home frame, %s | %.0f ms | %.0f ms | %.2f× | ≤ %.1f× |\n", c.Profile, c.AppStartupMS, c.FloorStartupMS, c.StartupRatio, targetStartupRatio)
		fmt.Fprintf(&b, "| peak memory after %d lessons, %s | %.1f MB | %.1f MB | %.2f× | ≤ %.1f× |\n", lessonsOpened, c.Profile, c.AppPeakRSSMB, c.FloorPeakRSSMB, c.MemoryRatio, targetMemoryRatio)
		fmt.Fprintf(&b, "| loading the lessons at start-up, %s | %.1f ms | – | – | – |\n", c.Profile, c.AppLoadLessonsMS)
	}
	b.WriteString("\n| size | bytes | target |\n|---|---|---|\n")
	row := func(name, key, target string) {
		v, ok := r.Sizes[key]
		val := mb(v)
		if !ok {
			val = r.Notes[key]
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, val, target)
	}
	row("Linux binary (release build)", "linux_binary", fmt.Sprintf("≤ %.0f MB", targetLinuxMB))
	row("Linux binary inside the archive", "linux_binary_archive", fmt.Sprintf("≤ %.0f MB", targetLinuxMB))
	row("floor binary (Fyne hello, same flags)", "floor_binary", "–")
	row("floor binary with modernc.org/sqlite linked in", "floor_sqlite_binary", "–")
	row("Windows executable (cross-compiled, mingw-w64)", "windows_binary", "–")
	row("Linux archive (fyne package, tar.xz)", "linux_archive", "–")
	row("lessons, all languages (on disk)", "lessons_all_languages", "–")
	row("lessons, English and structure", "lessons_english", "–")
	row("interface translations", "locales", "–")
	row("bundled fonts (Ethiopic, Arabic)", "fonts_bundled", "–")
	row("all of these, packed as release builds embed them", "packed_content", "–")
	b.WriteString("\n| content | lessons | start-up | peak memory | reading lessons at start-up | binary |\n|---|---|---|---|---|---|\n")
	for _, g := range r.Growth {
		fmt.Fprintf(&b, "| %d× | %d | %.0f ms | %.1f MB | %.2f ms | %s |\n", g.Factor, g.Lessons, g.StartupMS, g.PeakRSSMB, g.LoadMS, mb(g.BinaryBytes))
	}
	return b.String()
}
