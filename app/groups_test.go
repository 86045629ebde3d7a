package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"golang.org/x/net/html"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/safety"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/locales"
)

// laptop is the size trainer mode is made for first.
var laptop = fyne.NewSize(1280, 800)

// cheapCodes makes join codes cheap to derive in these tests (both sides
// derive); the real cost is group.CodeParams.
func cheapCodes(t *testing.T) {
	old := group.CodeParams
	group.CodeParams.Time, group.CodeParams.Memory = 1, 64
	t.Cleanup(func() { group.CodeParams = old })
}

// newTrainer is a trainer's profile on a file of its own, as main.go
// makes it, with the course's tags.
func newTrainer(t *testing.T, course *learn.Course) *syncclient.Trainer {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trainer.db")
	var mu sync.Mutex
	tr := &syncclient.Trainer{
		Params: lockbox.Params{Time: 1, Memory: 64, Threads: 1},
		Tags:   report.TagsOf(course),
		Mono:   func() safety.Instant { return safety.Instant{Boot: "b", Mono: time.Hour} },
		Exists: func() bool { _, err := os.Stat(path); return err == nil },
		Open: func(ctx context.Context, create bool) (syncclient.TrainerStore, error) {
			mu.Lock()
			defer mu.Unlock()
			if _, err := os.Stat(path); err != nil && !create {
				return nil, learn.ErrNotFound
			}
			return sqlite.Open(ctx, path, sqlite.Options{})
		},
	}
	t.Cleanup(tr.CloseProfile)
	return tr
}

// basicCourse is the harness's course.
func basicCourse(t *testing.T) *learn.Course {
	t.Helper()
	c, ps := lessonfile.Load(os.DirFS("testdata/basic"))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	return c
}

