package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/waymark-app/waymark/internal/learn"
)

// Unsent returns up to limit of this device's events not yet sealed into a
// chunk for sync, in order of their ids (by epoch, then sequence number).
func (db *DB) Unsent(ctx context.Context, limit int) ([]learn.Event, error) {
	box, err := db.sealer()
	if err != nil {
		return nil, fmt.Errorf("unsent: %w", err)
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.read.QueryContext(ctx, `SELECT e.device, e.epoch, e.seq, e.body FROM unsent u
		JOIN sealed_events e ON e.device = ? AND e.epoch = u.epoch AND e.seq = u.seq
		ORDER BY u.epoch, u.seq LIMIT ?`, db.device, limit)
	if err != nil {
		return nil, fmt.Errorf("unsent: %w", err)
	}
	defer rows.Close()
	var out []learn.Event
	for rows.Next() {
		e, err := scanEvent(rows, box)
		if err != nil {
			return nil, fmt.Errorf("unsent: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Enqueue keeps chunks sealed for the sync server, and takes their events
// off the unsent list, in one transaction: every event is either unsent or
// in exactly one chunk.
func (db *DB) Enqueue(ctx context.Context, chunks []learn.Chunk) error {
	box, err := db.sealer()
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	defer tx.Rollback()
	for _, c := range chunks {
		if c.Epoch == "" || c.From < 1 || c.To < c.From || len(c.Body) == 0 {
			return fmt.Errorf("enqueue: %w: chunk %s %d..%d", learn.ErrInvalid, c.Epoch, c.From, c.To)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (epoch, from_seq, to_seq, body) VALUES (?, ?, ?, ?)`,
			c.Epoch, c.From, c.To, box.Seal(c.Body, c.AD())); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM unsent WHERE epoch = ? AND seq BETWEEN ? AND ?`, c.Epoch, c.From, c.To); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// Outbox returns the chunks waiting for the server's acknowledgement, in
// order.
func (db *DB) Outbox(ctx context.Context) ([]learn.Chunk, error) {
	box, err := db.sealer()
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT epoch, from_seq, to_seq, body FROM outbox ORDER BY epoch, from_seq`)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	defer rows.Close()
	var out []learn.Chunk
	for rows.Next() {
		var c learn.Chunk
		var sealed []byte
		if err := rows.Scan(&c.Epoch, &c.From, &c.To, &sealed); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		if c.Body, err = box.Open(sealed, c.AD()); err != nil {
			return nil, fmt.Errorf("outbox: %w: a chunk does not open", learn.ErrDamaged)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Acked drops chunks the server acknowledged (by epoch and first
// sequence number).
func (db *DB) Acked(ctx context.Context, chunks []learn.Chunk) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("acked: %w", err)
	}
	defer tx.Rollback()
	for _, c := range chunks {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE epoch = ? AND from_seq = ?`, c.Epoch, c.From); err != nil {
			return fmt.Errorf("acked: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("acked: %w", err)
	}
	return nil
}

// Requeue takes a chunk out of the outbox and puts its events back on the
// unsent list, to be sealed again (under a new epoch's ids: see
// RenumberUnsent).
func (db *DB) Requeue(ctx context.Context, c learn.Chunk) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("requeue: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE epoch = ? AND from_seq = ?`, c.Epoch, c.From); err != nil {
		return fmt.Errorf("requeue: %w", err)
	}
	for seq := c.From; seq <= c.To; seq++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO unsent (epoch, seq) VALUES (?, ?) ON CONFLICT DO NOTHING`, c.Epoch, seq); err != nil {
			return fmt.Errorf("requeue: %w", err)
		}
	}
	return tx.Commit()
}

func resealOutbox(ctx context.Context, tx *sql.Tx, old, box learn.Sealer) error {
	rows, err := tx.QueryContext(ctx, `SELECT epoch, from_seq, to_seq, body FROM outbox`)
	if err != nil {
		return err
	}
	var all []learn.Chunk
	for rows.Next() {
		var c learn.Chunk
		var sealed []byte
		if err := rows.Scan(&c.Epoch, &c.From, &c.To, &sealed); err != nil {
			rows.Close()
			return err
		}
		if c.Body, err = old.Open(sealed, c.AD()); err != nil {
			rows.Close()
			return fmt.Errorf("%w: a chunk does not open", learn.ErrDamaged)
		}
		all = append(all, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, c := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET body = ? WHERE epoch = ? AND from_seq = ?`, box.Seal(c.Body, c.AD()), c.Epoch, c.From); err != nil {
			return err
		}
	}
	return nil
}

// Waiting counts this device's events not yet acknowledged by the sync
// server: unsent, or in a chunk waiting for its answer.
func (db *DB) Waiting(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM unsent) + (SELECT COALESCE(SUM(to_seq - from_seq + 1), 0) FROM outbox)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("waiting: %w", err)
	}
	return n, nil
}
