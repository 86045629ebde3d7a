package app_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/hub"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/roomserver"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/locales"
)

// follow is the app's Follow, as main.go wires it.
type follow struct{ sy *syncclient.Service }

func (f follow) Follow(ctx context.Context, address, code, claim string) (app.Following, room.View, error) {
	fl, v, err := f.sy.Follow(ctx, address, code, claim)
	if err != nil {
		return nil, v, err
	}
	return fl, v, nil
}

func (follow) Problem(err error) string { return syncclient.FollowProblem(err) }

// basicLesson loads a lesson of testdata/basic as the hub does: a copy of
// its own with every language.
func basicLesson(t *testing.T, id string) (*learn.Lesson, map[string]learn.Fact) {
	t.Helper()
	fsys := os.DirFS("testdata/basic")
	course, _ := lessonfile.Load(fsys)
	l, ps := lessonfile.LoadLesson(fsys, id, course.Facts)
	if l == nil {
		t.Fatalf("%s: %v", id, ps)
	}
	return l, course.Facts
}

// hubService is the hub as main.go wires it, on loopback.
func hubService(t *testing.T) *hub.Service {
	t.Helper()
	cat, _ := l10n.Load(locales.FS)
	fsys := os.DirFS("testdata/basic")
	course, _ := lessonfile.Load(fsys)
	s := &hub.Service{Dir: filepath.Join(t.TempDir(), "hub"), Facts: course.Facts, Catalog: cat, Log: slog.New(slog.DiscardHandler),
		AppAddr: "127.0.0.1:0", PageAddr: "127.0.0.1:0",
		OpenStore: func(ctx context.Context, p string) (hub.Store, error) { return sqlite.OpenRelay(ctx, p) },
		Lesson: func(id string) (*learn.Lesson, error) {
			l, _ := lessonfile.LoadLesson(fsys, id, course.Facts)
			return l, nil
		}}
	t.Cleanup(s.Stop)
	return s
}

// windowTexts returns every text a window other than the app's shows.
func (h *harness) windowTexts(title string) []string {
	h.t.Helper()
	for _, w := range h.a.Driver().AllWindows() {
		if w.Title() != title || w == h.ui.Window() {
			continue
		}
		var out []string
		walk(w.Content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
			if s := textOf(o); s != "" {
				out = append(out, s)
			}
		})
		return out
	}
	h.t.Fatalf("no window titled %q", title)
	return nil
}

// typeInto types text into the n-th entry on screen.
func (h *harness) typeInto(n int, text string) {
	h.t.Helper()
	es := h.entries()
	if len(es) <= n {
		h.t.Fatalf("%d entries on screen, want entry %d", len(es), n)
	}
	es[n].SetText(text)
}

