// Command waymark-lessons checks Waymark's course content and reports on
// its translations, for authors and translators.
//
//	waymark-lessons check    [-dir lessons] [-locales locales]  every problem, with file, line and field
//	waymark-lessons coverage [-dir lessons]          how much each language translates
//	waymark-lessons stats    [-dir lessons] [-json]  lessons, tracks, steps by kind and translation counts
//
// check exits with status 1 when it finds an error (warnings alone do not
// fail it).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"text/tabwriter"

	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: waymark-lessons <command> [-dir DIR] [-json]

commands:
  check     list every problem in the content, with file, line and field;
            exit status 1 if there is any error
  coverage  show how much of the course each language translates
  stats     count lessons per track, each lesson's read and asking steps,
            the lessons with a simulation, and translated texts per language

-dir DIR      the content folder (default: the lessons built into this tool)
-locales DIR  check only: the interface translations (default: built in)
-json         stats only: print JSON
`

// errFound means check found errors; they have been printed.
var errFound = errors.New("errors found")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd := args[0]
	fl := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("dir", "", "content folder")
	localeDir := fl.String("locales", "", "interface translations folder (check)")
	asJSON := fl.Bool("json", false, "print JSON (stats)")
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	fsys, err := folder(*dir, lessons.FS)
	if err != nil {
		fmt.Fprintf(stderr, "waymark-lessons: %v\n", err)
		return 2
	}
	localeFS, err := folder(*localeDir, locales.FS)
	if err != nil {
		fmt.Fprintf(stderr, "waymark-lessons: %v\n", err)
		return 2
	}
	course, problems := lessonfile.Load(fsys)
	// Name files as the author sees them, from the folder they gave.
	base := *dir
	if base == "" {
		base = "lessons"
	}
	for i := range problems {
		problems[i].File = path.Join(base, problems[i].File)
	}
	switch cmd {
	case "check":
		lbase := *localeDir
		if lbase == "" {
			lbase = "locales"
		}
		localeProblems := l10n.Check(localeFS)
		// The interface's words follow the lessons' rule: numbers and
		// addresses only through the facts registry.
		files, lerr := lessonfile.TextFiles(localeFS, ".", "languages.toml")
		if lerr != nil {
			fmt.Fprintf(stderr, "waymark-lessons: %v\n", lerr)
			return 2
		}
		localeProblems = append(localeProblems, lessonfile.CheckContactsIn(localeFS, files, course.Facts)...)
		for _, p := range localeProblems {
			p.File = path.Join(lbase, p.File)
			problems = append(problems, p)
		}
		err = check(stdout, problems)
	case "coverage":
		err = coverage(stdout, course)
	case "stats":
		err = stats(stdout, course, *asJSON)
	default:
		fmt.Fprintf(stderr, "waymark-lessons: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case errors.Is(err, errFound):
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "waymark-lessons: %v\n", err)
		return 1
	}
	return 0
}

// folder returns the folder dir, or the built-in one when dir is "".
func folder(dir string, builtin fs.FS) (fs.FS, error) {
	if dir == "" {
		return builtin, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	return os.DirFS(dir), nil
}

func check(w io.Writer, problems tomldoc.Problems) error {
	for _, p := range problems {
		fmt.Fprintln(w, p)
	}
	errs := len(problems.Errors())
	fmt.Fprintf(w, "%d errors, %d warnings\n", errs, len(problems)-errs)
	if errs > 0 {
		return errFound
	}
	return nil
}

func coverage(w io.Writer, c *learn.Course) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "language\ttranslated\ttotal\tpercent\tdraft files\t")
	for _, lang := range c.Languages {
		cv := c.Coverage(lang)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t%d of %d\t\n", lang, cv.Translated, cv.Total, cv.Percent(), cv.DraftFiles, cv.Files)
	}
	return tw.Flush()
}

// Stats is what `stats -json` prints.
type Stats struct {
	Lessons int                    `json:"lessons"`
	Tracks  map[string]int         `json:"tracks"`
	Locales map[string]LocaleStats `json:"locales"`
	// LessonSteps counts each lesson's steps by what they ask of the
	// learner, by lesson id; Simulations is how many lessons have a
	// practice simulation.
	LessonSteps map[string]StepStats `json:"lesson_steps"`
	Simulations int                  `json:"lessons_with_simulation"`
}

// StepStats counts one lesson's steps: all of them, those that only
// show text to read, those that ask the learner something, and whether
// one is a practice simulation.
type StepStats struct {
	Steps      int     `json:"steps"`
	Read       int     `json:"read"`
	Asking     int     `json:"asking"`
	ReadShare  float64 `json:"read_percent"`
	Simulation bool    `json:"simulation"`
}

// stepStats counts l's steps.
func stepStats(l *learn.Lesson) StepStats {
	st := StepStats{Steps: len(l.Steps)}
	for _, s := range l.Steps {
		switch {
		case s.Kind == learn.KindRead:
			st.Read++
		case s.Kind.Question():
			st.Asking++
		}
		if s.Kind.Simulation() {
			st.Simulation = true
		}
	}
	if st.Steps > 0 {
		st.ReadShare = float64(int(1000*float64(st.Read)/float64(st.Steps))) / 10
	}
	return st
}

// LocaleStats counts one language's texts.
type LocaleStats struct {
	Translated int     `json:"translated"`
	Total      int     `json:"total"`
	Percent    float64 `json:"percent"`
	DraftFiles int     `json:"draft_files"`
}

func stats(w io.Writer, c *learn.Course, asJSON bool) error {
	s := Stats{Lessons: len(c.Lessons), Tracks: map[string]int{}, Locales: map[string]LocaleStats{}, LessonSteps: map[string]StepStats{}}
	for _, t := range c.Tracks {
		s.Tracks[t.ID] = len(c.TrackLessons(t))
		for _, l := range c.TrackLessons(t) {
			st := stepStats(l)
			s.LessonSteps[l.ID] = st
			if st.Simulation {
				s.Simulations++
			}
		}
	}
	for _, lang := range c.Languages {
		cv := c.Coverage(lang)
		s.Locales[lang] = LocaleStats{Translated: cv.Translated, Total: cv.Total, Percent: float64(int(cv.Percent()*10)) / 10, DraftFiles: cv.DraftFiles}
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(w, "%d lessons\n", s.Lessons)
	for _, t := range c.Tracks {
		fmt.Fprintf(w, "  %-16s %d lessons\n", t.ID, s.Tracks[t.ID])
	}
	fmt.Fprintf(w, "%d lessons with a simulation\n", s.Simulations)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lesson\tsteps\tread\tasking\tread %\tsimulation\t")
	for _, t := range c.Tracks {
		for _, l := range c.TrackLessons(t) {
			st := s.LessonSteps[l.ID]
			sim := ""
			if st.Simulation {
				sim = "yes"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f%%\t%s\t\n", l.ID, st.Steps, st.Read, st.Asking, st.ReadShare, sim)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return coverage(w, c)
}
