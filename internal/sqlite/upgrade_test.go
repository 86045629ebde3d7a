package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
)

// v01 makes a database as version 0.1 left it: the first three
// migrations, a plain log, plain derived state, a plain nickname and the
// data key that sealed notes.
func v01(t *testing.T, path string, dataKey lockbox.Key) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	must := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	must(`CREATE TABLE migrations (name TEXT PRIMARY KEY) WITHOUT ROWID`)
	for _, name := range []string{"0001_progress.sql", "0002_phrases.sql", "0003_journey.sql"} {
		script, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		must(string(script))
		must(`INSERT INTO migrations (name) VALUES (?)`, name)
	}
	must(`INSERT INTO device (singleton, id, epoch, next_seq, clock, file_id) VALUES (1, 'dev01', 'ep01', 4, 1000, 'x')`)
	note := base64.RawStdEncoding.EncodeToString(lockbox.Seal(dataKey, []byte("canary-old-note"), nil))
	c := learn.NewHLC(1_790_000_000_000, 0)
	must(`INSERT INTO events (device, epoch, seq, clock, kind, lesson, step, answer, correct, target, data) VALUES
		('dev01', 'ep01', 1, ?, 'answer', 'canary-lesson', 'q1', 'canary-answer', 1, '', ''),
		('dev01', 'ep01', 2, ?, 'milestone.note', '', '', '', 0, 'gp', ?),
		('dev01', 'ep01', 3, ?, 'milestone.done', '', '', '', 1, 'gp', '2026-02-03')`, int64(c), int64(c+1), note, int64(c+2))
	must(`INSERT INTO lesson_state VALUES ('canary-lesson', 'q1', ?, 'dev01', ?, ?, 0)`, int64(c), int64(c), int64(c))
	must(`INSERT INTO prefs VALUES ('nickname', 'canary-nick'), ('lock.key', ?), ('lang', 'ar')`,
		"plain$"+base64.RawStdEncoding.EncodeToString(dataKey[:]))
}

// TestUpgradeFromV01 opens a 0.1 database: it asks for the key, then
// seals everything, keeps every fact and note, and leaves nothing of the
// old plain record in the files.
func TestUpgradeFromV01(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "waymark.db")
	oldKey := lockbox.NewKey()
	v01(t, path, oldKey)

	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	newKey := lockbox.NewKey()
	if err := db.Unlock(ctx, lockbox.NewBox(newKey)); !errors.Is(err, learn.ErrLocked) {
		t.Fatalf("a 0.1 log unlocked without its old key: %v", err)
	}
	ring := lockbox.Keyring{Data: newKey}.Plain()
	openNote := func(s string) (string, error) {
		b, err := lockbox.OpenLegacy(oldKey, s)
		return string(b), err
	}
	if err := db.Upgrade(ctx, lockbox.NewBox(newKey), openNote, map[string]string{"lock.key": "", "keyring": ring}); err != nil {
		t.Fatal(err)
	}
	p, err := db.Progress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st := p.Step("canary-lesson", "q1"); st.Attempts != 1 || !st.Correct {
		t.Errorf("step after upgrade: %+v", st)
	}
	if m := p.Milestones["gp"]; m.Note.Value != "canary-old-note" || m.Date() != "2026-02-03" {
		t.Errorf("milestone after upgrade: %+v", m)
	}
	if p.Nickname.Value != "canary-nick" {
		t.Errorf("nickname after upgrade: %+v", p.Nickname)
	}
	prefs, _ := db.Prefs(ctx)
	if prefs["lang"] != "ar" || prefs["keyring"] != ring || prefs["lock.key"] != "" || prefs["nickname"] != "" {
		t.Errorf("prefs after upgrade: %v", prefs)
	}
	db.Close()
	if found := filesHold(t, dir, []byte("canary"), []byte("2026-02-03")); len(found) > 0 {
		t.Errorf("plain text left after upgrade: %v", found)
	}
	// It opens again as a 0.2 database.
	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unlock(ctx, lockbox.NewBox(newKey)); err != nil {
		t.Fatal(err)
	}
	if n := len(allEvents(t, db)); n != 4 {
		t.Errorf("%d events after reopen, want 3 from 0.1 and the nickname", n)
	}
}

func TestFilesAreTheOwnersOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "waymark.db")
	db := open(t, path)
	db.Record(context.Background(), shown("a", "1"))
	for _, p := range sqlite.Files(path) {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, readable by others", filepath.Base(p), perm)
		}
	}
}
