package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
)

// key is the data key the tests' stores are sealed under.
var key = lockbox.NewKey()

// open opens the store at path and unlocks it with key.
func open(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Unlock(context.Background(), lockbox.NewBox(key)); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	return db
}

// allEvents reads the whole log.
func allEvents(t testing.TB, db *sqlite.DB) []learn.Event {
	t.Helper()
	events, err := db.Events(context.Background(), learn.EventID{}, 0)
	if err != nil {
		t.Fatalf("events: %v", err)
	}
	return events
}

func shown(lesson, step string) learn.Event {
	return learn.Event{Kind: learn.EventStepShown, Lesson: lesson, Step: step}
}

func answered(lesson, step string, correct bool, answer ...string) learn.Event {
	return learn.Event{Kind: learn.EventAnswered, Lesson: lesson, Step: step, Answer: answer, Correct: correct}
}

func TestRecordDerivesStateAndSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	_, err := db.Record(ctx,
		shown("passcodes", "why-lock"),
		shown("passcodes", "hardest-pin"),
		answered("passcodes", "hardest-pin", false, "birthday"),
		answered("passcodes", "hardest-pin", true, "random"),
		shown("passcodes", "good-pin"),
		shown("scam-messages", "intro"),
		learn.Event{Kind: learn.EventLessonDone, Lesson: "scam-messages"},
	)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	db = open(t, path)
	p, err := db.Progress(ctx)
	if err != nil {
		t.Fatalf("progress: %v", err)
	}
	pc := p.Lesson("passcodes")
	if pc.Status() != learn.InProgress || pc.Step != "good-pin" {
		t.Errorf("passcodes: got status %v at %q, want in progress at good-pin", pc.Status(), pc.Step)
	}
	if s := p.Lesson("scam-messages").Status(); s != learn.Done {
		t.Errorf("scam-messages: got status %v, want done", s)
	}
	st := p.Step("passcodes", "hardest-pin")
	if st.Attempts != 2 || !st.Correct || st.FirstTry {
		t.Errorf("hardest-pin: got %+v, want 2 attempts, correct, not first try", st)
	}

	events := allEvents(t, db)
	if len(events) != 7 {
		t.Fatalf("got %d events, want 7", len(events))
	}
	for i, e := range events {
		if e.ID.Seq != int64(i+1) {
			t.Errorf("event %d: seq %d, want contiguous from 1", i, e.ID.Seq)
		}
		if i > 0 && e.Clock <= events[i-1].Clock {
			t.Errorf("event %d: clock %d not after %d", i, e.Clock, events[i-1].Clock)
		}
	}
	if got := events[2].Answer; len(got) != 1 || got[0] != "birthday" {
		t.Errorf("answer: got %q, want [birthday]", got)
	}

	// The state stored must equal the state derived from the log again.
	want := learn.NewProgress()
	for _, e := range events {
		want.Apply(e)
	}
	for id, s := range want.Lessons {
		if p.Lesson(id) != s {
			t.Errorf("lesson %s: stored %+v, log gives %+v", id, p.Lesson(id), s)
		}
	}
	for ref, s := range want.Steps {
		if p.Steps[ref] != s {
			t.Errorf("step %v: stored %+v, log gives %+v", ref, p.Steps[ref], s)
		}
	}
}

func TestRecordInvalidChangesNothing(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "waymark.db"))
	_, err := db.Record(ctx, shown("passcodes", "why-lock"), learn.Event{Kind: "nonsense", Lesson: "passcodes"})
	if !errors.Is(err, learn.ErrInvalid) {
		t.Fatalf("got %v, want ErrInvalid", err)
	}
	events := allEvents(t, db)
	if len(events) != 0 {
		t.Errorf("got %d events after a rejected batch, want 0", len(events))
	}
	p, _ := db.Progress(ctx)
	if len(p.Lessons) != 0 {
		t.Errorf("got state %v after a rejected batch, want none", p.Lessons)
	}
}

