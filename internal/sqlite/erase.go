package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Erase deletes the database: its file and the WAL, shared-memory and
// journal files SQLite keeps beside it, and nothing else. Each file is
// overwritten with zeros while SQLite still has it open (so the WAL is
// zeroed before SQLite, closing, would checkpoint and unlink it with its
// pages intact), then closed, overwritten again if SQLite wrote to it
// while closing, and removed. No new database is made: the store stays
// closed, and every later call fails, until the app opens one again.
// Nothing else may use the database during Erase.
func (db *DB) Erase(ctx context.Context) error {
	db.mu.Lock()
	db.box, db.erased = nil, true
	db.mu.Unlock()
	var errs []error
	for _, p := range Files(db.path) {
		errs = append(errs, zero(p))
	}
	errs = append(errs, db.read.Close(), db.write.Close())
	for _, p := range Files(db.path) {
		errs = append(errs, shred(p))
	}
	syncDir(filepath.Dir(db.path))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("erase: %w", err)
	}
	return nil
}

// zero overwrites a file with zeros, in place, and syncs it. A file that
// is not there is fine.
func zero(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err == nil {
		zeros := make([]byte, 64*1024)
		for left := fi.Size(); left > 0 && err == nil; left -= int64(len(zeros)) {
			_, err = f.Write(zeros[:min(int64(len(zeros)), left)])
		}
	}
	return errors.Join(err, f.Sync(), f.Close())
}

// shred zeroes a file and removes it. A file that is not there is fine.
func shred(path string) error {
	if err := zero(path); err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// syncDir makes a removal or rename durable, where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Aside lists the databases MoveAside moved out of the way beside path:
// they hold the learner's record too, and Delete everything deletes them.
func Aside(path string) []string {
	matches, _ := filepath.Glob(path + ".damaged-*")
	var out []string
	for _, m := range matches {
		if !strings.HasSuffix(m, "-wal") && !strings.HasSuffix(m, "-shm") && !strings.HasSuffix(m, "-journal") {
			out = append(out, m)
		}
	}
	return out
}

// Shred overwrites a database moved aside, and the files beside it, with
// zeros and removes them.
func Shred(path string) error {
	var errs []error
	for _, p := range Files(path) {
		errs = append(errs, shred(p))
	}
	return errors.Join(errs...)
}

// MoveAside renames a damaged database and the files beside it out of the
// way, never deleting them (someone may be able to recover them), so that
// a new one can be made at path. It returns the new name of the database.
func MoveAside(path string, now time.Time) (string, error) {
	dest := fmt.Sprintf("%s.damaged-%s", path, now.UTC().Format("20060102-150405"))
	for i := 2; ; i++ {
		if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dest = fmt.Sprintf("%s.damaged-%s-%d", path, now.UTC().Format("20060102-150405"), i)
	}
	for i, p := range Files(path) {
		err := os.Rename(p, Files(dest)[i])
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("move aside: %w", err)
		}
	}
	syncDir(filepath.Dir(path))
	return dest, nil
}
