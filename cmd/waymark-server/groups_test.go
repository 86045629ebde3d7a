package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/postgres/pgtest"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/safety"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
	"github.com/waymark-app/waymark/lessons"
)

// cheapCodes makes join and co-trainer codes cheap to derive for a test
// of many learners (the real cost is group.CodeParams, used by the
// group package's tests); both sides derive, so they agree.
func cheapCodes(t testing.TB) {
	old := group.CodeParams
	group.CodeParams.Time, group.CodeParams.Memory = 1, 64
	t.Cleanup(func() { group.CodeParams = old })
}

// cheapLock is a cheap Argon2id cost for the trainer's passphrase in
// tests (the real cost is lockbox.DefaultParams).
var cheapLock = lockbox.Params{Time: 1, Memory: 64, Threads: 1}

// newTrainer makes a trainer's profile on a SQLite file of its own, as
// main.go does.
func newTrainer(t testing.TB, dir string, tags map[string]report.Tags) *syncclient.Trainer {
	t.Helper()
	path := filepath.Join(dir, "trainer.db")
	var mu sync.Mutex
	tr := &syncclient.Trainer{
		Params: cheapLock,
		Tags:   tags,
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

// learnerDevice is one simulated learner: the app's real store and sync
// service on a SQLite file of its own.
type learnerDevice struct {
	db   *sqlite.DB
	svc  *syncclient.Service
	nick string // the nickname chosen for the group ("" for none)
	// what the learner did, for the test to check against
	done, started []string
	help          bool // designed to need help
}

func newLearner(t testing.TB, dir string) *learnerDevice {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "learner.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unlock(ctx, lockbox.NewBox(lockbox.NewKey())); err != nil {
		t.Fatal(err)
	}
	svc := &syncclient.Service{Store: db, Clock: db.Clock(), Label: "phone", Backoff: time.Hour}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(); db.Close() })
	return &learnerDevice{db: db, svc: svc}
}

// questions returns a lesson's question steps.
func questions(l *learn.Lesson) []string {
	var out []string
	for _, s := range l.Steps {
		if s.Kind.Question() {
			out = append(out, s.ID)
		}
	}
	return out
}

// doLesson records a lesson as the app would: steps shown, answers (the
// first question answered wrong `wrong` times before the right answer),
// and done if finish. at is when.
func (d *learnerDevice) doLesson(t testing.TB, l *learn.Lesson, wrong int, finish bool, at time.Time) {
	t.Helper()
	clock := learn.NewHLC(at.UnixMilli(), 0)
	var evs []learn.Event
	add := func(e learn.Event) {
		clock++
		e.Clock, e.Lesson = clock, l.ID
		evs = append(evs, e)
	}
	qs := questions(l)
	for i, q := range qs {
		if !finish && i > 0 {
			break // left half done, after the first question
		}
		add(learn.Event{Kind: learn.EventStepShown, Step: q})
		if i == 0 {
			for range wrong {
				add(learn.Event{Kind: learn.EventAnswered, Step: q, Answer: []string{"wrong-canary-answer"}})
			}
		}
		add(learn.Event{Kind: learn.EventAnswered, Step: q, Correct: true, Answer: []string{"right-canary-answer"}})
	}
	if finish {
		add(learn.Event{Kind: learn.EventLessonDone})
		d.done = append(d.done, l.ID)
	} else {
		d.started = append(d.started, l.ID)
	}
	if _, err := d.db.Record(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
}

// syncNow syncs the learner's device (and so sends its shares) and waits.
func (d *learnerDevice) syncNow(t testing.TB) {
	t.Helper()
	before := d.svc.Status().LastSuccess
	d.svc.SyncNow()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if st := d.svc.Status(); !st.Running && st.LastSuccess.After(before) {
			return
		}
	}
	t.Fatalf("a learner's sync did not finish: %+v", d.svc.Status())
}

