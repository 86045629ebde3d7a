package sqlite_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
)

// damages are what can happen to a file on a cheap phone's storage, a
// failing SD card, or a copy cut short.
var damages = map[string]func(data []byte) []byte{
	"truncated":           func(d []byte) []byte { return d[:len(d)/2+100] },
	"random header":       func(d []byte) []byte { rand.Read(d[:100]); return d },
	"zeroed first 64 KiB": func(d []byte) []byte { clear(d[:min(len(d), 64*1024)]); return d },
	"zeroed page mid-file": func(d []byte) []byte {
		page := 4096
		mid := (len(d) / page / 2) * page
		clear(d[mid : mid+page])
		return d
	},
	"last page zeroed": func(d []byte) []byte { clear(d[len(d)-4096:]); return d },
}

// damagedStore makes a store with some history, closes it, and damages
// its file.
func damagedStore(t *testing.T, damage func([]byte) []byte) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "waymark.db")
	db := open(t, path)
	for i := range 300 {
		db.Record(ctx, answered(fmt.Sprint("lesson-", i%30), fmt.Sprint("step-", i), i%2 == 0, "a"),
			learn.Event{Kind: learn.EventMilestoneNote, Target: fmt.Sprint("m", i%20), Data: fmt.Sprint("note ", i)})
	}
	db.SetPrefs(ctx, map[string]string{"lang": "ti"})
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, damage(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openAndRead opens, unlocks and reads everything, as the app does at
// start-up, returning the first error.
func openAndRead(path string) error {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Prefs(ctx); err != nil {
		return err
	}
	if err := db.Unlock(ctx, lockbox.NewBox(key)); err != nil {
		return err
	}
	if _, err := db.Progress(ctx); err != nil {
		return err
	}
	_, err = db.Events(ctx, learn.EventID{}, 0)
	return err
}

// TestAttackDamagedFile damages the database as storage does, and opens
// it: the damage is found (learn.ErrDamaged) before anything is written
// into it, and the file can be moved aside, never deleted.
func TestAttackDamagedFile(t *testing.T) {
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			path := damagedStore(t, damage)
			before, _ := os.ReadFile(path)
			err := openAndRead(path)
			if !errors.Is(err, learn.ErrDamaged) {
				t.Fatalf("damage not found: %v", err)
			}
			moved, err := sqlite.MoveAside(path, time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			kept, err := os.ReadFile(moved)
			if err != nil || string(kept) != string(before) {
				t.Errorf("the damaged file was not kept as it was at %s: %v", moved, err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a file is still at %s: %v", path, err)
			}
		})
	}
}