// TestEveryOpenStartsANewEpoch: ids never repeat, whatever happens to
// the file (restored in place from a backup, copied, opened from another
// path, on any platform), because every open starts a new random epoch.
func TestEveryOpenStartsANewEpoch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	first, _ := db.Record(ctx, shown("a", "1"), shown("a", "2"))
	if first[0].ID.Seq != 1 || first[1].ID.Seq != 2 {
		t.Fatalf("seqs %d, %d: want contiguous from 1", first[0].ID.Seq, first[1].ID.Seq)
	}
	backup, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, path)
	next, err := db.Record(ctx, shown("a", "3"))
	if err != nil {
		t.Fatal(err)
	}
	if next[0].ID.Device != first[0].ID.Device || next[0].ID.Epoch == first[0].ID.Epoch || next[0].ID.Seq != 1 {
		t.Errorf("after reopen: got %+v, want the same device, a new epoch, seq 1 (first was %+v)", next[0].ID, first[0].ID)
	}
	if next[0].Clock <= first[1].Clock {
		t.Errorf("clock went back after reopen: %d <= %d", next[0].Clock, first[1].Clock)
	}
	db.Close()

	// The backup, restored in place (same path, same contents).
	for _, p := range sqlite.Files(path) {
		os.Remove(p)
	}
	if err := os.WriteFile(path, backup, 0o600); err != nil {
		t.Fatal(err)
	}
	db = open(t, path)
	restored, err := db.Record(ctx, shown("a", "4"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range append(first, next...) {
		if restored[0].ID == e.ID {
			t.Errorf("a restored backup reused the id %v", e.ID)
		}
	}
}

func TestClockNeverGoesBackWhenWallClockDoes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	wall := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, path, sqlite.Options{Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	db.Unlock(ctx, lockbox.NewBox(key))
	a, _ := db.Record(ctx, shown("a", "1"))
	db.Close()
	wall = wall.Add(-time.Hour) // the learner sets the phone's clock back
	db, err = sqlite.Open(ctx, path, sqlite.Options{Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Unlock(ctx, lockbox.NewBox(key))
	b, _ := db.Record(ctx, shown("a", "2"))
	if b[0].Clock <= a[0].Clock {
		t.Errorf("clock went back: %d <= %d", b[0].Clock, a[0].Clock)
	}
	p, _ := db.Progress(ctx)
	if got := p.Lesson("a").Step; got != "2" {
		t.Errorf("resume position: got %q, want the latest step 2", got)
	}
}

func TestPrefs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	if err := db.SetPrefs(ctx, map[string]string{"lang": "sq"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPrefs(ctx, map[string]string{"lang": "vi"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, path)
	prefs, err := db.Prefs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if prefs["lang"] != "vi" {
		t.Errorf("got lang %q, want vi", prefs["lang"])
	}
}

// Every connection of both pools, the writer and each reader, has every
// per-connection setting: SQLite forgets busy_timeout, foreign_keys and
// synchronous when a connection closes, so a pooled connection opened
// without them would wait for no lock, ignore foreign keys or lose a
// commit on power loss. (WAL is kept in the file and checked too.) A pool
// opened without the settings must fail the same check, or the check
// proves nothing.
func TestPragmasOnEveryConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	write, read := db.Pools()
	for name, pool := range map[string]*sql.DB{"writer": write, "reader": read} {
		if bad := checkPragmas(t, pool); len(bad) > 0 {
			t.Errorf("%s pool: %s", name, strings.Join(bad, "; "))
		}
	}

	bare, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	bare.SetMaxOpenConns(2)
	if bad := checkPragmas(t, bare); len(bad) == 0 {
		t.Error("a pool opened without pragmas passes the check")
	}
}

// checkPragmas holds as many connections of pool at once as it may open
// (4 if it has no limit), so that each is a different connection, and
// lists every setting one of them lacks.
func checkPragmas(t *testing.T, pool *sql.DB) []string {
	t.Helper()
	ctx := context.Background()
	want := []struct{ pragma, value string }{
		{"busy_timeout", "5000"},
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
	}
	n := pool.Stats().MaxOpenConnections
	if n == 0 {
		n = 4
	}
	var bad []string
	for i := range n {
		c, err := pool.Conn(ctx)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		defer c.Close() // held until every connection is checked
		for _, w := range want {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+w.pragma).Scan(&got); err != nil {
				t.Fatalf("connection %d: PRAGMA %s: %v", i, w.pragma, err)
			}
			if got != w.value {
				bad = append(bad, fmt.Sprintf("connection %d: %s = %s, want %s", i, w.pragma, got, w.value))
			}
		}
	}
	if got := pool.Stats().OpenConnections; got != n {
		t.Fatalf("checked %d connections, the pool has %d open", n, got)
	}
	return bad
}

// The writer child: records events one transaction at a time and prints
// the seq of each after it commits, until it is killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("WAYMARK_CRASH_WRITER"); path != "" {
		crashWriter(path)
		return
	}
	os.Exit(m.Run())
}

// crashKey is the crash writer's key, the same in the child and the test.
var crashKey = lockbox.Key{1, 2, 3}

func crashWriter(path string) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err == nil {
		err = db.Unlock(ctx, lockbox.NewBox(crashKey))
	}
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		evs, err := db.Record(ctx,
			shown(fmt.Sprintf("lesson-%d", i%7), fmt.Sprintf("step-%d", i)),
			answered(fmt.Sprintf("lesson-%d", i%7), fmt.Sprintf("step-%d", i), i%3 == 0, "a", "b"),
		)
		if err != nil {
			fmt.Fprintln(w, "error", err)
			w.Flush()
			os.Exit(1)
		}
		fmt.Fprintln(w, "committed", evs[len(evs)-1].ID.Epoch, evs[len(evs)-1].ID.Seq)
		w.Flush()
	}
}