// groupOf makes a trainer with a group on srv and returns it with a join
// code.
func groupOf(t *testing.T, url string, course *learn.Course, name string) (*syncclient.Trainer, string, group.Code) {
	t.Helper()
	ctx := context.Background()
	tr := newTrainer(t, course)
	if err := tr.CreateProfile(ctx, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if err := tr.Connect(ctx, url, "", ""); err != nil {
		t.Fatal(err)
	}
	g, err := tr.CreateGroup(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := tr.NewJoinCode(ctx, g.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return tr, g.ID, c
}

// turnSyncOn sets sync up from Settings, as TestSyncFromSettings does.
func (h *harness) turnSyncOn(url string) {
	h.t.Helper()
	h.tap("Settings")
	h.tap("Sync across your devices")
	h.tap("Set up sync on this device")
	h.entries()[0].SetText(url)
	h.tap("Turn sync on")
	h.waitUntil("Everything is sent.", 10*time.Second)
	h.tap("Back")
}

// TestJoinAGroupWithConsent: a learner joins a trainer's group from
// Settings: the code, then, before anything is shared, every item the
// trainer will see and what they never see; a nickname; then the
// trainer sees that learner under that nickname and nothing else. "Not
// now" shares nothing. Leaving deletes the share, and the trainer's next
// refresh drops it.
func TestJoinAGroupWithConsent(t *testing.T) {
	cheapCodes(t)
	srv := syncServer(t)
	ctx := context.Background()
	tr, gid, code := groupOf(t, srv.URL, basicCourse(t), "Tuesday group")
	h := newHarness(t)
	h.sync = &syncclient.Service{Label: "phone", Backoff: time.Hour}
	h.start()
	h.firstRun()
	h.turnSyncOn(srv.URL)
	h.tap("Share with a trainer's group")
	h.mustShow("A trainer sees your progress only if you join their group.")
	h.waitUntil("You are not in a group.", 5*time.Second)
	h.tap("Join a group")
	h.mustShow("Nothing is shared yet.")
	h.entries()[0].SetText("ABCD-EFGH-JKMN-PQRS")
	h.tap("Next")
	h.waitUntil("This code does not work.", 5*time.Second)
	h.entries()[0].SetText(strings.ToLower(code.Code))
	h.tap("Next")
	h.waitUntil("Before you join", 5*time.Second)
	h.mustShow("Tuesday group")
	for _, want := range []string{
		"A nickname you choose for this group. Do not use your real name.",
		"The lessons you finished and the lessons you started, and the day of each.",
		"The questions you got wrong more than once. Not your answers.",
		"The steps of your journey that you chose to share, and the day you ticked each one.",
		"The last day you used Waymark.",
		"They never see your notes, your answers, your real name, or anything else.",
		"You can leave at any time. Leaving deletes what you shared.",
	} {
		h.mustShow(want)
	}
	h.touchTargets("consent")
	// Not now: nothing shared, not a member.
	h.tap("Not now")
	if err := tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(tr.Members(gid)); n != 0 {
		t.Fatalf("%d members after Not now", n)
	}
	h.tap("Join a group")
	h.entries()[0].SetText(code.Code)
	h.tap("Next")
	h.waitUntil("Before you join", 5*time.Second)
	h.tap("Join and share")
	h.mustShow("Please choose a nickname first")
	h.entries()[0].SetText("  Sunflower ")
	h.tap("Join and share")
	h.waitUntil("You joined Tuesday group.", 5*time.Second)
	h.waitUntil(`In this group you are "Sunflower".`, 5*time.Second)
	if err := tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	ms := tr.Members(gid)
	if len(ms) != 1 || ms[0].Share.Nickname != "Sunflower" {
		t.Fatalf("the trainer sees %+v", ms)
	}

	h.tap("Leave this group")
	h.mustShow("Leave Tuesday group? The trainer will not see your progress any more, and what you shared is deleted.")
	h.tap("Leave")
	h.waitUntil("You left the group. What you shared is deleted.", 5*time.Second)
	h.waitUntil("You are not in a group.", 5*time.Second)
	if err := tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(tr.Members(gid)); n != 0 {
		t.Errorf("the trainer still has %d members after the learner left", n)
	}
}

// TestGroupsNeedSync: with sync off, the groups screen says to turn it on
// first, and offers nothing else.
func TestGroupsNeedSync(t *testing.T) {
	h := newHarness(t)
	h.sync = &syncclient.Service{Label: "phone"}
	h.start()
	h.firstRun()
	h.tap("Settings")
	h.tap("Share with a trainer's group")
	h.mustShow("To join a group, turn sync on first.")
	h.mustNotShow("Join a group")
	h.tap("Set up sync")
	h.mustShow("Who can read it: only your own devices.")
}

// TestConsentInEveryLanguage: every line of the consent screen is
// translated in each of the eight languages (a draft), never English
// standing in.
func TestConsentInEveryLanguage(t *testing.T) {
	cat, ps := l10n.Load(locales.FS)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	keys := []string{"group.consent_title", "group.consent_intro", "group.consent_never", "group.consent_locked",
		"group.consent_leave", "group.nickname", "group.agree", "group.not_now", "group.code_hint", "group.leave_confirm"}
	for _, item := range group.ConsentItems {
		keys = append(keys, "group.consent_"+string(item))
	}
	en := cat.Localizer("en")
	if len(cat.Languages) != 8 {
		t.Fatalf("%d languages", len(cat.Languages))
	}
	for _, lang := range cat.Languages {
		if lang.Tag == "en" {
			continue
		}
		loc := cat.Localizer(lang.Tag)
		for _, k := range keys {
			if !loc.Has(k, -1) || loc.T(k, map[string]any{"Group": "G"}) == en.T(k, map[string]any{"Group": "G"}) {
				t.Errorf("%s: %s is not translated", lang.Tag, k)
			}
		}
	}
}

// TestTrainerModeHiddenWhileDiscreet: Settings offers trainer mode only
// once the window's title is not discreet.
func TestTrainerModeHiddenWhileDiscreet(t *testing.T) {
	h := newHarness(t)
	h.trainer = newTrainer(t, basicCourse(t))
	h.start()
	h.firstRun()
	h.tap("Settings")
	h.mustNotShow("Trainer mode")
	h.tap("Discreet window title")
	h.mustShow("Trainer mode")
	h.tap("Discreet window title")
	h.mustNotShow("Trainer mode")
}

// learnerJoins is a learner's device, with the app's own store and sync,
// that did lessons and joined a group.
func learnerJoins(t *testing.T, url, code, nick string, record func(db *sqlite.DB)) *syncclient.Service {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "l.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Unlock(ctx, lockbox.NewBox(lockbox.NewKey()))
	svc := &syncclient.Service{Store: db, Clock: db.Clock(), Label: "phone", Backoff: time.Hour}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(); db.Close() })
	record(db)
	if err := svc.Join(ctx, url, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := svc.JoinGroup(ctx, code, nick); err != nil {
		t.Fatal(err)
	}
	return svc
}

func answers(lesson, step string, wrong int, right bool) []learn.Event {
	var out []learn.Event
	for range wrong {
		out = append(out, learn.Event{Kind: learn.EventAnswered, Lesson: lesson, Step: step, Answer: []string{"x"}})
	}
	if right {
		out = append(out, learn.Event{Kind: learn.EventAnswered, Lesson: lesson, Step: step, Correct: true, Answer: []string{"y"}})
	}
	return out
}

// TestTrainerDashboardAndReport runs trainer mode at laptop size: a
// profile behind a passphrase, the server, a group and a join code shown
// as text; learners join; the dashboard shows them by nickname with who
// may need help and why, in words, sorts and filters; the report's screen,
// CSV and printable page agree cell for cell.
func TestTrainerDashboardAndReport(t *testing.T) {
	cheapCodes(t)
	srv := syncServer(t)
	h := newHarness(t)
	h.trainer = newTrainer(t, basicCourse(t))
	h.start()
	h.ui.Window().Resize(laptop)
	h.firstRun()
	h.tap("Settings")
	h.tap("Discreet window title")
	h.tap("Trainer mode")
	h.mustShow("Trainer mode is for trainers who run groups.")
	ps := h.entries()
	ps[0].SetText("short")
	ps[1].SetText("short")
	h.tap("Make the trainer profile")
	h.mustShow("Please use 10 letters or more.") // safety's words for a weak passphrase
	ps = h.entries()
	ps[0].SetText("correct horse battery staple")
	ps[1].SetText("correct horse battery staple")
	h.tap("Make the trainer profile")
	h.waitUntil("Connect to your organisation's server", 5*time.Second)
	h.entries()[0].SetText(srv.URL)
	h.tap("Connect")
	h.waitUntil("Connected.", 5*time.Second)
	h.entries()[0].SetText("Tuesday group")
	h.tap("Make the group")
	h.waitUntil("Members: 0 · not updated yet", 5*time.Second)
	h.tap("Tuesday group")
	h.tap("Make a join code (a week)")
	h.waitUntil("Show this code to the room.", 5*time.Second)
	var code string
	for _, s := range h.texts() {
		if regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(s) {
			code = s
		}
	}
	if code == "" {
		t.Fatalf("no join code shown: %q", h.texts())
	}

	now := time.Now()
	old := learn.NewHLC(now.AddDate(0, 0, -20).UnixMilli(), 0)
	learnerJoins(t, srv.URL, code, "Amber", func(db *sqlite.DB) {
		evs := answers("scam-messages", "bank-call", 3, false)
		db.Record(context.Background(), evs...)
		db.Record(context.Background(), learn.Event{Kind: learn.EventStepShown, Lesson: "register-gp", Step: "what-is-gp", Clock: old})
	})
	learnerJoins(t, srv.URL, code, "Birch", func(db *sqlite.DB) {
		db.Record(context.Background(), answers("passcodes", "hardest-pin", 0, true)...)
		db.Record(context.Background(), learn.Event{Kind: learn.EventLessonDone, Lesson: "passcodes"})
	})
	h.tap("Back")
	h.tap("Update from the server")
	h.waitUntil("Updated.", 10*time.Second)
	h.tap("Tuesday group")
	h.tap("Dashboard")
	h.mustShow("Learners: 2 (1 may need help)")
	h.mustShow(`Got "A call about your bank" in Spot scam messages wrong 3 times, and not right yet.`)
	h.mustShow("Started Register with a GP and has not come back to it for 20 days.")
	h.mustShow("Amber")
	h.mustShow("Birch")
	// Sorted by who may need help first; by nickname when asked.
	order := func() string {
		var names []string
		for _, s := range h.texts() {
			if s == "Amber" || s == "Birch" {
				names = append(names, s)
			}
		}
		return strings.Join(names, ",")
	}
	if got := order(); got != "Amber,Birch" {
		t.Errorf("by need of help: %s", got)
	}
	h.tap("Done")
	if got := order(); got != "Birch,Amber" {
		t.Errorf("by lessons done: %s", got)
	}
	h.tap("Only those who may need help")
	h.mustNotShow("Birch")
	h.mustShow("Amber")
	h.fitsLaptop("dashboard")

	h.tap("Back")
	h.tap("Report")
	h.mustShow("Anonymised (for funders)")
	h.tap("Save as CSV")
	h.tap("Save the printable page")
	var csvData, htmlData []byte
	for name, data := range h.saved {
		switch filepath.Ext(name) {
		case ".csv":
			csvData = data
		case ".html":
			htmlData = data
		}
	}
	if csvData == nil || htmlData == nil {
		t.Fatalf("saved: %v", slices.Collect(func(yield func(string) bool) {
			for k := range h.saved {
				yield(k)
			}
		}))
	}
	reportAgrees(t, h.texts(), csvData, htmlData)
	if bytes.Contains(csvData, []byte("Amber")) || bytes.Contains(htmlData, []byte("Amber")) {
		t.Error("the anonymised report names a learner")
	}
	// Not anonymised, for the trainer's eyes: nicknames, exact counts, a
	// warning, and still the same cells everywhere.
	h.tap("Anonymised (for funders)")
	h.mustShow("Not anonymised")
	h.mustShow("Birch")
	h.tap("Save as CSV")
	h.tap("Save the printable page")
	for name, data := range h.saved {
		switch filepath.Ext(name) {
		case ".csv":
			csvData = data
		case ".html":
			htmlData = data
		}
	}
	reportAgrees(t, h.texts(), csvData, htmlData)
	if !bytes.Contains(csvData, []byte("Birch")) {
		t.Error("the named report does not name learners")
	}
}

// fitsLaptop fails the test if a button or tile is smaller than a finger,
// or the screen needs more than a laptop's width.
func (h *harness) fitsLaptop(screen string) {
	h.t.Helper()
	c := h.ui.Window().Canvas()
	c.Content().Refresh()
	walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		switch o.(type) {
		case *xwidget.Button, *xwidget.Tile:
			if sz := o.Size(); sz.Height < xwidget.MinTouch || sz.Width < xwidget.MinTouch {
				h.t.Errorf("%s: %q is %v, smaller than %v", screen, textOf(o), sz, xwidget.MinTouch)
			}
		}
	})
	if w := c.Content().MinSize().Width; w > laptop.Width {
		h.t.Errorf("%s: needs %v wide, wider than a laptop", screen, w)
	}
}

