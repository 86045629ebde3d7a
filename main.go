// Command waymark is the Waymark learner app: offline lessons on staying
// safe online and everyday tasks, in the learner's language, with progress
// kept on the device.
//
//	waymark [-lessons DIR] [-open LESSON[/STEP]] [-data DIR]
//
// -lessons loads the course from a folder instead of the built-in one, so
// an author can preview edits, and -open goes straight to a lesson or one
// of its steps; -data keeps the app's data in DIR instead of the app's
// storage directory. Built with the tag probe, it also has the modes the
// benchmarks and the smoke test use (app/probe).
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/app/probe"
	"github.com/waymark-app/waymark/internal/hub"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// fyneAppTOML is the app's metadata file, built in (see app.Metadata).
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

// startupHeapLimit is what the Go runtime may hold before the first screen
// is up, while the collector is off (see main): start-up reaches about
// 30 MB, most of it garbage by then, and collects at this limit if it
// ever needs more (content many times the shipped lessons, say).
const startupHeapLimit = 48 << 20

func main() {
	// No collections while the app starts, unless GOGC or GOMEMLIMIT says
	// otherwise: start-up allocates about 30 MB in a burst and keeps 5,
	// and collecting as it went took about 40 ms of CPU before the first
	// frame (GODEBUG=gctrace=1, on one CPU), which a phone with one free
	// core waits for: on one CPU a start settled 8 to 52 ms sooner in
	// four comparisons (BENCHMARKS.md), for 2 MB more at the peak. The first screen turns
	// the collector on and gives the garbage back at once (run's started
	// callback); the limit stops a start that goes wrong from growing
	// without bound meanwhile.
	startup := os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""
	if startup {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(startupHeapLimit)
	}
	lessonDir := flag.String("lessons", "", "load lessons from this folder instead of the built-in ones")
	dataDir := flag.String("data", "", "keep the app's data in this folder instead of its storage directory")
	open := flag.String("open", "", "for authors: open a lesson at start-up, as LESSON or LESSON/STEP")
	probes := probe.Flags(flag.CommandLine)
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(log, *lessonDir, *dataDir, *open, probes, startup); err != nil {
		log.Error("waymark stopped", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, lessonDir, dataDir, open string, probes *probe.Modes, startupGCOff bool) error {
	ctx := context.Background()
	meta, err := app.Metadata(fyneAppTOML)
	if err != nil {
		return err
	}
	fyneapp.SetMetadata(meta)
	a := fyneapp.NewWithID(meta.ID)

	ownFolder := dataDir == ""
	if ownFolder {
		dataDir = a.Storage().RootURI().Path()
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	if ownFolder {
		// The app's own folder: no one else on the device reads it.
		if err := os.Chmod(dataDir, 0o700); err != nil {
			return err
		}
	}
	dbPath := filepath.Join(dataDir, "waymark.db")
	st := &storeFiles{path: dbPath, trainer: filepath.Join(dataDir, "trainer.db"), hub: filepath.Join(dataDir, "hub"),
		profiles: &sqlite.Profiles{Main: dbPath}}
	logProblems := func(ps tomldoc.Problems) {
		for _, p := range ps {
			log.Warn("lesson content", "problem", p.String())
		}
	}
	// The record, the lessons and the translations are read while the
	// window is made: Fyne starts the graphics with the first window, tens
	// of milliseconds mostly spent in the display server and the graphics
	// driver. Nothing read here touches Fyne.
	var (
		damaged     string
		content     fs.FS = lessons.FS
		course      *learn.Course
		addLanguage func(string)
		loaded      time.Duration
		catalog     *l10n.Catalog
	)
	read := make(chan error, 1)
	go func() {
		read <- func() error {
			if err := st.open(ctx); err != nil {
				if !errors.Is(err, learn.ErrDamaged) {
					return err
				}
				// The saved record cannot be read: it is moved aside, never
				// deleted, and the learner is told calmly and offered a
				// fresh start.
				log.Error("the saved record could not be read and was moved aside")
				if damaged, err = sqlite.MoveAside(dbPath, time.Now()); err != nil {
					return err
				}
			}
			// The shipped lessons, checked by the tests, are read as they
			// are needed, in the languages in use (start-up reads the
			// tracks only). An author's folder is read and checked in full
			// at once, so that every problem shows now.
			loadStart := time.Now()
			if lessonDir != "" {
				content = os.DirFS(lessonDir)
				var problems tomldoc.Problems
				course, problems = lessonfile.Load(content)
				logProblems(problems)
			} else {
				lib, problems := lessonfile.Open(content, logProblems)
				logProblems(problems)
				course, addLanguage = lib.Course, lib.AddLanguage
			}
			loaded = time.Since(loadStart)
			var lp tomldoc.Problems
			catalog, lp = l10n.Load(locales.FS)
			for _, p := range lp {
				log.Warn("translation", "problem", p.String())
			}
			return nil
		}()
	}()
	win := app.NewWindow(a)
	if err := <-read; err != nil {
		return err
	}
	defer st.close()

	pending := filepath.Join(dataDir, "waymark.pending")
	// A Delete everything that could not reach the sync server: sent now.
	go func() {
		if err := syncclient.SendPending(ctx, pending); err != nil {
			log.Warn("the server's copy could not be deleted yet; trying again at the next start")
		}
	}()
	sy := &syncclient.Service{Log: log, Label: deviceKind(), PendingPath: pending}
	if st.db != nil {
		sy.Store, sy.Clock = st.db, st.db.Clock()
	}
	st.sync = sy
	trainer := trainerProfile(st.trainer, log)
	deps := app.Deps{
		FrameProbe:    probes.FrameProbe(),
		Course:        course,
		Content:       content,
		Catalog:       catalog,
		Damaged:       damaged,
		Fresh:         st.fresh,
		Sync:          sy,
		Version:       a.Metadata().Version,
		SystemLocales: systemLocales(),
		Log:           log,
		Open:          open,
		LoadLanguage: func(tag string) {
			if addLanguage != nil {
				addLanguage(tag)
			}
			for _, p := range catalog.Problems() {
				log.Warn("translation", "problem", p.String())
			}
		},
		Wipe: func(ctx context.Context) error {
			if st.learner != "" { // a shared laptop's learner: their record alone
				return errors.Join(st.erase(ctx), st.profiles.Remove(st.learner))
			}
			return errors.Join(st.erase(ctx), app.RemoveFyneFolders(a))
		},
		Profiles: profiles{st.profiles, st},
		Follow:   follow{sy},
		Hub: &hub.Service{Dir: st.hub, Facts: course.Facts, Catalog: catalog, Log: log, Roster: trainer.Roster(),
			OpenStore: func(ctx context.Context, p string) (hub.Store, error) { return sqlite.OpenRelay(ctx, p) },
			Lesson: func(id string) (*learn.Lesson, error) {
				l, ps := lessonfile.LoadLesson(content, id, course.Facts)
				if l == nil {
					return nil, fmt.Errorf("lesson %q: %v", id, ps)
				}
				return l, nil
			}},
		Groups:     sy,
		GroupClaim: func(session string) string { return sy.AttendanceClaim(context.Background(), session) },
		Trainer:    trainer,
		Window:     win,
	}
	if st.db != nil {
		deps.Store = st.db
	}
	u, err := app.New(ctx, a, deps)
	if err != nil {
		return err
	}
	defer u.Close()
	probes.Start(a, u, course, loaded)
	u.ShowAndRun(func() {
		if os.Getenv("GOGC") == "" {
			// Once the first screen is up (start-up allocates in a burst
			// that a tighter target would collect several times over): the
			// heap is small, 5 to 15 MB live, and most of what the app
			// allocates is short-lived (images rasterised, text laid out),
			// so collecting when it has grown by half, not by all of it,
			// keeps memory down after lessons. Not by a quarter: with the
			// live heap at 5 MB, that collected 96 times in 20 lessons
			// where 50 % collects about 65, and a lesson took 80 ms to
			// open instead of 73 (medians of 7, with -measure 20).
			debug.SetGCPercent(50)
		}
		if startupGCOff {
			debug.SetMemoryLimit(math.MaxInt64) // no limit, as by default
		}
		// Most of what start-up allocated (fonts parsed, text laid out,
		// the first frame's pictures) is garbage once the first screen is
		// up: collected and its pages given back to the system now, not
		// over the minutes the runtime's scavenger would take (about 10 MB
		// resident at start, BENCHMARKS.md). On a goroutine: the window
		// stays responsive meanwhile.
		go debug.FreeOSMemory()
	})
	return nil
}

// systemLocales returns the device's languages, most preferred first.
func systemLocales() []string {
	var out []string
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		for _, l := range strings.Split(os.Getenv(v), ":") {
			if l != "" {
				out = append(out, l)
			}
		}
	}
	return append(out, lang.SystemLocale().String())
}

// storeFiles is the local store at path: open, or not yet (moved aside
// after damage, or erased); and the trainer's profile's file, if any.
type storeFiles struct {
	path    string
	trainer string
	// hub is the folder of the trainer's hub (its store and certificate).
	hub  string
	db   *sqlite.DB
	sync *syncclient.Service
	// profiles are a shared laptop's learners; learner is the one whose
	// store is open ("": the laptop's own).
	profiles *sqlite.Profiles
	learner  string
}

// trainerProfile is trainer mode, on a file of its own made only when a
// trainer makes their profile.
func trainerProfile(path string, log *slog.Logger) *syncclient.Trainer {
	return &syncclient.Trainer{
		Log:    log,
		Exists: func() bool { _, err := os.Stat(path); return err == nil },
		Open: func(ctx context.Context, create bool) (syncclient.TrainerStore, error) {
			if _, err := os.Stat(path); err != nil && !create {
				return nil, learn.ErrNotFound
			}
			return sqlite.Open(ctx, path, sqlite.Options{})
		},
	}
}

// profiles are a shared laptop's learners (app.Profiles): their list,
// and switching the store in use, sync's with it.
type profiles struct {
	*sqlite.Profiles
	st *storeFiles
}

func (p profiles) Current() string { return p.st.learner }

func (p profiles) Switch(ctx context.Context, id string) (app.Store, error) {
	path, err := p.Path(id)
	if err != nil {
		return nil, err
	}
	p.st.close()
	p.st.db, p.st.path, p.st.learner = nil, path, id
	if err := p.st.open(ctx); err != nil {
		return nil, err
	}
	if p.st.sync != nil {
		p.st.sync.Store, p.st.sync.Clock = p.st.db, p.st.db.Clock()
	}
	return p.st.db, nil
}

// follow is the app's Follow: sync's, with its problems in the words the
// interface translates.
type follow struct{ sy *syncclient.Service }

func (f follow) Follow(ctx context.Context, address, code, claim string) (app.Following, room.View, error) {
	fl, v, err := f.sy.Follow(ctx, address, code, claim)
	if err != nil {
		return nil, v, err
	}
	return fl, v, nil
}

func (follow) Problem(err error) string { return syncclient.FollowProblem(err) }

var (
	_ app.Store               = (*sqlite.DB)(nil)
	_ syncclient.ServiceStore = (*sqlite.DB)(nil)
	_ app.Syncer              = (*syncclient.Service)(nil)
	_ app.Hub                 = (*hub.Service)(nil)
	_ app.GroupMember         = (*syncclient.Service)(nil)
	_ app.Trainer             = (*syncclient.Trainer)(nil)
	_ syncclient.TrainerStore = (*sqlite.DB)(nil)
)

// deviceKind is how this device names itself in the learner's list of
// devices: a kind, not a name, shown in each device's own language.
func deviceKind() string {
	if fyne.CurrentDevice().IsMobile() {
		return "phone"
	}
	return "computer"
}

func (s *storeFiles) open(ctx context.Context) error {
	db, err := sqlite.Open(ctx, s.path, sqlite.Options{})
	if err != nil {
		return err
	}
	s.db = db
	return nil
}

func (s *storeFiles) close() {
	if s.db != nil {
		s.db.Close()
	}
}

// fresh moves the current database aside (never deleting it) and opens a
// new one: the learner's choice after their saved record could not be
// read.
func (s *storeFiles) fresh(ctx context.Context) (app.Store, string, error) {
	s.close()
	s.db = nil
	moved := ""
	if _, err := os.Stat(s.path); err == nil {
		if moved, err = sqlite.MoveAside(s.path, time.Now()); err != nil {
			return nil, "", err
		}
	}
	if err := s.open(ctx); err != nil {
		return nil, moved, err
	}
	if s.sync != nil {
		s.sync.Store, s.sync.Clock = s.db, s.db.Clock()
	}
	return s.db, moved, nil
}

// erase deletes the open record and what goes with it (sqlite.Device.Erase).
func (s *storeFiles) erase(ctx context.Context) error {
	db := s.db
	s.db = nil
	return sqlite.Device{Trainer: s.trainer, Hub: s.hub, Profiles: s.profiles}.Erase(ctx, db, s.path, s.learner)
}
