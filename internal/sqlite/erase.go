package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Erase deletes the database: its file and the WAL, shared-memory and
// journal files SQLite keeps beside it. Each is overwritten with zeros
// before it is removed, so no page of it stays readable in the folder.
// Then Erase opens a new, empty database at the same path, with a new
// device id and epoch. Nothing else may use the database during Erase.
func (db *DB) Erase(ctx context.Context) error {
	if err := db.Close(); err != nil {
		return fmt.Errorf("erase: %w", err)
	}
	var errs []error
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		errs = append(errs, shred(db.path+suffix))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("erase: %w", err)
	}
	syncDir(filepath.Dir(db.path))
	fresh, err := Open(ctx, db.path, Options{Now: db.now})
	if err != nil {
		return fmt.Errorf("erase: reopen: %w", err)
	}
	*db = *fresh
	return nil
}

// shred overwrites a file with zeros, syncs it and removes it. A file
// that is not there is fine.
func shred(path string) error {
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
	err = errors.Join(err, f.Sync(), f.Close())
	return errors.Join(err, os.Remove(path))
}

// syncDir makes a removal durable, where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