// reportAgrees checks that the report's screen, CSV and HTML show the same
// cells in the same order: every table's title and header, then each
// row's cells (an empty cell shows nothing on screen).
func reportAgrees(t *testing.T, screen []string, csvData, htmlData []byte) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil || len(rows) < 30 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	// The CSV as the screen lays it out: a table's title and header when
	// the section changes, then the cells.
	var fromCSV []string
	section := ""
	for _, r := range rows[1:] {
		if r[0] != section {
			section = r[0]
			fromCSV = append(fromCSV, section, "Measure", "Detail", "Count")
		}
		for _, c := range r[1:] {
			if c != "" {
				fromCSV = append(fromCSV, c)
			}
		}
	}
	var fromHTML []string
	doc, err := html.Parse(bytes.NewReader(htmlData))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "caption" || n.Data == "th" || n.Data == "td") {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			if s := b.String(); s != "" {
				fromHTML = append(fromHTML, s)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	start := slices.Index(screen, fromCSV[0])
	if start < 0 || start+len(fromCSV) > len(screen) {
		t.Fatalf("the screen does not show the report's first table %q", fromCSV[0])
	}
	fromScreen := screen[start : start+len(fromCSV)]
	if fmt.Sprint(fromScreen) != fmt.Sprint(fromCSV) {
		t.Errorf("screen and CSV differ:\nscreen %q\n   csv %q", fromScreen, fromCSV)
	}
	if fmt.Sprint(fromHTML) != fmt.Sprint(fromCSV) {
		t.Errorf("HTML and CSV differ:\nhtml %q\n csv %q", fromHTML, fromCSV)
	}
}

// TestTrainerModeClosesOnQuickExit: the quick exit closes trainer mode (its
// keys and the learners' shares leave memory), and coming back asks for
// the passphrase again.
func TestTrainerModeClosesOnQuickExit(t *testing.T) {
	h := newHarness(t)
	h.trainer = newTrainer(t, basicCourse(t))
	h.start()
	h.ui.Window().Resize(laptop)
	h.firstRun()
	h.tap("Settings")
	h.tap("Discreet window title")
	h.tap("Trainer mode")
	ps := h.entries()
	ps[0].SetText("correct horse battery staple")
	ps[1].SetText("correct horse battery staple")
	h.tap("Make the trainer profile")
	h.waitUntil("Connect to your organisation's server", 5*time.Second)
	if !h.trainer.IsOpen() {
		t.Fatal("the profile is not open")
	}
	h.tap("Exit")
	if h.trainer.IsOpen() {
		t.Fatal("the quick exit left trainer mode open")
	}
	h.mustNotShow("Connect to your organisation's server")
}

// TestTrainerChangesPassphrase: from trainer mode's home, the trainer
// changes the passphrase: a wrong current one is refused, the new one must
// be typed the same twice; then only the new one opens trainer mode.
func TestTrainerChangesPassphrase(t *testing.T) {
	h := newHarness(t)
	h.trainer = newTrainer(t, basicCourse(t))
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1", "discreet": "0"})
	h.start()
	h.ui.Window().Resize(laptop)
	h.tap("Settings")
	h.tap("Trainer mode")
	h.typeInto(0, "correct horse battery staple")
	h.typeInto(1, "correct horse battery staple")
	h.tap("Make the trainer profile")
	h.waitUntil("Connect to your organisation's server", 5*time.Second)
	h.tap("Change the passphrase")
	h.mustShow("If someone may have seen your passphrase, change it.")
	h.typeInto(0, "not the passphrase at all")
	h.typeInto(1, "lantern harbour forty two")
	h.typeInto(2, "lantern harbour forty two")
	h.tap("Change the passphrase")
	h.waitUntil("That is not the passphrase.", 5*time.Second)
	h.typeInto(0, "correct horse battery staple")
	h.typeInto(2, "lantern harbour forty three")
	h.tap("Change the passphrase")
	h.mustShow("The two did not match.")
	h.typeInto(2, "lantern harbour forty two")
	h.tap("Change the passphrase")
	h.waitUntil("The passphrase is changed.", 5*time.Second)
	h.fitsLaptop("trainer home")

	h.tap("Close trainer mode")
	h.tap("Trainer mode")
	h.typeInto(0, "correct horse battery staple")
	h.tap("Open trainer mode")
	h.waitUntil("That is not the passphrase.", 5*time.Second)
	h.typeInto(0, "lantern harbour forty two")
	h.tap("Open trainer mode")
	h.waitUntil("Connect to your organisation's server", 5*time.Second)
}
