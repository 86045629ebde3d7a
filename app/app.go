// Package app is Waymark's interface, built with Fyne: one file a screen,
// each a small struct with a constructor, a build method and onX handlers.
// It talks to storage through the small Store interface it declares, and
// never to a database or the network directly.
package app

import (
	"context"
	"image"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
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
	// SetPrefs stores settings together, all or none; "" deletes one.
	SetPrefs(ctx context.Context, prefs map[string]string) error
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
	// Wipe deletes everything the app keeps on the device: the database
	// with its WAL and journal files, settings and caches. It runs on the
	// writer goroutine after every queued write.
	Wipe func(context.Context) error
	// LockParams is the Argon2id cost for the PIN (lockbox.DefaultParams
	// if zero; tests use a cheap one).
	LockParams lockbox.Params
	// LoadLanguage reads a language's lesson texts into Course, if they
	// have not been read: the app reads only the languages the learner
	// uses (nil: Course has them all).
	LoadLanguage func(tag string)
	// FrameProbe, if set, is called by the painter when it first draws
	// each new screen: the benchmarks time start-up to the first frame
	// with content with it.
	FrameProbe func()
	// IdleCheck is how often the idle lock looks at the clock (every 10 s
	// if zero; tests look more often).
	IdleCheck time.Duration
	// Now is the wall clock (time.Now if nil).
	Now func() time.Time
	// Do runs a function on the interface goroutine, for work finished in
	// the background (fyne.Do if nil; tests run it on the test goroutine).
	Do func(func())
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

	sec  security
	full fullState // the real course and progress, while the safe profile is open
	stop context.CancelFunc
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
	u := &UI{app: a, d: d, prefs: prefs, clock: learn.NewClock(d.Now), clockNow: d.Now}
	u.setLocalizer(u.language())
	u.applyTheme()
	progress, err := d.Store.Progress(ctx)
	if err != nil {
		return nil, err
	}
	u.progress = progress
	for _, s := range progress.Lessons {
		u.clock.Observe(s.Updated)
	}
	u.rec = newRecorder(d.Store, d.Log, func(err error) {
		u.do(func() { u.showNotice(u.loc.T("error.save")) })
	})
	u.sec.params = d.LockParams
	if u.sec.params == (lockbox.Params{}) {
		u.sec.params = lockbox.DefaultParams
	}
	u.loadSecurity()
	u.touch()

	u.win = a.NewWindow("")
	u.setTitle()
	u.win.SetIcon(a.Metadata().Icon)
	u.notice = container.NewVBox()
	u.body = container.NewStack()
	u.win.SetContent(container.NewBorder(u.notice, nil, nil, nil, u.body))
	u.win.SetCloseIntercept(func() {
		u.Close()
		u.win.Close()
	})
	// A phone may stop an app in the background without warning: write
	// everything as soon as it leaves the screen, and lock.
	a.Lifecycle().SetOnExitedForeground(u.onBackground)
	a.Lifecycle().SetOnEnteredForeground(u.onForeground)
	a.Lifecycle().SetOnStopped(u.Close)
	u.win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
		u.touch()
		if e.Name == fyne.KeyEscape {
			u.quickExit()
		}
	})
	xwidget.OnActivity = u.touch
	ctx, u.stop = context.WithCancel(context.Background())
	every := d.IdleCheck
	if every <= 0 {
		every = 10 * time.Second
	}
	go u.watchIdle(ctx, every)
	u.tellUnreadableLessons()

	switch {
	case u.hasPIN():
		u.sec.locked = true
		u.showLock()
	case d.Open != "":
		u.showHome()
		u.Open(d.Open)
	case prefs[prefWelcomed] != "":
		u.showHome()
	default:
		u.showWelcome()
	}
	return u, nil
}

// Window returns the interface's window.
func (u *UI) Window() fyne.Window { return u.win }

// Close writes everything still queued and stops the background work.
func (u *UI) Close() {
	if u.stop != nil {
		u.stop()
	}
	u.rec.Close()
}

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
	// Every screen built from now on reads in this language's direction.
	xwidget.RTL = lang.RTL
	u.app.Settings().SetTheme(newTheme(u.palette(), u.textSize(), lang.Script))
}

// setPref keeps a setting in memory at once and stores it in the background.
func (u *UI) setPref(key, value string) {
	u.setPrefs(map[string]string{key: value})
}

// setPrefs keeps settings in memory at once and stores them together, in
// one transaction, in the background. "" deletes a setting. The safe
// profile writes nothing.
func (u *UI) setPrefs(prefs map[string]string) {
	for k, v := range prefs {
		if v == "" {
			delete(u.prefs, k)
		} else {
			u.prefs[k] = v
		}
	}
	if !u.sec.safeMode {
		u.rec.setPrefs(prefs)
	}
}

// setTitle names the window: discreetly by default, so that a glance at a
// taskbar says nothing about lessons or help.
func (u *UI) setTitle() {
	switch {
	case u.sec.covered:
		u.win.SetTitle(u.loc.T("cover.title"))
	case u.prefs[prefDiscreet] == "0":
		u.win.SetTitle(u.loc.T("app.name"))
	default:
		u.win.SetTitle(u.loc.T("app.discreet_name"))
	}
}

// mobile reports whether the app runs on a phone or tablet.
func (u *UI) mobile() bool { return fyne.CurrentDevice().IsMobile() }

// setLocalizer switches the words of the interface and lessons to lang,
// reading the lessons' texts in lang if they have not been read yet.
func (u *UI) setLocalizer(lang string) {
	u.loc = u.d.Catalog.Localizer(lang)
	if u.d.LoadLanguage != nil {
		u.d.LoadLanguage(u.loc.Language().Tag)
	}
}

// setLanguage switches the whole interface to lang at once.
func (u *UI) setLanguage(lang string) {
	u.setPref(prefLang, lang)
	u.setLocalizer(lang)
	u.setTitle()
	u.applyTheme()
	if u.rebuild != nil {
		u.rebuild()
	}
}

// record applies events to the progress in memory at once, so the screen
// never waits for the disk, and queues them for the store. The safe
// profile remembers nothing: its events stay in memory.
func (u *UI) record(events ...learn.Event) {
	for i := range events {
		events[i].Clock = u.clock.Tick()
		u.progress.Apply(events[i])
	}
	if !u.sec.safeMode {
		u.rec.record(events...)
	}
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
		if u.d.FrameProbe != nil {
			u.body.Objects = append(u.body.Objects, u.probeRaster())
		}
		u.body.Refresh()
	}
	u.rebuild()
}

// probeRaster is a one-pixel, transparent raster: the painter calls its
// generator when it draws the screen it is in.
func (u *UI) probeRaster() fyne.CanvasObject {
	called := false
	r := canvas.NewRaster(func(w, h int) image.Image {
		if !called {
			called = true
			u.d.FrameProbe()
		}
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	r.Resize(fyne.NewSize(1, 1))
	return container.NewWithoutLayout(r)
}

// showNotice shows a calm message above the screen until dismissed.
func (u *UI) showNotice(text string) {
	msg := para(text)
	var banner *fyne.Container
	closeBtn := xwidget.NewButton("", iconClose(), func() {
		u.notice.Remove(banner)
	})
	banner = sides(nil, closeBtn, msg)
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

// do runs fn on the interface goroutine.
func (u *UI) do(fn func()) {
	if u.d.Do != nil {
		u.d.Do(fn)
		return
	}
	fyne.Do(fn)
}
