package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// migrate applies, in order and each in its own transaction, every
// migration in dir of fsys not yet applied to db. Shipped migrations are
// never edited; a change is a new, higher-numbered file. The local store
// and the server store each have their own folder (and database).
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS, dir string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrateFile(ctx, db, fsys, name); err != nil {
			return fmt.Errorf("migrate %s: %w", path.Base(name), err)
		}
	}
	return nil
}

func migrateFile(ctx context.Context, db *sql.DB, fsys fs.FS, name string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, path.Base(name)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	script, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name) VALUES (?)`, path.Base(name)); err != nil {
		return err
	}
	return tx.Commit()
}
