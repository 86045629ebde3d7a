// Package sqlite is Waymark's local store on SQLite (modernc.org/sqlite, no
// cgo): the append-only progress log, the state derived from it, and the
// device's settings.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Pragmas every connection gets, through the DSN: busy_timeout first, so
// the others never fail with SQLITE_BUSY; WAL so reads never wait for the
// writer; foreign keys; and synchronous=FULL, so a committed answer
// survives a power cut (see BENCHMARKS.md for its cost).
var pragmas = []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)"}

// DB is the local store. Its methods are safe for concurrent use; writes go
// through one connection, reads through a small pool.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	clock *learn.Clock
}

// Options adjust Open; the zero value is what the app uses.
type Options struct {
	// Now is the wall clock (time.Now if nil).
	Now func() time.Time
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open %q: %w: the path may not contain ? or #", path, learn.ErrInvalid)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	q := url.Values{"_pragma": pragmas}
	w, err := sql.Open("sqlite", path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	w.SetMaxOpenConns(1) // one writer
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, write: w, now: opt.Now, clock: learn.NewClock(opt.Now)}
	if err := migrate(ctx, w, migrationFS, "migrations"); err != nil {
		w.Close()
		return nil, err
	}
	db.read, err = sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	db.read.SetMaxOpenConns(4)
	if err := db.initDevice(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database. Every committed write is on disk.
func (db *DB) Close() error {
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
// epoch when the file is not the one the current epoch began in (restored
// from a backup, or copied to another device).
func (db *DB) initDevice(ctx context.Context) error {
	id := fileID(db.path)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("init device: %w", err)
	}
	defer tx.Rollback()
	var fid string
	var clock int64
	err = tx.QueryRowContext(ctx, `SELECT file_id, clock FROM device`).Scan(&fid, &clock)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO device (singleton, id, epoch, next_seq, clock, file_id) VALUES (1, ?, ?, 1, 0, ?)`,
			randomID(), randomID(), id)
	case err != nil:
	case fid != id:
		_, err = tx.ExecContext(ctx, `UPDATE device SET epoch = ?, next_seq = 1, file_id = ?`, randomID(), id)
	}
	if err != nil {
		return fmt.Errorf("init device: %w", err)
	}
	db.clock.Observe(learn.HLC(clock))
	return tx.Commit()
}

// Device returns the device id and current epoch.
func (db *DB) Device(ctx context.Context) (device, epoch string, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT id, epoch FROM device`).Scan(&device, &epoch)
	if err != nil {
		return "", "", fmt.Errorf("device: %w", err)
	}
	return device, epoch, nil
}

func randomID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}
