package sqlite_test

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/waymark-app/waymark/internal/sqlite"
)

// marker is written into every record the test makes, to scan for.
const marker = "Found a safe place to live 4f9c"

// laptop is a shared laptop's data folder as the app leaves it: the
// owner's record, trainer mode's profile, a hub's store and certificate,
// two learners' records, and a file of the user's own.
type laptop struct {
	dir      string
	dev      sqlite.Device
	own      string   // the device's own record
	learners []string // ids
}

func sharedLaptop(t *testing.T) *laptop {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "waymark.db")
	l := &laptop{dir: dir, own: dbPath, dev: sqlite.Device{Trainer: filepath.Join(dir, "trainer.db"), Hub: filepath.Join(dir, "hub"),
		Profiles: &sqlite.Profiles{Main: dbPath}}}
	record := func(path string) {
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPrefs(ctx, map[string]string{"nickname": marker}); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	record(dbPath)
	record(l.dev.Trainer)
	if err := os.MkdirAll(l.dev.Hub, 0o700); err != nil {
		t.Fatal(err)
	}
	record(filepath.Join(l.dev.Hub, "hub.db"))
	if err := os.WriteFile(filepath.Join(l.dev.Hub, "hub-key.pem"), []byte(marker), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := l.dev.Profiles.SetShared(true); err != nil {
		t.Fatal(err)
	}
	for _, nick := range []string{"Amber", "Birch"} {
		id, err := l.dev.Profiles.Create(nick)
		if err != nil {
			t.Fatal(err)
		}
		p, err := l.dev.Profiles.Path(id)
		if err != nil {
			t.Fatal(err)
		}
		record(p)
		l.learners = append(l.learners, id)
	}
	if err := os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("a photo of the family"), 0o600); err != nil {
		t.Fatal(err)
	}
	return l
}

// files lists every file under the folder, with whether it holds marker.
func (l *laptop) files(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(l.dir, p)
		out[filepath.ToSlash(rel)] = bytes.Contains(b, []byte(marker))
		return nil
	})
	return out
}

// TestAttackOwnerEraseLeavesNothing: the laptop's owner chooses Delete
// everything; then someone copies the folder and scans its bytes. Nothing
// of the owner's, trainer mode's, the hub's or any learner's record is
// left, and the user's own photo is untouched.
func TestAttackOwnerEraseLeavesNothing(t *testing.T) {
	l := sharedLaptop(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, l.own, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.dev.Erase(ctx, db, l.own, ""); err != nil {
		t.Fatal(err)
	}
	got := l.files(t)
	if len(got) != 1 || got["photo.jpg"] {
		t.Errorf("after Delete everything the folder holds %v; want only photo.jpg", got)
	}
	if b, err := os.ReadFile(filepath.Join(l.dir, "photo.jpg")); err != nil || string(b) != "a photo of the family" {
		t.Errorf("the user's photo: %q, %v", b, err)
	}
}

// TestAttackSharedLearnerEraseTakesOnlyTheirs: one learner of a shared
// laptop deletes everything; their record is gone, and nobody else's is
// touched (an erase is never a way to destroy another learner's record,
// the trainer's or the owner's).
func TestAttackSharedLearnerEraseTakesOnlyTheirs(t *testing.T) {
	l := sharedLaptop(t)
	ctx := context.Background()
	before := l.files(t)
	amber, err := l.dev.Profiles.Path(l.learners[0])
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, amber, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.dev.Erase(ctx, db, amber, l.learners[0]); err != nil {
		t.Fatal(err)
	}
	after := l.files(t)
	gone := "learners/" + l.learners[0] + ".db"
	if _, ok := after[gone]; ok {
		t.Errorf("the learner's record %s is still there", gone)
	}
	for name, held := range before {
		if name == gone {
			continue
		}
		if _, ok := after[name]; !ok && held {
			t.Errorf("another's file %s was deleted", name)
		}
	}
	for _, keep := range []string{"waymark.db", "trainer.db", "hub/hub.db", "hub/hub-key.pem", "learners/" + l.learners[1] + ".db", "learners.json", "photo.jpg"} {
		if _, ok := after[keep]; !ok {
			t.Errorf("%s was deleted; kept: %v", keep, slices.Sorted(maps.Keys(after)))
		}
	}
}
