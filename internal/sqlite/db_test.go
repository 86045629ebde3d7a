package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/sqlite"
)

func open(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
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

	events, err := db.Events(ctx)
	if err != nil {
		t.Fatalf("events: %v", err)
	}
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
	events, _ := db.Events(ctx)
	if len(events) != 0 {
		t.Errorf("got %d events after a rejected batch, want 0", len(events))
	}
	p, _ := db.Progress(ctx)
	if len(p.Lessons) != 0 {
		t.Errorf("got state %v after a rejected batch, want none", p.Lessons)
	}
}

func TestSequenceContinuesAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	first, _ := db.Record(ctx, shown("a", "1"), shown("a", "2"))
	db.Close()
	db = open(t, path)
	next, err := db.Record(ctx, shown("a", "3"))
	if err != nil {
		t.Fatal(err)
	}
	if next[0].ID.Epoch != first[0].ID.Epoch || next[0].ID.Seq != 3 {
		t.Errorf("after reopen: got %+v, want same epoch, seq 3", next[0].ID)
	}
	if next[0].Clock <= first[1].Clock {
		t.Errorf("clock went back after reopen: %d <= %d", next[0].Clock, first[1].Clock)
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
	a, _ := db.Record(ctx, shown("a", "1"))
	db.Close()
	wall = wall.Add(-time.Hour) // the learner sets the phone's clock back
	db, err = sqlite.Open(ctx, path, sqlite.Options{Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, _ := db.Record(ctx, shown("a", "2"))
	if b[0].Clock <= a[0].Clock {
		t.Errorf("clock went back: %d <= %d", b[0].Clock, a[0].Clock)
	}
	p, _ := db.Progress(ctx)
	if got := p.Lesson("a").Step; got != "2" {
		t.Errorf("resume position: got %q, want the latest step 2", got)
	}
}

func TestCopiedFileStartsNewEpoch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, filepath.Join(dir, "waymark.db"))
	orig, _ := db.Record(ctx, shown("a", "1"))
	db.Close()

	// A backup restored, or the file copied to another phone.
	data, err := os.ReadFile(filepath.Join(dir, "waymark.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "copy.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	cp := open(t, filepath.Join(dir, "copy.db"))
	got, err := cp.Record(ctx, shown("a", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].ID.Epoch == orig[0].ID.Epoch {
		t.Errorf("copy kept epoch %s: its events would clash with the original's", got[0].ID.Epoch)
	}
	if got[0].ID.Seq != 1 {
		t.Errorf("new epoch: got seq %d, want 1", got[0].ID.Seq)
	}
	p, _ := cp.Progress(ctx)
	if p.Lesson("a").Step != "2" {
		t.Errorf("copy lost its progress: %+v", p.Lesson("a"))
	}
}

func TestPrefs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	if err := db.SetPref(ctx, "lang", "sq"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPref(ctx, "lang", "vi"); err != nil {
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

func crashWriter(path string) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
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
		fmt.Fprintln(w, "committed", evs[len(evs)-1].ID.Seq)
		w.Flush()
	}
}

func TestKilledMidWriteLosesNoCommittedEvent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
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
			if len(f) == 2 && f[0] == "committed" {
				committed, _ = strconv.ParseInt(f[1], 10, 64)
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
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		var check string
		raw, _ := sql.Open("sqlite", path)
		if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check: %q, %v", round, check, err)
		}
		raw.Close()
		events, err := db.Events(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var max int64
		for _, e := range events {
			max = e.ID.Seq
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
	events, _ := db.Events(ctx)
	want := learn.ReplayPhrases(events)
	if len(p.Phrases) != 2 {
		t.Fatalf("got %d phrases, want 2", len(p.Phrases))
	}
	for ref, s := range want {
		if p.Phrases[ref] != s {
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

func TestEraseLeavesNothingReadable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "waymark.db")
	db := open(t, path)
	first, _ := db.Record(ctx, answered("canary-lesson", "canary-step", true, "canary-answer"))
	if err := db.SetPrefs(ctx, map[string]string{"nickname": "canary-nickname"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Record(ctx, learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "canary-sealed-note"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Erase(ctx); err != nil {
		t.Fatal(err)
	}
	// The store works again, empty, as a new install.
	p, err := db.Progress(ctx)
	if err != nil || len(p.Lessons) != 0 || len(p.Milestones) != 0 {
		t.Fatalf("after erase: %v %+v", err, p)
	}
	again, err := db.Record(ctx, shown("a", "1"))
	if err != nil {
		t.Fatal(err)
	}
	if again[0].ID.Device == first[0].ID.Device || again[0].ID.Seq != 1 {
		t.Errorf("after erase the device is the same: %+v vs %+v", again[0].ID, first[0].ID)
	}
	prefs, _ := db.Prefs(ctx)
	if len(prefs) != 0 {
		t.Errorf("prefs survive erase: %v", prefs)
	}
	db.Close()
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		data, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		for _, c := range []string{"canary-lesson", "canary-answer", "canary-nickname", "canary-sealed-note"} {
			if bytes.Contains(data, []byte(c)) {
				t.Errorf("%s still holds %q after erase", f.Name(), c)
			}
		}
	}
}

func TestRemovedMilestoneBlanksItsPayloads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	_, err := db.Record(ctx,
		learn.Event{Kind: learn.EventMilestoneAdded, Target: "own", Data: "canary-title"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "own", Data: "canary-note"},
		learn.Event{Kind: learn.EventMilestoneRemoved, Target: "own"},
	)
	if err != nil {
		t.Fatal(err)
	}
	events, _ := db.Events(ctx)
	for _, e := range events {
		if e.Data != "" {
			t.Errorf("%s still carries %q after removal", e.Kind, e.Data)
		}
	}
	if len(events) != 3 {
		t.Errorf("got %d events; erasure must leave the log's facts (and a tombstone)", len(events))
	}
}
