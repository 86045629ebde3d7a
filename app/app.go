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
	"github.com/waymark-app/waymark/internal/boottime"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/safety"
)

// Store is what the interface needs from the local store. The learner's
// record is sealed: it can be read and written only between Unlock (or
// Upgrade) and Lock. Settings are plain and can always be read.
type Store interface {
	// Prefs returns every setting of this device.
	Prefs(ctx context.Context) (map[string]string, error)
	// SetPrefs stores settings together, all or none; "" deletes one.
	SetPrefs(ctx context.Context, prefs map[string]string) error
	// Unlock gives the store the data key's sealer.
	Unlock(ctx context.Context, box learn.Sealer) error
	// Legacy reports whether the store holds a 0.1 record, which Upgrade
	// (not Unlock) opens.
	Legacy(ctx context.Context) (bool, error)
	// Upgrade seals a 0.1 record under box, opening 0.1's sealed notes
	// with openNote, and stores prefs in the same transaction.
	Upgrade(ctx context.Context, box learn.Sealer, openNote func(string) (string, error), prefs map[string]string) error
	// Lock forgets the sealer.
	Lock()
	// Rekey seals the whole record again under box and stores prefs (the
	// new lock and keyring), all or none, then compacts the file.
	Rekey(ctx context.Context, box learn.Sealer, prefs map[string]string) error
	// Record appends this device's events and updates the state derived
	// from them, atomically; it keeps each event's clock.
	Record(ctx context.Context, events ...learn.Event) ([]learn.Event, error)
	// Progress returns the derived state of the whole record.
	Progress(ctx context.Context) (*learn.Progress, error)
	// Clock is the store's clock, the one that stamps this device's events.
	Clock() *learn.Clock
	// Device returns this device's id and current epoch.
	Device() (device, epoch string)
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
	// Damaged, if not "", says the saved record could not be read at
	// start-up and was moved aside to that file; Store is then nil until
	// the learner chooses a fresh start (Fresh).
	Damaged string
	// Fresh moves the current database aside, if there is one (never
	// deleting it), and opens a new, empty one.
	Fresh func(context.Context) (Store, string, error)
	// Mono reads a clock no one can set, for the lock's waits
	// (boottime.Now if nil).
	Mono func() safety.Instant
	// Sync is sync (nil: the app has none, as in most tests).
	Sync Syncer
	// Follow follows a trainer's live session (nil: the app offers none).
	Follow Follow
	// Profiles are the learners of a shared laptop (nil: the laptop is
	// one learner's).
	Profiles Profiles
	// Hub is the trainer's laptop as a hub, for group sessions from
	// trainer mode (nil: the app runs none).
	Hub Hub
	// GroupClaim returns what the app tells the session with the given
	// room code about the learner's groups, for attendance
	// (group.JoinClaims; "" or nil: nothing).
	GroupClaim func(session string) string
	// LockParams is the Argon2id cost for the PIN (lockbox.DefaultParams
	// if zero; tests use a cheap one).
	LockParams lockbox.Params
	// LoadLanguage reads a language's lesson texts into Course, if they
	// have not been read: the app reads only the languages the learner
	// uses (nil: Course has them all).
	LoadLanguage func(tag string)
	// Window, if set, is the window the app shows in, made with NewWindow
	// (nil: New makes it). main makes it while the record is read.
	Window fyne.Window
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
	// Groups lets the learner share with trainers' groups (nil: no
	// groups, as in most tests).
	Groups GroupMember
	// Trainer is trainer mode (nil: none).
	Trainer Trainer
	// SaveFile keeps a report's file and returns where (nil: the user's
	// Documents folder).
	SaveFile func(name string, data []byte) (string, error)
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
	rec      *recorder
	device   string // this device's id, for the events it records

	notice  *fyne.Container // a calm banner above the screen
	body    *fyne.Container // the current screen
	rebuild func()          // builds the current screen again (language, text size)
	current func()          // shows the current main screen afresh (where a lesson returns to)

	clockNow func() time.Time // the wall clock (time.Now if nil)

	sec        security
	fullCourse *learn.Course // the real course, while the safe profile is open
	// shortPIN asks, after unlocking a 0.1 install, for a PIN long enough.
	shortPIN bool
	// fakeSafeProfile is the safe profile's own belief that a safe profile
	// is set: in memory only.
	fakeSafeProfile bool
	// erased is set once everything was deleted: nothing is written until
	// the app is started again.
	erased bool
	// follow is the group session the learner follows, if any; run is the
	// session the trainer runs, and proj its projector window.
	follow *followSession
	run    *runScreen
	proj   *projector
	// lastJoin is the address and code of the session joined last, in
	// memory only and forgotten with the record, so that joining again
	// after leaving is a tap.
	lastJoin struct{ address, code string }
	// syncScreen is the sync screen while it shows; showsProgress is set
	// while a screen that shows progress does (a sync rebuilds it).
	syncScreen    *syncScreen
	showsProgress bool
	// curtain hides the window's content while it is in the background.
	curtain fyne.CanvasObject
	root    fyne.CanvasObject
	stop    context.CancelFunc
	// trainerTagged: trainer mode has the course's skill tags.
	trainerTagged bool
}

