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
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/app/probe"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// fyneAppTOML is the app's metadata file, built in (see app.Metadata).
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

func main() {
	lessonDir := flag.String("lessons", "", "load lessons from this folder instead of the built-in ones")
	dataDir := flag.String("data", "", "keep the app's data in this folder instead of its storage directory")
	open := flag.String("open", "", "for authors: open a lesson at start-up, as LESSON or LESSON/STEP")
	probes := probe.Flags(flag.CommandLine)
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(log, *lessonDir, *dataDir, *open, probes); err != nil {
		log.Error("waymark stopped", "err", err)
		os.Exit(1)
	}
}

func run(log *slog.Logger, lessonDir, dataDir, open string, probes *probe.Modes) error {
	ctx := context.Background()
	meta, err := app.Metadata(fyneAppTOML)
	if err != nil {
		return err
	}
	fyneapp.SetMetadata(meta)
	a := fyneapp.NewWithID(meta.ID)

	if dataDir == "" {
		dataDir = a.Storage().RootURI().Path()
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "waymark.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()

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

	dbPath := filepath.Join(dataDir, "waymark.db")
	u, err := app.New(ctx, a, app.Deps{
		FrameProbe:    probes.FrameProbe(),
		Course:        course,
		Content:       content,
		Catalog:       catalog,
		Store:         db,
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
			if err := db.Erase(ctx); err != nil {
				return err
			}
			return removeAllBut(dataDir, dbPath)
		},
	})
	if err != nil {
		return err
	}
	defer u.Close()
	probes.Start(a, u, course, loaded)
	u.ShowAndRun(func() {
		if os.Getenv("GOGC") == "" {
			// Once the first screen is up (start-up allocates in a burst
			// that a tighter target would collect several times over): the
			// heap is small, 15 to 20 MB live, and most of what the app
			// allocates is short-lived (images rasterised, text laid out),
			// so collecting when it has grown by a quarter, not by all of
			// it, keeps about 10 MB less resident after 20 lessons.
			debug.SetGCPercent(25)
		}
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

// removeAllBut deletes every file in dir (Fyne's preferences and caches,
// say) but the database at keep and the files SQLite keeps beside it.
func removeAllBut(dir, keep string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if strings.HasPrefix(p, keep) {
			continue
		}
		errs = append(errs, os.RemoveAll(p))
	}
	return errors.Join(errs...)
}
