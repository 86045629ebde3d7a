// Command waymark is the Waymark learner app: offline lessons on staying
// safe online and everyday tasks, in the learner's language, with progress
// kept on the device.
//
//	waymark [-lessons DIR] [-open LESSON[/STEP]] [-data DIR]
//
// -lessons loads the course from a folder instead of the built-in one, so
// an author can preview edits, and -open goes straight to a lesson or one
// of its steps; -data keeps the app's data in DIR instead of the app's
// storage directory.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

func main() {
	lessonDir := flag.String("lessons", "", "load lessons from this folder instead of the built-in ones")
	dataDir := flag.String("data", "", "keep the app's data in this folder instead of its storage directory")
	smoke := flag.Bool("smoke", false, "for tests: print what the first screen shows")
	open := flag.String("open", "", "for authors: open a lesson at start-up, as LESSON or LESSON/STEP")
	measureN := flag.Int("measure", 0, "for benchmarks: report start-up, then open this many lessons and report peak memory")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(log, *lessonDir, *dataDir, *open, *smoke, *measureN); err != nil {
		log.Error("waymark stopped", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, lessonDir, dataDir, open string, smoke bool, measureN int) error {
	ctx := context.Background()
	meta, err := appMetadata()
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
	st := &storeFiles{path: dbPath, trainer: filepath.Join(dataDir, "trainer.db")}
	damaged := ""
	if err := st.open(ctx); err != nil {
		if !errors.Is(err, learn.ErrDamaged) {
			return err
		}
		// The saved record cannot be read: it is moved aside, never
		// deleted, and the learner is told calmly and offered a fresh start.
		log.Error("the saved record could not be read and was moved aside")
		if damaged, err = sqlite.MoveAside(dbPath, time.Now()); err != nil {
			return err
		}
	}
	defer st.close()

	logProblems := func(ps tomldoc.Problems) {
		for _, p := range ps {
			log.Warn("lesson content", "problem", p.String())
		}
	}
	// The shipped lessons, checked by the tests, are read as they are
	// needed, in the languages in use (start-up reads the tracks only). An
	// author's folder is read and checked in full at once, so that every
	// problem shows now.
	var (
		content     fs.FS = lessons.FS
		course      *learn.Course
		addLanguage func(string)
		loaded      time.Duration
	)
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
	catalog, lp := l10n.Load(locales.FS)
	for _, p := range lp {
		log.Warn("translation", "problem", p.String())
	}

	var m *measure
	var probe func()
	if measureN > 0 {
		m = &measure{lessons: measureN, drawn: make(chan struct{}, 1)}
		probe = m.probe
	}
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
	deps := app.Deps{
		FrameProbe:    probe,
		Course:        course,
		Content:       content,
		Broken:        broken(course),
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
			return errors.Join(st.erase(ctx), removeFyneFolders(a))
		},
		Groups:  sy,
		Trainer: trainerProfile(st.trainer, log),
	}
	if st.db != nil {
		deps.Store = st.db
	}
	u, err := app.New(ctx, a, deps)
	if err != nil {
		return err
	}
	defer u.Close()
	a.Lifecycle().SetOnStarted(func() { fitWindow(u.Window(), fyne.NewSize(1000, 720)) })
	if smoke {
		go smokeTest(u.Window())
	}
	if m != nil {
		m.a, m.u, m.course = a, u, course
		go m.run(loaded)
	}
	u.Window().ShowAndRun()
	return nil
}

// broken counts lessons a track lists that did not load (of those read so
// far).
func broken(c *learn.Course) int {
	n := 0
	for _, t := range c.Tracks {
		n += len(t.Lessons) - len(c.TrackLessonIDs(t))
	}
	return n
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
	db      *sqlite.DB
	sync    *syncclient.Service
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

var (
	_ app.Store               = (*sqlite.DB)(nil)
	_ syncclient.ServiceStore = (*sqlite.DB)(nil)
	_ app.Syncer              = (*syncclient.Service)(nil)
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

// erase deletes the database's own files, the damaged copies moved aside
// beside it and the trainer's profile, and nothing else in its folder.
func (s *storeFiles) erase(ctx context.Context) error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Erase(ctx))
		s.db = nil
	}
	for _, p := range append(sqlite.Aside(s.path), s.trainer) {
		errs = append(errs, sqlite.Shred(p))
	}
	return errors.Join(errs...)
}

// removeFyneFolders removes what Fyne keeps for the app beside the
// database: its settings folder (where the database lives too, unless -data
// put it elsewhere) and its cache folder.
func removeFyneFolders(a fyne.App) error {
	var dirs []string
	if root := a.Storage().RootURI(); root != nil {
		dirs = append(dirs, root.Path())
	}
	if cache, err := os.UserCacheDir(); err == nil {
		dirs = append(dirs, filepath.Join(cache, "fyne", a.UniqueID()))
	}
	return removeAppFolders(a.UniqueID(), dirs...)
}

// removeAppFolders removes each folder of dirs that is named after the
// app's id, and nothing else, so a mistake can never reach a learner's own
// files.
func removeAppFolders(id string, dirs ...string) error {
	var errs []error
	for _, d := range dirs {
		if id == "" || filepath.Base(d) != id {
			continue
		}
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(errs...)
}