// New builds the interface in a new window of a. It reads the settings and
// progress once; everything after that is kept in memory and written in
// the background.
func New(ctx context.Context, a fyne.App, d Deps) (*UI, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Mono == nil {
		d.Mono = boottime.Now
	}
	u := &UI{app: a, d: d, prefs: map[string]string{}, progress: learn.NewProgress(), clockNow: d.Now}
	u.sec.params = d.LockParams
	if u.sec.params == (lockbox.Params{}) {
		u.sec.params = lockbox.DefaultParams
	}
	if d.Store != nil {
		prefs, err := d.Store.Prefs(ctx)
		if err != nil {
			return nil, err
		}
		u.prefs = prefs
	}
	u.setLocalizer(u.language())
	u.applyTheme()
	if d.Sync != nil {
		d.Sync.SetHandlers(u.syncApplied, u.syncChanged)
	}
	u.rec = newRecorder(d.Store, d.Log, func(err error) {
		u.do(func() { u.showNotice(u.loc.T("error.save")) })
	})
	u.touch()

	u.win = d.Window
	if u.win == nil {
		u.win = NewWindow(a)
	}
	u.setTitle()
	u.notice = container.NewVBox()
	u.body = container.NewStack()
	u.root = container.NewBorder(u.notice, nil, nil, nil, u.body)
	u.win.SetContent(u.root)
	u.win.SetCloseIntercept(func() {
		u.Close()
		u.win.Close()
	})
	// A phone may stop an app in the background without warning: write
	// everything as soon as it leaves the screen, and lock.
	a.Lifecycle().SetOnExitedForeground(u.onBackground)
	a.Lifecycle().SetOnEnteredForeground(u.onForeground)
	if u.mobile() {
		// A phone stops the app without returning from its main loop. On
		// a computer, closing the window and the quick exit close the UI
		// themselves, and main closes it when the loop returns: there,
		// Fyne 2.8.1 can lose a stop event queued as its loop drains and
		// then wait for it for ever, leaving a process with no window
		// (found with a goroutine dump of a hung benchmark run).
		a.Lifecycle().SetOnStopped(u.Close)
	}
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
	case d.Store == nil:
		u.showDamaged(d.Damaged)
	case u.shared() && d.Profiles.Current() == "":
		u.showChooser("")
	default:
		u.start(ctx)
	}
	return u, nil
}

// start shows the first screen: the lock screen when a secret is set;
// otherwise it opens the record (a new one on a new install) and shows
// the home screen, or the welcome on a first run.
func (u *UI) start(ctx context.Context) {
	u.device, _ = u.d.Store.Device()
	u.loadSecurity()
	if u.hasPIN() {
		u.sec.locked = true
		u.showLock()
		return
	}
	p, ring, err := u.openWithoutSecret(ctx)
	if err != nil {
		u.d.Log.Error("the record could not be opened", "err", err)
		u.recordUnreadable(err)
		return
	}
	u.progress, u.sec.ring, u.sec.open = p, ring, true
	u.startSync()
	switch {
	case u.d.Open != "":
		u.showHome()
		u.Open(u.d.Open)
	case u.prefs[prefWelcomed] != "":
		u.showHome()
	default:
		u.showWelcome()
	}
}

// NewWindow makes the app's window, with the app's icon: the first window
// starts Fyne's graphics.
func NewWindow(a fyne.App) fyne.Window {
	// Every window takes the app's icon as it is made.
	a.SetIcon(windowIcon())
	return a.NewWindow("")
}

// Window returns the interface's window.
func (u *UI) Window() fyne.Window { return u.win }

// Close writes everything still queued and stops the background work.
func (u *UI) Close() {
	if u.stop != nil {
		u.stop()
	}
	u.leaveFollow()
	u.stopHub()
	u.stopSync()
	u.rec.Close()
}