func TestKilledMidWriteLosesNoCommittedEvent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	var epochs []string
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "WAYMARK_CRASH_WRITER="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var committed int64
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[0] == "committed" {
				if committed == 0 {
					epochs = append(epochs, f[1])
				}
				committed, _ = strconv.ParseInt(f[2], 10, 64)
			} else {
				t.Fatalf("writer: %s", sc.Text())
			}
			// Kill at a different point each round, while it is writing.
			if committed >= int64(150*(round+1)) {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		cmd.Wait()
		if committed == 0 {
			t.Fatal("writer committed nothing")
		}

		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err == nil {
			err = db.Unlock(ctx, lockbox.NewBox(crashKey))
		}
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		var check string
		raw, _ := sql.Open("sqlite", path)
		if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check: %q, %v", round, check, err)
		}
		raw.Close()
		events := allEvents(t, db)
		// Each round is one epoch (one open): its seqs run from 1.
		var max int64
		for _, e := range events {
			if e.ID.Epoch == epochs[round] {
				max = e.ID.Seq
			}
		}
		if max < committed {
			t.Errorf("round %d: the log ends at seq %d, but seq %d was committed", round, max, committed)
		}
		// Derived state must match the log exactly: written in the same
		// transaction, it can never be half done.
		p, _ := db.Progress(ctx)
		want := learn.NewProgress()
		for _, e := range events {
			want.Apply(e)
		}
		if len(p.Steps) != len(want.Steps) {
			t.Errorf("round %d: %d step states stored, log gives %d", round, len(p.Steps), len(want.Steps))
		}
		for ref, s := range want.Steps {
			if p.Steps[ref] != s {
				t.Errorf("round %d: step %v: stored %+v, log gives %+v", round, ref, p.Steps[ref], s)
			}
		}
		db.Close()
	}
}

func TestPhraseDeckIsStored(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	_, err := db.Record(ctx,
		learn.Event{Kind: learn.EventPhrasesAdded, Lesson: "english-gp", Step: "reception", Answer: []string{"appointment", "interpreter"}},
		learn.Event{Kind: learn.EventPhraseReviewed, Lesson: "english-gp", Step: "reception", Answer: []string{"appointment"}, Correct: true},
	)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, path)
	p, err := db.Progress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := learn.ReplayPhrases(allEvents(t, db))
	if len(p.Phrases) != 2 {
		t.Fatalf("got %d phrases, want 2", len(p.Phrases))
	}
	for ref, s := range want {
		if !reflect.DeepEqual(p.Phrases[ref], s) {
			t.Errorf("%v: stored %+v, log gives %+v", ref, p.Phrases[ref], s)
		}
	}
	if p.Phrases[learn.PhraseRef{Lesson: "english-gp", Step: "reception", Phrase: "appointment"}].Box != 1 {
		t.Error("a phrase the learner knew did not move up a box")
	}
	if _, ok := p.Lessons["english-gp"]; ok {
		t.Error("reviewing phrases changed the lesson's progress")
	}
}

// filesHold reports which of the canaries appear in any file under dir.
func filesHold(t *testing.T, dir string, canaries ...[]byte) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range canaries {
			if bytes.Contains(data, c) {
				found = append(found, fmt.Sprintf("%s holds %q", filepath.Base(p), c))
			}
		}
		return nil
	})
	return found
}