// TestGroupsEndToEnd is issue 11's test, on SQLite and on PostgreSQL: a
// server, a trainer and 30 learners with the app's real client code, 25 of
// whom join the group (and 5 do not), each doing lessons with wrong
// answers. The dashboard and the report show exactly what the 25 did and
// nothing of the 5; a learner who leaves disappears from both; and the
// server's database holds no nickname, lesson id or group name.
func TestGroupsEndToEnd(t *testing.T) {
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps) > 0 {
		t.Fatalf("lessons: %v", ps)
	}
	t.Run("sqlite", func(t *testing.T) {
		m := start(t, func(m *Main) { m.OpenEnrolment = false })
		groupsEndToEnd(t, m, course, func() []byte {
			var all []byte
			for _, f := range sqlite.Files(m.DB) {
				b, _ := os.ReadFile(f)
				all = append(all, b...)
			}
			return all
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn, schema := pgtest.URL(t)
		m := start(t, func(m *Main) { m.OpenEnrolment = false; m.DB = dsn })
		groupsEndToEnd(t, m, course, func() []byte { return pgDump(t, dsn, schema) })
	})
}

// pgDump dumps a schema's data with pg_dump, as an attacker with the
// database would read it.
func pgDump(t *testing.T, dsn, schema string) []byte {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("search_path") // pgx's, not libpq's
	u.RawQuery = q.Encode()
	out, err := exec.Command("pg_dump", "--dbname="+u.String(), "--schema="+schema, "--no-owner").Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !bytes.Contains(out, []byte("COPY "+schema+".members")) {
		t.Fatalf("pg_dump did not dump the members table: %d bytes", len(out))
	}
	return out
}

func groupsEndToEnd(t *testing.T, m *Main, course *learn.Course, dump func() []byte) {
	cheapCodes(t)
	ctx := context.Background()
	tags := report.TagsOf(course)
	trainerInvite := newTrainerInvite(t, m)
	learnerInvite := newInvite(t, m, 30)

	trainerDir := t.TempDir()
	tr := newTrainer(t, trainerDir, tags)
	if err := tr.CreateProfile(ctx, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if err := tr.Connect(ctx, m.URL(), "", trainerInvite); err != nil {
		t.Fatal(err)
	}
	const groupName = "Tuesday group at St Mark's"
	g, err := tr.CreateGroup(ctx, groupName)
	if err != nil {
		t.Fatal(err)
	}
	code, err := tr.NewJoinCode(ctx, g.ID, 0)
	if err != nil {
		t.Fatal(err)
	}

	// The lessons the learners take: real ones with questions.
	var pool []*learn.Lesson
	for _, id := range course.LessonIDs() {
		if l := course.Lesson(id); l != nil && len(questions(l)) >= 2 {
			pool = append(pool, l)
		}
	}
	if len(pool) < 8 {
		t.Fatalf("only %d lessons with questions", len(pool))
	}
	now := time.Now()
	learners := make([]*learnerDevice, 30)
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := range learners {
		d := newLearner(t, t.TempDir())
		learners[i] = d
		// Each does three lessons (two finished, one left half done) with
		// wrong answers; every third left a lesson half done three weeks
		// ago; every fourth got a question wrong four times.
		wrong := 1 + i%2
		if i%4 == 0 {
			wrong, d.help = 4, true
		}
		d.doLesson(t, pool[i%len(pool)], wrong, true, now.Add(-48*time.Hour))
		d.doLesson(t, pool[(i+1)%len(pool)], 0, true, now.Add(-24*time.Hour))
		startedAt := now.Add(-time.Hour)
		if i%3 == 0 {
			startedAt, d.help = now.Add(-21*24*time.Hour), true
		}
		d.doLesson(t, pool[(i+2)%len(pool)], 0, false, startedAt)
		// The app's own nickname and a private note: never shared.
		if _, err := d.db.Record(ctx, learn.Event{Kind: learn.EventNickname, Data: fmt.Sprintf("RealName%02d", i)},
			learn.Event{Kind: learn.EventMilestoneDone, Target: "gp", Correct: true},
			learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "private-note-canary"},
			learn.Event{Kind: learn.EventMilestoneShare, Target: "gp", Correct: i%2 == 0}); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.svc.Join(ctx, m.URL(), "", learnerInvite); err != nil {
				errs <- err
				return
			}
			if i >= 25 {
				return // these five never join the group
			}
			info, err := d.svc.PreviewGroup(ctx, code.Code)
			if err != nil || info.Name != groupName {
				errs <- fmt.Errorf("preview: %q, %v", info.Name, err)
				return
			}
			d.nick = fmt.Sprintf("Nick%02d", i)
			errs <- d.svc.JoinGroup(ctx, strings.ToLower(code.Code), d.nick)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a learner: %v", err)
		}
	}
	// A later lesson, shared by the next sync.
	learners[1].doLesson(t, pool[5], 0, true, now.Add(-10*time.Minute))
	learners[1].syncNow(t)

	// One learner is in a second group too, another trainer's, under
	// another nickname: each group sees its own, and nothing links them.
	tr2 := newTrainer(t, t.TempDir(), tags)
	tr2.CreateProfile(ctx, "another long passphrase here")
	if err := tr2.Connect(ctx, m.URL(), "", newTrainerInvite(t, m)); err != nil {
		t.Fatal(err)
	}
	g2, _ := tr2.CreateGroup(ctx, "Evening English")
	code2, _ := tr2.NewJoinCode(ctx, g2.ID, 0)
	if err := learners[2].svc.JoinGroup(ctx, code2.Code, "Otter"); err != nil {
		t.Fatal(err)
	}
	if list, _ := learners[2].svc.Groups(ctx); len(list) != 2 {
		t.Errorf("the learner in two groups lists %d", len(list))
	}
	if err := tr2.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if ms := tr2.Members(g2.ID); len(ms) != 1 || ms[0].Share.Nickname != "Otter" || len(ms[0].Share.Done) != len(learners[2].done) {
		t.Errorf("the second group sees %+v", ms)
	}

	if err := tr.Refresh(ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	check := func(members []*learnerDevice) {
		t.Helper()
		board := tr.Dashboard(g.ID, course.LessonIDs())
		rows := map[string]group.LearnerRow{}
		for _, r := range board.Learners {
			rows[r.Nickname] = r
		}
		if len(rows) != len(members) {
			t.Errorf("the dashboard has %d learners, want %d", len(rows), len(members))
		}
		completed := 0
		for _, d := range members {
			r, ok := rows[d.nick]
			if !ok {
				t.Errorf("%s is not on the dashboard", d.nick)
				continue
			}
			if r.Done != len(d.done) || r.InProgress != len(d.started) || r.NeedsHelp() != d.help {
				t.Errorf("%s: %d done, %d in progress, needs help %v; want %d, %d, %v (%+v)", d.nick, r.Done, r.InProgress, r.NeedsHelp(), len(d.done), len(d.started), d.help, r.Help)
			}
			completed += len(d.done)
		}
		rep := tr.Report(report.Params{From: now.AddDate(0, 0, -30), To: now, Now: now}, tags)
		want := map[report.Measure]int{report.LearnersActive: len(members), report.LessonsCompleted: completed}
		for _, row := range rep.Rows {
			if w, ok := want[row.Measure]; ok && row.Value.N != w {
				t.Errorf("report %s: %d, want %d", row.Measure, row.Value.N, w)
			}
		}
		// Nothing of the five, nor anything the consent does not list,
		// anywhere the trainer looks.
		named := tr.Report(report.Params{From: now.AddDate(0, 0, -30), To: now, Now: now, Named: true}, tags)
		seen := string(named.CSV()) + string(named.HTML()) + fmt.Sprint(board)
		for _, canary := range []string{"RealName", "canary", "Nick25", "Nick26", "Nick29"} {
			if strings.Contains(seen, canary) {
				t.Errorf("the trainer sees %q", canary)
			}
		}
	}
	check(learners[:25])

	// One leaves: gone from the dashboard and from later reports.
	if err := learners[3].svc.LeaveGroup(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := learners[3].svc.Groups(ctx); len(list) != 0 {
		t.Errorf("after leaving, the learner still lists %d groups", len(list))
	}
	if err := tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	stayed := slices.Concat(learners[:3], learners[4:25])
	check(stayed)

	// Offline: the server gone, the profile closed and opened again, the
	// dashboard and the report still show the last copy.
	tr.CloseProfile()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.OpenProfile(ctx, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	check(stayed)
	if err := tr.Refresh(ctx); err == nil {
		t.Error("a refresh with the server gone says it worked")
	}
	check(stayed)

	// The server's database: no nickname, lesson id or group name, in
	// the file or a dump.
	db := dump()
	var canaries []string
	for _, d := range learners {
		canaries = append(canaries, d.done...)
		canaries = append(canaries, d.started...)
	}
	canaries = append(canaries, groupName, "Tuesday", "RealName", "Nick0", "Nick1", "Nick2", "canary")
	for _, c := range canaries {
		if bytes.Contains(db, []byte(c)) {
			t.Errorf("the server's database holds %q", c)
		}
	}
	if len(db) < 10000 {
		t.Errorf("the database is %d bytes: did it hold anything?", len(db))
	}
	// The trainer's profile is sealed at rest: its file holds none of it.
	var profile []byte
	for _, f := range sqlite.Files(filepath.Join(trainerDir, "trainer.db")) {
		b, _ := os.ReadFile(f)
		profile = append(profile, b...)
	}
	for _, c := range append(canaries, code.Code, strings.ReplaceAll(code.Code, "-", "")) {
		if bytes.Contains(profile, []byte(c)) {
			t.Errorf("the trainer's profile file holds %q", c)
		}
	}
	if len(profile) < 10000 {
		t.Errorf("the trainer's profile is %d bytes: did it hold anything?", len(profile))
	}
}

// newInvite stores an invite for uses learners and returns its code.
func newInvite(t testing.TB, m *Main, uses int) string {
	t.Helper()
	code, inv := syncserver.NewInvite(uses, 24*time.Hour, time.Now())
	if err := m.Store().CreateInvite(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	return code
}

// newTrainerInvite stores a trainer invite and returns its code.
func newTrainerInvite(t testing.TB, m *Main) string {
	t.Helper()
	code, inv := syncserver.NewTrainerInvite(1, 24*time.Hour, time.Now())
	if err := m.Store().CreateInvite(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	return code
}
