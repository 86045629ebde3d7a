// Package sqlite is Waymark's local store on SQLite (modernc.org/sqlite, no
// cgo): the append-only progress log, the state derived from it, and the
// device's settings.
//
// Everything about the learner (the log and its state) is sealed at rest
// under the device's data key, given to Unlock; only the device's
// settings are plain (prefs), because the app needs them before it is
// unlocked: the language, text size, the lock itself.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/waymark-app/waymark/internal/learn"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Pragmas every connection gets, through the DSN: busy_timeout first, so
// the others never fail with SQLITE_BUSY; WAL so reads never wait for the
// writer; foreign keys; synchronous=FULL, so a committed answer survives
// a power cut (see BENCHMARKS.md for its cost); secure_delete, so a
// deleted or overwritten record (an old key, a removed note) is zeroed in
// the file rather than left in a free page; and temporary tables in
// memory, so that no temporary file holds a copy of anything.
var pragmas = []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)", "secure_delete(1)", "temp_store(2)"}

// DB is the local store. Its methods are safe for concurrent use; writes go
// through one connection, reads through a small pool.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	clock *learn.Clock

	mu     sync.RWMutex
	box    learn.Sealer // nil while locked
	device string
	epoch  string
	erased bool
}

// Options adjust Open; the zero value is what the app uses.
type Options struct {
	// Now is the wall clock (time.Now if nil).
	Now func() time.Time
}

// Open opens (creating if needed) the database at path, checks that it is
// whole, brings its schema up to date and starts a new epoch. A file that
// is not a database or is damaged gives an error wrapping
// learn.ErrDamaged, and is left as it was. The learner's record stays
// sealed until Unlock.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	// Errors never name the path: it holds the name of the device's user.
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open database: %w: the path may not contain ? or #", learn.ErrInvalid)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := ownerOnly(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	q := url.Values{"_pragma": pragmas}
	w, err := sql.Open("sqlite", path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	w.SetMaxOpenConns(1) // one writer
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, write: w, now: opt.Now, clock: learn.NewClock(opt.Now)}
	if err := db.check(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := migrate(ctx, w, migrationFS, "migrations"); err != nil {
		w.Close()
		return nil, damaged(err)
	}
	if err := db.dropEmptyLegacy(ctx); err != nil {
		w.Close()
		return nil, damaged(err)
	}
	db.read, err = sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.read.SetMaxOpenConns(4)
	if err := db.initDevice(ctx); err != nil {
		db.Close()
		return nil, damaged(err)
	}
	return db, nil
}

// ownerOnly makes the database's files readable by this user only,
// creating the database file so: SQLite gives its WAL and other files the
// main file's permissions.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range Files(path) {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Files lists the files that make up the database at path: the database
// itself and the files SQLite keeps beside it (they may not exist).
func Files(path string) []string {
	return []string{path, path + "-wal", path + "-shm", path + "-journal"}
}

// check reads the whole file's structure (quick_check): a damaged file is
// found when the app starts, not after it has written more into it.
func (db *DB) check(ctx context.Context) error {
	rows, err := db.write.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return damaged(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return damaged(err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return damaged(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: quick_check: %s", learn.ErrDamaged, strings.Join(problems, "; "))
	}
	return nil
}

// damaged wraps SQLite's "not a database" and "malformed" errors as
// learn.ErrDamaged, and passes every other error on unchanged.
func damaged(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %w", learn.ErrDamaged, err)
		}
	}
	return err
}

// Close closes the database. Every committed write is on disk.
func (db *DB) Close() error {
	db.Lock()
	db.mu.RLock()
	erased := db.erased
	db.mu.RUnlock()
	if erased {
		return nil // Erase closed it
	}
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// initDevice makes the device row on a new database, and starts a new
// epoch every time the database is opened. An epoch is a random id, so
// event ids can never repeat, whatever happens to the file: restored from
// a backup in place, copied to another device, opened from another path,
// on any platform. (The cost is an epoch per start, a few bytes per sync.)
func (db *DB) initDevice(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("init device: %w", err)
	}
	defer tx.Rollback()
	var clock int64
	device, epoch := "", randomID()
	err = tx.QueryRowContext(ctx, `SELECT id, clock FROM device`).Scan(&device, &clock)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		device = randomID()
		_, err = tx.ExecContext(ctx, `INSERT INTO device (singleton, id, epoch, next_seq, clock, file_id) VALUES (1, ?, ?, 1, 0, '')`, device, epoch)
	case err != nil:
	default:
		_, err = tx.ExecContext(ctx, `UPDATE device SET epoch = ?, next_seq = 1`, epoch)
	}
	if err != nil {
		return fmt.Errorf("init device: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("init device: %w", err)
	}
	db.clock.Restore(learn.HLC(clock))
	db.device, db.epoch = device, epoch
	return nil
}

// Device returns the device id and current epoch.
func (db *DB) Device() (device, epoch string) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.device, db.epoch
}

// Clock returns the store's clock: the one clock that stamps this device's
// events, so that what the interface shows and what is stored agree.
func (db *DB) Clock() *learn.Clock { return db.clock }

func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}