// TestAttackReadTheFiles copies nothing but reads every byte of the
// store's files, as someone with a copy of the phone's storage would: no
// lesson taken, answer, note, milestone, date or nickname is there.
func TestAttackReadTheFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "waymark.db"))
	_, err := db.Record(ctx,
		answered("canary-lesson", "canary-step", true, "canary-answer"),
		learn.Event{Kind: learn.EventMilestoneAdded, Target: "canary-own", Data: "canary-title"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "canary-note"},
		learn.Event{Kind: learn.EventMilestoneDone, Target: "housing", Correct: true, Data: "2026-03-17"},
		learn.Event{Kind: learn.EventNickname, Data: "canary-nick"},
	)
	if err != nil {
		t.Fatal(err)
	}
	// (Not words of the schema, such as "answer", which SQLite keeps in
	// the file as the text of its CREATE TABLE statements.)
	canaries := [][]byte{[]byte("canary"), []byte("2026-03-17"), []byte("housing"), []byte("profile.nickname"), []byte(`"k":`)}
	if found := filesHold(t, dir, canaries...); len(found) > 0 {
		t.Errorf("while open: %v", found)
	}
	db.Close()
	if found := filesHold(t, dir, canaries...); len(found) > 0 {
		t.Errorf("after close: %v", found)
	}
}

func TestLockedStoreRefuses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	db.Record(ctx, shown("a", "1"))
	db.Lock()
	if _, err := db.Record(ctx, shown("a", "2")); !errors.Is(err, learn.ErrLocked) {
		t.Errorf("record while locked: %v", err)
	}
	if _, err := db.Progress(ctx); !errors.Is(err, learn.ErrLocked) {
		t.Errorf("progress while locked: %v", err)
	}
	if _, err := db.Events(ctx, learn.EventID{}, 0); !errors.Is(err, learn.ErrLocked) {
		t.Errorf("events while locked: %v", err)
	}
	// The wrong key opens nothing.
	if err := db.Unlock(ctx, lockbox.NewBox(lockbox.NewKey())); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Events(ctx, learn.EventID{}, 0); !errors.Is(err, learn.ErrDamaged) {
		t.Errorf("events under another key: %v", err)
	}
}

