// Command waymark-bench measures Waymark's footprint against the floor:
// the smallest Fyne app (./floor), built with the same Fyne version, flags
// and tags, run in the same virtual display, alternating, several times.
//
//	go run ./cmd/waymark-bench [-runs 15] [-out bench/results]
//	go run ./cmd/waymark-bench watch [-runs 5] [-frames DIR] PROGRAM...
//	go run ./cmd/waymark-bench returning DIR   (a data folder past the first run)
//
// It measures start-up as a person sees it: each program is started under
// a virtual display at phone size (412×915) while the screen is captured
// in a tight loop, from the moment the process starts until the screen has
// not changed for 1.5 s; it reports the first picture, the settled one, how
// many pictures came between, and the resident memory once settled. It
// does this with a fresh HOME (a first start: the app shows its language
// picker) and a returning one (the app shows its home screen).
//
// With the app and floor built with the tag probe, it also reads what the
// programs report of themselves (app/probe, ./floor): the first frame with
// content by the painter, the memory once settled and after opening 20
// lessons (the floor shows 20 screens), split into the Go runtime's own
// accounting and the rest, and how long a lesson takes to show.
//
// It does both again on a low-end profile: one CPU (taskset) and a memory
// limit (a cgroup), the app still working; with no way to make a cgroup it
// says so and leaves the profile out. Then sizes (binaries, archives,
// content) and growth with 4× and 16× the lessons.
//
// It writes everything it measured, every run, to -out as
// results-DATE.json and the tables as results-DATE.md (both committed
// with BENCHMARKS.md), and prints the tables. It never fails on a timing:
// only when something does not build, does not start, or is not drawn.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Build flags for release binaries: the tags are scripts/release's (it
// says why each is there), the flags fyne package --release uses.
var (
	buildTags string
	ldflags   = "-s -w"
)

// Targets from the issues.
const (
	targetSettledRatio = 1.15
	targetLinuxOverMiB = 4.0 // over the floor with modernc.org/sqlite linked in
	lessonsOpened      = 20
)

// lowEndMemory is the low-end profile's memory limit on the cgroup: what a
// cheap phone might leave an app. It counts anonymous memory and the page
// cache the program brings in (not pages of its binary and libraries that
// were cached before), and is set below what the app charges unchecked
// (about 88 MB after 20 lessons), so that the app runs squeezed: the
// kernel drops its file pages and reads them again.
const lowEndMemory = 80 << 20