// Busy reports whether a PIN or passphrase is being checked, or a write
// is queued: a test or a benchmark waits for it before looking.
func (u *UI) Busy() bool { return u.sec.checking || !u.rec.Flush(0) }

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
	u.applyPrefs(prefs)
	if !u.sec.safeMode && !u.erased {
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
// never waits for the disk, and queues them for the store. Each event is
// stamped with the store's clock and this device's id first, so that the
// state in memory is exactly the state the store derives from the same
// events. The safe profile remembers nothing: its events stay in memory.
func (u *UI) record(events ...learn.Event) {
	var clock *learn.Clock
	if u.d.Store != nil {
		clock = u.d.Store.Clock()
	}
	for i := range events {
		if err := events[i].Validate(); err != nil {
			u.d.Log.Error("an event was not recorded", "err", err)
			return
		}
		if clock != nil {
			events[i].Clock = clock.Tick()
		} else {
			events[i].Clock = learn.NewHLC(u.now().UnixMilli(), uint16(i))
		}
		events[i].ID.Device = u.device
		u.progress.Apply(events[i])
	}
	if !u.sec.safeMode && !u.erased && u.sec.open {
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
	u.syncScreen, u.showsProgress = nil, false
	another := len(u.body.Objects) > 0
	u.rebuild = func() {
		left := u.body.Objects
		u.body.Objects = []fyne.CanvasObject{build()}
		if u.d.FrameProbe != nil {
			u.body.Objects = append(u.body.Objects, u.probeRaster())
		}
		u.body.Refresh()
		freeTextures(left)
	}
	u.rebuild()
	if another {
		u.freeTextTextures()
	}
}

// freeTextures frees the textures of objects that have left the screen
// (pictures among them: they are rasters, see xwidget.Picture) now
// rather than a minute later, when Fyne would: refreshing an object that
// is no longer shown frees them. A learner moving on quickly would
// otherwise hold every step's pictures.
func freeTextures(left []fyne.CanvasObject) {
	for _, o := range left {
		canvas.Refresh(o)
	}
}

// freeTextTextures frees the window's text textures when a new screen is
// shown. Fyne keeps a text's texture for a minute after it was last drawn,
// under its text, whatever shows it (after 20 lessons opened in a row at
// phone size, 8 MB of them); setting the window's content again frees
// them all, and the new screen's texts are drawn afresh, a few
// milliseconds. Not when a screen is rebuilt in place (a follower's count,
// a sync's progress): its texts are mostly the same, and drawing them all
// again on every change would be work for nothing. On a phone Fyne frees
// text textures only as they expire.
func (u *UI) freeTextTextures() {
	if u.win.Content() == u.root {
		u.win.SetContent(u.root)
	}
}

// rebuildInPlace builds the screen again where it is scrolled to: after
// a choice made on a long screen (Settings), the person does not lose
// their place.
func (u *UI) rebuildInPlace() {
	if u.rebuild == nil {
		return
	}
	var at fyne.Position
	if len(u.body.Objects) > 0 {
		if s := firstScroll(u.body.Objects[0]); s != nil {
			at = s.Offset
		}
	}
	u.rebuild()
	if at.Y > 0 && len(u.body.Objects) > 0 {
		if s := firstScroll(u.body.Objects[0]); s != nil {
			at.Y = min(at.Y, max(s.Content.MinSize().Height-s.Size().Height, 0))
			s.ScrollToOffset(at)
		}
	}
}

// firstScroll finds the scroll container of a screen: the first one met
// going through its containers, or nil.
func firstScroll(o fyne.CanvasObject) *container.Scroll {
	switch o := o.(type) {
	case *container.Scroll:
		return o
	case *fyne.Container:
		for _, c := range o.Objects {
			if s := firstScroll(c); s != nil {
				return s
			}
		}
	}
	return nil
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
// has none, with facts written out in plain text (see facts.go).
func (u *UI) text(l *learn.Lesson, key string) string {
	return u.expandFacts(l.Text.Get(u.loc.Language().Tag, key))
}

// markdown returns a lesson text as Markdown, with facts as links a phone
// can call, text or open.
func (u *UI) markdown(l *learn.Lesson, key string) string {
	return learn.ExpandFacts(l.Text.Get(u.loc.Language().Tag, key), u.d.Course.Facts, factMarkdown)
}

// Open opens "lesson" or "lesson/step" straight away, so an author can
// look at the step they are writing. It reports whether there was such a
// lesson.
func (u *UI) Open(target string) bool {
	id, step, _ := strings.Cut(target, "/")
	l := u.d.Course.Lesson(id)
	if l == nil {
		u.d.Log.Warn("no such lesson to open") // which, the author's terminal shows: they typed it
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