// TestApplyIsIdempotent applies events from another device twice, in
// another order, with ones already stored: the log holds each once, the
// state is what the log gives, and the ids and clocks are kept.
func TestApplyIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "waymark.db"))
	local, _ := db.Record(ctx, answered("passcodes", "q1", false, "a"))
	t0 := local[0].Clock
	remote := []learn.Event{
		{ID: learn.EventID{Device: "laptop", Epoch: "e1", Seq: 1}, Clock: t0 + 10, Kind: learn.EventAnswered, Lesson: "passcodes", Step: "q1", Answer: []string{"b"}, Correct: true},
		{ID: learn.EventID{Device: "laptop", Epoch: "e1", Seq: 2}, Clock: t0 + 11, Kind: learn.EventLessonDone, Lesson: "passcodes"},
		{ID: learn.EventID{Device: "laptop", Epoch: "e1", Seq: 3}, Clock: t0 + 12, Kind: "lesson.rated", Lesson: "passcodes", Data: "5"},
	}
	got, err := db.Apply(ctx, remote, map[string]any{"cursor": "c1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("inserted %d, want 3", len(got))
	}
	again, err := db.Apply(ctx, []learn.Event{remote[2], remote[0], local[0], remote[1]}, map[string]any{"cursor": "c2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("applied again: %d inserted, want 0", len(again))
	}
	events := allEvents(t, db)
	if len(events) != 4 {
		t.Fatalf("log holds %d events, want 4", len(events))
	}
	want := learn.NewProgress()
	for _, e := range events {
		want.Apply(e)
	}
	p, _ := db.Progress(ctx)
	if !reflect.DeepEqual(p, want) {
		t.Errorf("state %+v, the log gives %+v", p, want)
	}
	if st := p.Step("passcodes", "q1"); st.Attempts != 2 || !st.Correct || st.FirstTry {
		t.Errorf("step: %+v", st)
	}
	// The newer version's event is kept, whole.
	var rated *learn.Event
	for i := range events {
		if events[i].Kind == "lesson.rated" {
			rated = &events[i]
		}
	}
	if rated == nil || rated.Data != "5" || rated.Clock != t0+12 || rated.ID != remote[2].ID {
		t.Errorf("an unknown kind was not kept as it came: %+v", rated)
	}
	var cursor string
	if _, err := db.LoadSealed(ctx, "cursor", &cursor); err != nil || cursor != "c2" {
		t.Errorf("cursor %q, %v", cursor, err)
	}
	// An invalid remote event changes nothing.
	if _, err := db.Apply(ctx, []learn.Event{{ID: learn.EventID{Device: "x", Epoch: "e", Seq: 1}, Clock: 1, Kind: learn.EventAnswered}}, map[string]any{"cursor": "c3"}); !errors.Is(err, learn.ErrInvalid) {
		t.Errorf("invalid remote event: %v", err)
	}
	if _, err := db.LoadSealed(ctx, "cursor", &cursor); err != nil || cursor != "c2" {
		t.Errorf("a rejected batch moved the cursor to %q", cursor)
	}
}

// TestApplyBoundsTheClock: an event from a phone whose clock is a year
// ahead is kept with its clock, but does not drag this device's clock a
// year ahead.
func TestApplyBoundsTheClock(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "waymark.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Unlock(ctx, lockbox.NewBox(key))
	ahead := learn.NewHLC(now.AddDate(1, 0, 0).UnixMilli(), 0)
	if _, err := db.Apply(ctx, []learn.Event{{ID: learn.EventID{Device: "phone", Epoch: "e", Seq: 1}, Clock: ahead, Kind: learn.EventStepShown, Lesson: "a", Step: "1"}}, nil); err != nil {
		t.Fatal(err)
	}
	mine, _ := db.Record(ctx, shown("b", "1"))
	if lim := learn.NewHLC(now.Add(learn.MaxDrift).UnixMilli(), 1<<15); mine[0].Clock > lim {
		t.Errorf("a clock a year ahead pulled this one to %v", mine[0].Clock.Time())
	}
}

func TestEventsPage(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "waymark.db"))
	for i := range 25 {
		db.Record(ctx, shown("a", fmt.Sprint(i)))
	}
	var all []learn.Event
	after := learn.EventID{}
	for {
		page, err := db.Events(ctx, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 10 {
			t.Fatalf("page of %d", len(page))
		}
		all = append(all, page...)
		after = page[len(page)-1].ID
	}
	if len(all) != 25 || all[24].ID.Seq != 25 {
		t.Errorf("paged %d events", len(all))
	}
}

// TestAttackOldKeyAfterRekey: the data key was stored plain (no PIN), and
// someone kept a copy of it. The learner sets a PIN: the record is sealed
// again under a new key. Nothing in the files opens with the old key, and
// the old key's stored form is gone from every file.
func TestAttackOldKeyAfterRekey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "waymark.db")
	oldKey := lockbox.NewKey()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Unlock(ctx, lockbox.NewBox(oldKey))
	oldRing := lockbox.Keyring{Data: oldKey}.Plain()
	if err := db.SetPrefs(ctx, map[string]string{"keyring": oldRing}); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		db.Record(ctx, answered("lesson", fmt.Sprint(i), true, "a"), learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: fmt.Sprint("note ", i)})
	}
	newKey := lockbox.NewKey()
	_, kek := lockbox.NewLock("correct horse battery", lockbox.Params{Time: 1, Memory: 64, Threads: 1})
	if err := db.Rekey(ctx, lockbox.NewBox(newKey), map[string]string{"keyring": lockbox.Keyring{Data: newKey}.Wrap(kek)}); err != nil {
		t.Fatal(err)
	}
	if found := filesHold(t, dir, []byte(oldRing), oldKey[:], []byte(strings.TrimPrefix(oldRing, "ring1-plain$"))); len(found) > 0 {
		t.Errorf("the old key is still in the files: %v", found)
	}
	// Everything reads back under the new key...
	p, err := db.Progress(ctx)
	if err != nil || len(p.Steps) != 50 || p.Milestones["gp"].Note.Value != "note 49" {
		t.Fatalf("after rekey: %v, %d steps", err, len(p.Steps))
	}
	// ...and nothing opens under the old one: read every sealed row from a
	// copy of the file, as the attacker would.
	db.Close()
	raw, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	old := lockbox.NewBox(oldKey)
	rows, err := raw.Query(`SELECT device, epoch, seq, body FROM sealed_events`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var id learn.EventID
		var body []byte
		rows.Scan(&id.Device, &id.Epoch, &id.Seq, &body)
		if _, err := old.Open(body, id.AD()); err == nil {
			t.Errorf("event %v opens with the old key", id)
		}
		n++
	}
	rows.Close()
	if n != 100 {
		t.Errorf("%d events in the file, want 100", n)
	}
	rows, _ = raw.Query(`SELECT id, body FROM sealed_state`)
	for rows.Next() {
		var id, body []byte
		rows.Scan(&id, &body)
		if _, err := old.Open(body, id); err == nil {
			t.Error("a state row opens with the old key")
		}
	}
	rows.Close()
}

