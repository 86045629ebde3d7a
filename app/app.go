// Package app is Waymark's interface, built with Fyne: one file a screen,
// each a small struct with a constructor, a build method and onX handlers.
// It talks to storage through the small Store interface it declares, and
// never to a database or the network directly.
package app

import (
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
)

// Store is what the interface needs from the local store.
type Store interface {
	// Record appends progress events and updates the state derived from
	// them, atomically.
	Record(ctx context.Context, events ...learn.Event) ([]learn.Event, error)
	// Progress returns the derived state of every lesson and step.
	Progress(ctx context.Context) (*learn.Progress, error)
	// Prefs returns every setting of this device.
	Prefs(ctx context.Context) (map[string]string, error)
	// SetPref stores one setting.
	SetPref(ctx context.Context, key, value string) error
}

// Setting keys.
const (
	prefLang     = "lang"
	prefTextSize = "text_size"
	prefPalette  = "theme"
)

// Deps is everything the interface is built from.
type Deps struct {
	Course *learn.Course
	// Content is the file system the course was loaded from; step images
	// are read from it when shown.
	Content fs.FS
	// Broken counts lessons that failed to load; the learner is told some
	// lessons are missing, never why.
	Broken  int
	Catalog *l10n.Catalog
	Store   Store
	Version string
	// SystemLocales are the device's languages, most preferred first.
	SystemLocales []string
	// Log receives operational messages; never names, notes or answers.
	Log *slog.Logger
	// Open, for authors, opens a lesson at start-up: "lesson" or
	// "lesson/step".
	Open string
}

// UI is the running interface: one window whose content is the current
// screen.
type UI struct {
	app fyne.App
	win fyne.Window
	d   Deps

	loc      *l10n.Localizer
	prefs    map[string]string
	progress *learn.Progress
	clock    *learn.Clock
	rec      *recorder

	notice  *fyne.Container // a calm banner above the screen
	body    *fyne.Container // the current screen
	rebuild func()          // builds the current screen again (language, text size)
	current func()          // shows the current main screen afresh (where a lesson returns to)

	clockNow func() time.Time // the wall clock (time.Now if nil)
}

// New builds the interface in a new window of a. It reads the settings and
// progress once; everything after that is kept in memory and written in
// the background.
func New(ctx context.Context, a fyne.App, d Deps) (*UI, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	prefs, err := d.Store.Prefs(ctx)
	if err != nil {
		return nil, err
	}
	progress, err := d.Store.Progress(ctx)
	if err != nil {
		return nil, err
	}
	u := &UI{app: a, d: d, prefs: prefs, progress: progress, clock: learn.NewClock(nil)}
	for _, s := range progress.Lessons {
		u.clock.Observe(s.Updated)
	}
	u.rec = newRecorder(d.Store, d.Log, func(err error) {
		fyne.Do(func() { u.showNotice(u.loc.T("error.save")) })
	})
	u.loc = d.Catalog.Localizer(u.language())
	u.applyTheme()

	u.win = a.NewWindow(u.loc.T("app.name"))
	u.win.SetIcon(a.Metadata().Icon)
	u.notice = container.NewVBox()
	u.body = container.NewStack()
	u.win.SetContent(container.NewBorder(u.notice, nil, nil, nil, u.body))
	u.win.SetCloseIntercept(func() {
		u.rec.Close()
		u.win.Close()
	})
	// A phone may stop an app in the background without warning: write
	// everything as soon as it leaves the screen.
	a.Lifecycle().SetOnExitedForeground(func() { u.rec.Flush(2 * time.Second) })
	a.Lifecycle().SetOnStopped(u.rec.Close)

	switch {
	case d.Open != "":
		u.showHome()
		u.Open(d.Open)
	case prefs[prefWelcomed] != "":
		u.showHome()
	default:
		u.showWelcome()
	}
	if d.Broken > 0 {
		u.showNotice(u.loc.T("error.lessons"))
	}
	return u, nil
}

// Window returns the interface's window.
func (u *UI) Window() fyne.Window { return u.win }