func main() {
	if len(os.Args) == 3 && os.Args[1] == "returning" {
		// A data folder past the first run, for comparisons by hand
		// (BENCHMARKS.md).
		if err := prepareData(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "waymark-bench:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "watch" {
		if err := watchCommand(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "waymark-bench:", err)
			os.Exit(1)
		}
		return
	}
	runs := flag.Int("runs", 15, "runs of each program, alternating")
	out := flag.String("out", filepath.Join("bench", "results"), "folder for the results")
	growth := flag.Bool("growth", true, "measure growth with 4× and 16× the lessons (two more builds)")
	flag.Parse()
	if err := run(*runs, *out, *growth); err != nil {
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
	Build   string            `json:"build"`
	Sizes   map[string]int64  `json:"sizes_bytes"`
	Notes   map[string]string `json:"notes"`
	Seen    []SeenCompare     `json:"startup_seen"`
	Probe   []ProbeCompare    `json:"probe"`
	Growth  []Growth          `json:"growth"`
}

// SeenCompare is start-up as a person sees it, app against floor, under
// one profile with one kind of HOME.
type SeenCompare struct {
	Profile      string  `json:"profile"`
	Home         string  `json:"home"` // fresh or returning
	App          []seen  `json:"app_runs"`
	Floor        []seen  `json:"floor_runs"`
	AppMedian    seen    `json:"app_median"`
	FloorMedian  seen    `json:"floor_median"`
	FirstRatio   float64 `json:"first_ratio"`
	SettledRatio float64 `json:"settled_ratio"`
}

// ProbeCompare is what the programs report of themselves, under one
// profile, with a returning HOME.
type ProbeCompare struct {
	Profile     string     `json:"profile"`
	App         []probeRun `json:"app_runs"`
	Floor       []probeRun `json:"floor_runs"`
	AppMedian   probeRun   `json:"app_median"`
	FloorMedian probeRun   `json:"floor_median"`
}

// Growth is the app with more content.
type Growth struct {
	Factor      int     `json:"factor"`
	Lessons     int     `json:"lessons"`
	SettledMS   float64 `json:"settled_ms"` // returning HOME, seen from outside
	StartRSSMB  float64 `json:"start_rss_mb"`
	LessonsMB   float64 `json:"rss_after_lessons_mb"`
	LoadMS      float64 `json:"load_lessons_ms"`
	BinaryBytes int64   `json:"binary_bytes"`
}

// profile is how the programs are run.
type profile struct {
	name   string
	wrap   func(argv []string) []string // nil: as they are
	before func()                       // before each -measure run
	after  func() (peakMB, fails float64)
}

func run(runs int, outDir string, growth bool) error {
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

	out, err := runOutput("scripts/release", "tags")
	if err != nil {
		return fmt.Errorf("scripts/release tags: %w", err)
	}
	buildTags = strings.TrimSpace(out)
	res.Build = fmt.Sprintf("go build -trimpath -ldflags %q -tags %s", ldflags, buildTags)

	step("building release binaries (%s), and the same with the tag probe", res.Build)
	b := binaries{
		app:         filepath.Join(work, "waymark"),
		appProbe:    filepath.Join(work, "waymark-probe"),
		floor:       filepath.Join(work, "floor"),
		floorSQLite: filepath.Join(work, "floor-sqlite"),
	}
	floorNet := filepath.Join(work, "floor-net")
	if err := buildRelease(".", b.app, b.appProbe); err != nil {
		return fmt.Errorf("build the app: %w", err)
	}
	if err := goBuild(".", b.floor, "./cmd/waymark-bench/floor", buildTags); err != nil {
		return fmt.Errorf("build the floor: %w", err)
	}
	if err := goBuild(".", b.floorSQLite, "./cmd/waymark-bench/floor", buildTags+",floor_sqlite"); err != nil {
		return fmt.Errorf("build the floor with SQLite: %w", err)
	}
	if err := goBuild(".", floorNet, "./cmd/waymark-bench/floor", buildTags+",floor_sqlite,floor_net"); err != nil {
		return fmt.Errorf("build the floor with SQLite and networking: %w", err)
	}
	res.Sizes["linux_binary"] = fileSize(b.app)
	res.Sizes["linux_binary_probe"] = fileSize(b.appProbe)
	res.Sizes["floor_binary"] = fileSize(b.floor)
	res.Sizes["floor_sqlite_binary"] = fileSize(b.floorSQLite)
	res.Sizes["floor_net_binary"] = fileSize(floorNet)

	step("starting a virtual display at phone size (%s)", phoneScreen)
	display, stop, err := xvfb(phoneScreen)
	if err != nil {
		return err
	}
	defer stop()
	s, err := openScreen(display)
	if err != nil {
		return err
	}
	defer s.close()

	profiles := []profile{{name: "desktop"}}
	if low, err := lowEnd(lowEndMemory); err != nil {
		res.Notes["low_end"] = "not measured: " + err.Error()
		step("no low-end profile: %v", err)
	} else {
		defer low.remove()
		profiles = append(profiles, profile{name: low.name, wrap: low.wrap, before: low.before, after: low.after})
	}
	for _, p := range profiles {
		for _, home := range []string{"fresh", "returning"} {
			step("%s, %s HOME: start-up seen on screen, %d runs each, alternating", p.name, home, runs)
			c, err := compareSeen(s, display, work, b, p, home, runs)
			if err != nil {
				return err
			}
			res.Seen = append(res.Seen, c)
		}
		step("%s: what the programs report (-measure %d), %d runs each, alternating", p.name, lessonsOpened, runs)
		c, err := compareProbe(display, work, b, p, runs)
		if err != nil {
			return err
		}
		res.Probe = append(res.Probe, c)
	}

	sizes(&res, work)

	if growth {
		for _, factor := range []int{1, 4, 16} {
			step("growth: %d× the shipped lessons, built into the binary as they ship", factor)
			g, err := measureGrowth(s, display, work, b, factor, max(3, runs/3))
			if err != nil {
				return fmt.Errorf("growth %d×: %w", factor, err)
			}
			res.Growth = append(res.Growth, g)
		}
	}

	name := "results-" + res.Date
	j, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(filepath.Join(outDir, name+".json"), append(j, '\n'), 0o644); err != nil {
		return err
	}
	table := markdown(res)
	if err := os.WriteFile(filepath.Join(outDir, name+".md"), []byte(table), 0o644); err != nil {
		return err
	}
	fmt.Print("\n" + table)
	fmt.Fprintf(os.Stderr, "\nwrote %s.json and %s.md\n", filepath.Join(outDir, name), filepath.Join(outDir, name))
	return nil
}

// binaries are the programs the suite compares.
type binaries struct {
	app, appProbe, floor, floorSQLite string
}

func step(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "== "+format+"\n", args...)
}