// TestTrainerRunsASession: a trainer opens trainer mode (its passphrase
// is what opens the hub), opens the hub with no server and no group,
// starts a lesson and moves three followers through it; the projector
// window shows the step in large text and, once revealed, the counts of
// the answers, never a name; the trainer ends the session. Closing
// trainer mode closes the hub; only the passphrase opens it again.
func TestTrainerRunsASession(t *testing.T) {
	h := newHarness(t)
	svc := hubService(t)
	h.hub = svc
	h.trainer = newTrainer(t, basicCourse(t))
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1", "discreet": "0"})
	h.start()
	h.ui.Window().Resize(laptop)
	h.tap("Settings")
	h.tap("Trainer mode")
	h.typeInto(0, "lantern harbour 42")
	h.typeInto(1, "lantern harbour 42")
	h.tap("Make the trainer profile")
	h.waitFor("Connect to your organisation's server")
	h.tap("Run a group session")
	h.waitFor("This laptop is the hub.")
	h.mustShow("This laptop's address: 127.0.0.1")
	h.tap("Lock your phone")
	h.waitFor("Step 1 of 8")
	reach := svc.Reach()
	if reach.AppCode == "" {
		t.Fatal("no session code")
	}
	h.mustShow(reach.AppCode)
	if got := strings.Join(h.windowTexts("Group session"), "\n"); !strings.Contains(got, "Why lock your phone?") || !strings.Contains(got, reach.RoomCode) {
		t.Errorf("the projector shows:\n%s", got)
	}

	// Three learners follow from their apps; one of them claims a name.
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort))
	var fs []*syncclient.Follower
	for i := range 3 {
		f, _, err := syncclient.Follow(context.Background(), syncclient.FollowConfig{Address: addr, Code: reach.AppCode, Claim: "Amira-" + strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	h.tap("Next")
	h.tap("Next")
	h.waitFor("Step 3 of 8")
	h.mustShow("Right answer: 730591")
	for i, f := range fs {
		ans := []string{"random", "run", "random"}[i]
		if _, err := f.Answer(context.Background(), "hardest-pin", []string{ans}); err != nil {
			t.Fatal(err)
		}
	}
	h.waitFor("Following: 3. Answered: 3.")
	proj := strings.Join(h.windowTexts("Group session"), "\n")
	if !strings.Contains(proj, "3 people have answered.") || strings.Contains(proj, "✓") {
		t.Errorf("before the reveal the projector shows:\n%s", proj)
	}
	h.tap("Show the answers on the projector")
	h.waitFor("✓ 730591")
	proj = strings.Join(h.windowTexts("Group session"), "\n")
	for _, want := range []string{"✓ 730591", "123456", "111111"} {
		if !strings.Contains(proj, want) {
			t.Errorf("the projector does not show %q:\n%s", want, proj)
		}
	}
	counts := map[string]bool{}
	for _, s := range h.windowTexts("Group session") {
		if _, err := strconv.Atoi(s); err == nil {
			counts[s] = true
		}
	}
	if !counts["2"] || !counts["1"] || !counts["0"] {
		t.Errorf("the projector's counts: %v, want 2, 1 and 0", counts)
	}
	if strings.Contains(proj, "Amira") {
		t.Error("the projector shows a name")
	}
	h.tap("Pause")
	h.waitFor("Paused: everyone sees a pause screen.")
	if proj := strings.Join(h.windowTexts("Group session"), "\n"); !strings.Contains(proj, "Paused. Take a moment.") {
		t.Errorf("paused, the projector shows:\n%s", proj)
	}
	h.tap("Go on")
	h.tap("End session")
	h.tap("End session")
	h.waitFor("The session has ended")
	h.mustShow("People who followed: 3")
	h.mustShow("No attendance was recorded")
	if proj := strings.Join(h.windowTexts("Group session"), "\n"); !strings.Contains(proj, "Thank you, everyone.") {
		t.Errorf("ended, the projector shows:\n%s", proj)
	}
	h.tap("Back to group sessions")
	h.waitFor("Start a session")

	// Closing trainer mode stops the hub; the passphrase opens both again.
	h.tap("Back")
	h.waitFor("Trainer mode")
	h.tap("Close trainer mode")
	if svc.Reach().AppPort != 0 {
		t.Error("the hub still runs after trainer mode closed")
	}
	h.tap("Trainer mode")
	h.typeInto(0, "lantern harbour 43")
	h.tap("Open trainer mode")
	h.waitFor("That is not the passphrase.")
	h.typeInto(0, "lantern harbour 42")
	h.tap("Open trainer mode")
	h.waitFor("Connect to your organisation's server")
	h.tap("Run a group session")
	h.waitFor("This laptop is the hub.")

	// Delete everything says trainer mode's profile goes with it.
	h.tap("Back")
	h.tap("Close trainer mode")
	h.tap("Delete everything")
	h.mustShow("Trainer mode's profile on this laptop goes too")
	h.tap("No, go back")
	h.mustShow("Trainer mode")
}

// TestLearnerFollowsASession: a learner joins the trainer's session from
// the app's home screen, is moved from step to step by the trainer,
// answers (counted in the room, and kept in their own record), sees the
// pause, goes at their own pace and back, and is told calmly when the
// session ends.
func TestLearnerFollowsASession(t *testing.T) {
	lesson, facts := basicLesson(t, "passcodes")
	hb := openHub(t, facts)
	r, err := hb.Begin(context.Background(), lesson)
	if err != nil {
		t.Fatal(err)
	}
	reach := hb.Reach()
	h := newHarness(t)
	h.follow = follow{&syncclient.Service{}}
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1"})
	h.start()
	h.tap("Join a group session")
	h.typeInto(0, net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort)))
	h.typeInto(1, "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
	h.tap("Join")
	h.waitFor("This is not your trainer's laptop.")
	h.typeInto(1, strings.ToLower(reach.AppCode))
	h.tap("Join")
	h.waitFor("Why lock your phone?")
	h.mustShow("You are following the trainer.")
	if h.button("Next") != nil {
		t.Error("a follower has its own Next button")
	}
	r.Next()
	r.Next()
	h.waitFor("Which PIN is hardest for someone else to guess?")
	h.tap("730591")
	h.waitFor("Yes. These numbers have no pattern")
	waitRoom(t, func() bool { return r.Projection().Answered == 1 })
	r.Reveal()
	if p := r.Projection(); p.Counts[3].N != 1 {
		t.Errorf("the room counts %+v", p.Counts)
	}
	r.Pause()
	h.waitFor("The session is paused. Take a moment.")
	h.mustNotShow("Which PIN is hardest")
	r.Resume()
	h.waitFor("Which PIN is hardest")
	h.tap("Go at my own pace")
	h.mustShow("You are going at your own pace.")
	h.tap("Next")
	h.waitFor("Make a good PIN")
	r.Next()
	r.Next() // the trainer is on Sharing your code; the learner stays
	h.drain()
	h.mustShow("Make a good PIN")
	h.tap("Follow the trainer")
	h.waitFor("Sharing your code")
	r.End()
	h.waitFor("The session has ended. Thank you for taking part.")
	// The learner's own record kept their answers and where they were.
	var answered bool
	for _, e := range h.eventsFromDisk(t) {
		if e.Kind == learn.EventAnswered && e.Step == "hardest-pin" && slices.Equal(e.Answer, []string{"random"}) {
			answered = true
		}
	}
	if !answered {
		t.Error("the answer given in the session is not in the learner's record")
	}
	h.tap("Home")
	h.mustShow("Join a group session")
}

// openHub opens a hub on loopback, as the hub tests do.
func openHub(t *testing.T, facts map[string]learn.Fact) *hub.Hub {
	t.Helper()
	return openHubWith(t, facts, nil)
}

// openHubWith is openHub with a roster for attendance.
func openHubWith(t *testing.T, facts map[string]learn.Fact, roster room.Roster) *hub.Hub {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.OpenRelay(context.Background(), filepath.Join(dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := l10n.Load(locales.FS)
	words, langs := roomserver.FromCatalog(cat)
	h, err := hub.Open(hub.Options{Store: store, Dir: dir, AppAddr: "127.0.0.1:0", PageAddr: "127.0.0.1:0",
		Facts: facts, Words: words, Languages: langs, Roster: roster, JoinRate: -1, RequestRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Listen(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func waitRoom(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		sleep()
	}
	t.Fatal("the room never got there")
}

func sleep() { time.Sleep(10 * time.Millisecond) }

// TestSessionRecordsAttendance: a trainer with a group runs sessions from
// trainer mode; a member of the group follows from the app (twice, from
// two devices), and so do a member of another trainer's group and a
// learner in no group. Ending the session records one attendance, the
// member's; a session the quick exit ends records its attendance too, and
// the report counts both.
func TestSessionRecordsAttendance(t *testing.T) {
	cheapCodes(t)
	h := newHarness(t)
	srv := syncServer(t)
	ctx := context.Background()
	course := basicCourse(t)
	tr, gid, code := groupOf(t, srv.URL, course, "Tuesday group")
	amber := learnerJoins(t, srv.URL, code.Code, "Amber", func(*sqlite.DB) {})
	_, _, otherCode := groupOf(t, srv.URL, course, "Another trainer's group")
	stranger := learnerJoins(t, srv.URL, otherCode.Code, "Stranger", func(*sqlite.DB) {})
	if err := tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	svc := hubService(t)
	svc.Roster = tr.Roster()
	h.hub, h.trainer = svc, tr
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1", "discreet": "0"})
	h.now = time.Now()
	h.start()
	h.ui.Window().Resize(laptop)
	h.tap("Settings")
	h.tap("Trainer mode")
	h.waitFor("Tuesday group")

	session := func() {
		t.Helper()
		h.tap("Run a group session")
		h.waitFor("This laptop is the hub.")
		h.tap("Lock your phone")
		h.waitFor("Step 1 of 8")
		reach := svc.Reach()
		roomCode, _, err := room.SplitAppCode(reach.AppCode)
		if err != nil {
			t.Fatal(err)
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort))
		for _, claim := range []string{amber.AttendanceClaim(ctx, roomCode), amber.AttendanceClaim(ctx, roomCode),
			stranger.AttendanceClaim(ctx, roomCode), ""} {
			if _, _, err := syncclient.Follow(ctx, syncclient.FollowConfig{Address: addr, Code: reach.AppCode, Claim: claim}); err != nil {
				t.Fatal(err)
			}
		}
		h.waitFor("Following: 4.")
		h.mustShow("Group members whose attendance is recorded (they agreed): 1")
	}
	attended := func() int {
		t.Helper()
		day := time.Now()
		rep := tr.Report(report.Params{From: day.AddDate(0, 0, -1), To: day.AddDate(0, 0, 1), Groups: []string{gid}, Named: true, Now: day}, nil)
		for _, row := range rep.Rows {
			if row.Measure == report.SessionsAttended {
				return row.Value.N
			}
		}
		t.Fatal("the report has no session attendances")
		return 0
	}

	session()
	// The trainer talks for twenty minutes without a touch: neither trainer
	// mode's idle time nor the lock ends a session running.
	h.now = h.now.Add(20 * time.Minute)
	time.Sleep(50 * time.Millisecond) // the idle check ticks every 5 ms in tests
	h.drain()
	h.mustShow("Step 1 of 8")
	if !tr.IsOpen() || svc.Reach().AppPort == 0 {
		t.Error("idleness ended the session")
	}
	h.tap("End session")
	h.tap("End session")
	h.waitFor("The session has ended")
	h.mustShow("People who followed: 4")
	h.mustShow("Attendance recorded for the group members who agreed to it: 1")
	if n := attended(); n != 1 {
		t.Errorf("the report counts %d session attendances after one session, want 1", n)
	}

	h.tap("Back to group sessions")
	h.tap("Back")
	h.waitFor("Tuesday group")
	session()
	h.tap("Exit") // the quick exit ends the session and closes trainer mode
	if svc.Reach().AppPort != 0 {
		t.Error("the hub still runs after the quick exit")
	}
	if _, err := tr.OpenProfile(ctx, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if n := attended(); n != 2 {
		t.Errorf("the report counts %d session attendances after two sessions, want 2", n)
	}
}

// TestLearnerClaimsAttendance: a learner who joined a trainer's group
// follows that trainer's session from the app's home screen; the app
// tells the hub a claim for this session, and the trainer's roster
// records the learner's attendance from it.
func TestLearnerClaimsAttendance(t *testing.T) {
	cheapCodes(t)
	h := newHarness(t)
	srv := syncServer(t)
	ctx := context.Background()
	tr, gid, code := groupOf(t, srv.URL, basicCourse(t), "Tuesday group")
	h.sync = &syncclient.Service{Label: "phone", Backoff: time.Hour}
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1"})
	h.follow = follow{h.sync}
	h.start()
	if err := h.sync.Join(ctx, srv.URL, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.sync.JoinGroup(ctx, code.Code, "Amber"); err != nil {
		t.Fatal(err)
	}
	if err := tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	member := tr.Members(gid)
	if len(member) != 1 {
		t.Fatalf("the trainer sees %d members", len(member))
	}

	lesson, facts := basicLesson(t, "passcodes")
	hb := openHubWith(t, facts, tr.Roster())
	r, err := hb.Begin(ctx, lesson)
	if err != nil {
		t.Fatal(err)
	}
	reach := hb.Reach()
	h.tap("Join a group session")
	h.typeInto(0, net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort)))
	h.typeInto(1, reach.AppCode)
	h.tap("Join")
	h.waitFor("Why lock your phone?")
	sum := r.End()
	if want := gid + "/" + member[0].ID; !slices.Equal(sum.Attendees, []string{want}) {
		t.Errorf("attendees %q, want %q", sum.Attendees, want)
	}
}