// Close writes everything still queued and stops the background writer.
func (u *UI) Close() { u.rec.Close() }

// Flush waits until everything queued has been written (at most 10 s).
func (u *UI) Flush() { u.rec.Flush(10 * time.Second) }

// language returns the learner's language: their choice, else the best
// match for the device's languages, else English.
func (u *UI) language() string {
	prefs := append([]string{u.prefs[prefLang]}, u.d.SystemLocales...)
	return u.d.Catalog.Match(prefs...)
}

func (u *UI) palette() Palette   { return Palette(u.prefs[prefPalette]) }
func (u *UI) textSize() TextSize { return TextSize(u.prefs[prefTextSize]) }

func (u *UI) applyTheme() {
	lang := u.loc.Language()
	u.app.Settings().SetTheme(newTheme(u.palette(), u.textSize(), lang.Script))
}

// setPref keeps a setting in memory at once and stores it in the background.
func (u *UI) setPref(key, value string) {
	u.prefs[key] = value
	u.rec.setPref(key, value)
}

// setLanguage switches the whole interface to lang at once.
func (u *UI) setLanguage(lang string) {
	u.setPref(prefLang, lang)
	u.loc = u.d.Catalog.Localizer(lang)
	u.win.SetTitle(u.loc.T("app.name"))
	u.applyTheme()
	if u.rebuild != nil {
		u.rebuild()
	}
}

// record applies events to the progress in memory at once, so the screen
// never waits for the disk, and queues them for the store.
func (u *UI) record(events ...learn.Event) {
	for i := range events {
		events[i].Clock = u.clock.Tick()
		u.progress.Apply(events[i])
	}
	u.rec.record(events...)
}

// showScreen replaces the screen. build is kept to rebuild it when the
// language or text size changes; nav, if not nil, is how to come back to
// this screen later (after a lesson, say).
func (u *UI) showScreen(nav func(), build func() fyne.CanvasObject) {
	if nav != nil {
		u.current = nav
	}
	u.rebuild = func() {
		u.body.Objects = []fyne.CanvasObject{build()}
		u.body.Refresh()
	}
	u.rebuild()
}

// showNotice shows a calm message above the screen until dismissed.
func (u *UI) showNotice(text string) {
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	var banner *fyne.Container
	closeBtn := widget.NewButtonWithIcon("", iconClose(), func() {
		u.notice.Remove(banner)
	})
	banner = container.NewBorder(nil, nil, nil, closeBtn, msg)
	u.notice.Add(container.NewPadded(banner))
}

// lessonTitle returns a lesson's title in the learner's language.
func (u *UI) lessonTitle(l *learn.Lesson) string {
	return u.text(l, learn.KeyTitle)
}

// text returns a lesson text in the learner's language, English where it
// has none, with facts written out in plain text.
func (u *UI) text(l *learn.Lesson, key string) string {
	return learn.ExpandFacts(l.Text.Get(u.loc.Language().Tag, key), u.d.Course.Facts, func(f learn.Fact) string { return f.Value })
}

// markdown returns a lesson text as Markdown, with facts as links a phone
// can call, text or open.
func (u *UI) markdown(l *learn.Lesson, key string) string {
	return learn.ExpandFacts(l.Text.Get(u.loc.Language().Tag, key), u.d.Course.Facts, factMarkdown)
}

func factMarkdown(f learn.Fact) string {
	if link := f.Link(); link != "" {
		return "[" + f.Value + "](" + link + ")"
	}
	return "**" + f.Value + "**"
}

// Open opens "lesson" or "lesson/step" straight away, so an author can
// look at the step they are writing. It reports whether there was such a
// lesson.
func (u *UI) Open(target string) bool {
	id, step, _ := strings.Cut(target, "/")
	l := u.d.Course.Lesson(id)
	if l == nil {
		u.d.Log.Warn("no such lesson to open", "lesson", id)
		return false
	}
	p := &playerScreen{u: u, l: l, answered: map[string]bool{}, leave: u.showHome}
	p.goTo(max(0, l.StepIndex(step)))
	return true
}