func TestEraseLeavesNothingReadable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "waymark.db")
	// A learner's own file in the same folder stays.
	if err := os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("a photo"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := open(t, path)
	db.Record(ctx, answered("canary-lesson", "canary-step", true, "canary-answer"))
	ring := lockbox.Keyring{Data: key}.Plain()
	if err := db.SetPrefs(ctx, map[string]string{"keyring": ring, "lang": "ti"}); err != nil {
		t.Fatal(err)
	}
	db.Record(ctx, learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "canary-sealed-note"})
	if err := db.Erase(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Progress(ctx); err == nil {
		t.Error("the store still reads after erase")
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 || files[0].Name() != "photo.jpg" {
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		t.Errorf("after erase the folder holds %v; want only the learner's own photo.jpg", names)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "photo.jpg")); string(got) != "a photo" {
		t.Error("erase touched another file")
	}
	if err := db.Close(); err != nil {
		t.Errorf("close after erase: %v", err)
	}
}

// TestRemovedMilestoneBlanksItsPayloads: removing an own milestone blanks
// its title and notes in every event about it, here and in events about it
// that arrive later from another device, leaving the facts and a
// tombstone.
func TestRemovedMilestoneBlanksItsPayloads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	evs, err := db.Record(ctx,
		learn.Event{Kind: learn.EventMilestoneAdded, Target: "own", Data: "canary-title"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "own", Data: "canary-note"},
		learn.Event{Kind: learn.EventMilestoneRemoved, Target: "own"},
	)
	if err != nil {
		t.Fatal(err)
	}
	// A note written on the laptop before the removal, synced after it.
	late := learn.Event{ID: learn.EventID{Device: "laptop", Epoch: "e", Seq: 1}, Clock: evs[1].Clock + 1, Kind: learn.EventMilestoneNote, Target: "own", Data: "canary-late-note"}
	if _, err := db.Apply(ctx, []learn.Event{late}, nil); err != nil {
		t.Fatal(err)
	}
	events := allEvents(t, db)
	for _, e := range events {
		if e.Data != "" {
			t.Errorf("%s still carries %q after removal", e.Kind, e.Data)
		}
	}
	if len(events) != 4 {
		t.Errorf("got %d events; erasure must leave the log's facts (and a tombstone)", len(events))
	}
	p, _ := db.Progress(ctx)
	if m := p.Milestones["own"]; !m.IsRemoved() || m.Title.Value != "" || m.Note.Value != "" {
		t.Errorf("milestone after removal: %+v", m)
	}
}

// TestAttackSwapSealedRecords moves sealed bodies between records in the
// file, as someone with the file could (to give one milestone another's
// note, say): nothing moved opens.
func TestAttackSwapSealedRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	db.Record(ctx,
		learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "note about the GP"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "housing", Data: "note about housing"})
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		// Event 1's body under event 2's id.
		`UPDATE sealed_events SET body = (SELECT body FROM sealed_events WHERE seq = 1) WHERE seq = 2`,
		// One state row's body under another's name.
		`UPDATE sealed_state SET body = (SELECT body FROM sealed_state ORDER BY id LIMIT 1) WHERE id = (SELECT id FROM sealed_state ORDER BY id DESC LIMIT 1)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db = open(t, path)
	if _, err := db.Events(ctx, learn.EventID{}, 0); !errors.Is(err, learn.ErrDamaged) {
		t.Errorf("a body moved to another event opened: %v", err)
	}
	if _, err := db.Progress(ctx); !errors.Is(err, learn.ErrDamaged) {
		t.Errorf("a body moved to another state row opened: %v", err)
	}
}
