package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/waymark-app/waymark/internal/learn"
)

// Legacy reports whether the file holds a 0.1 log, which only Upgrade
// opens: 0.1 kept the log and the nickname in plain text, and sealed only
// journey notes and own milestones' titles, one by one, with a data key of
// its own.
func (db *DB) Legacy(ctx context.Context) (bool, error) {
	var n int
	err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'legacy_events'`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("unlock: %w", err)
	}
	return n > 0, nil
}

// dropEmptyLegacy drops the 0.1 log table that the migrations leave on a
// new database, or on a 0.1 one with nothing to bring forward: no event,
// no nickname, no data key.
func (db *DB) dropEmptyLegacy(ctx context.Context) error {
	if has, err := db.Legacy(ctx); err != nil || !has {
		return err
	}
	var n int
	err := db.write.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM legacy_events) + (SELECT COUNT(*) FROM prefs WHERE key IN ('nickname', 'lock.key'))`).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	_, err = db.write.ExecContext(ctx, `DROP TABLE legacy_events`)
	return err
}

// Upgrade seals a 0.1 log and everything derived from it under box, in
// one transaction with prefs (the new keyring, and "" for each 0.1 setting
// that goes), and drops the plain tables: the nickname, a 0.1 setting,
// becomes an event, and openNote opens the notes and titles 0.1 sealed.
// Then it compacts the file, so no plain page is left in it, and the store
// is unlocked with box.
func (db *DB) Upgrade(ctx context.Context, box learn.Sealer, openNote func(sealed string) (string, error), prefs map[string]string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT device, epoch, seq, clock, kind, lesson, step, answer, correct, target, data
		FROM legacy_events ORDER BY device, epoch, seq`)
	if err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	var events []learn.Event
	for rows.Next() {
		var e learn.Event
		var clock int64
		var kind, answer string
		if err := rows.Scan(&e.ID.Device, &e.ID.Epoch, &e.ID.Seq, &clock, &kind, &e.Lesson, &e.Step, &answer, &e.Correct, &e.Target, &e.Data); err != nil {
			rows.Close()
			return fmt.Errorf("upgrade: %w", err)
		}
		e.Clock, e.Kind, e.Answer = learn.HLC(clock), learn.EventKind(kind), strings.Fields(answer)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	rows.Close()

	st := &stateTx{tx: tx, box: box}
	for _, e := range events {
		if (e.Kind == learn.EventMilestoneAdded || e.Kind == learn.EventMilestoneNote) && e.Data != "" {
			plain, err := openNote(e.Data)
			if err != nil {
				// A note that does not open is not made up: it is left out,
				// and the rest of the record comes forward.
				plain = ""
			}
			e.Data = plain
		}
		db.clock.Restore(e.Clock)
		if _, err := st.insert(ctx, e, learn.EncodeEvent(e)); err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
		if e.ID.Device == db.device {
			if err := st.unsent(ctx, e.ID); err != nil {
				return fmt.Errorf("upgrade: %w", err)
			}
		}
		if err := st.apply(ctx, e); err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
	}
	var nick string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM prefs WHERE key = 'nickname'`).Scan(&nick); {
	case err == nil && nick != "":
		e := learn.Event{ID: learn.EventID{Device: db.device, Epoch: db.epoch, Seq: 1}, Clock: db.clock.Tick(), Kind: learn.EventNickname, Data: nick}
		if err := db.recordIn(ctx, st, e); err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
	}
	all := map[string]string{"nickname": ""}
	for k, v := range prefs {
		all[k] = v
	}
	if err := setPrefs(ctx, tx, all); err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE legacy_events`); err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	db.mu.Lock()
	db.box = box
	db.mu.Unlock()
	return db.Compact(ctx)
}

// recordIn records one event of this device inside st's transaction,
// taking the next sequence number.
func (db *DB) recordIn(ctx context.Context, st *stateTx, e learn.Event) error {
	var seq int64
	if err := st.tx.QueryRowContext(ctx, `SELECT next_seq FROM device`).Scan(&seq); err != nil {
		return err
	}
	e.ID = learn.EventID{Device: db.device, Epoch: db.epoch, Seq: seq}
	if _, err := st.insert(ctx, e, learn.EncodeEvent(e)); err != nil {
		return err
	}
	if err := st.unsent(ctx, e.ID); err != nil {
		return err
	}
	if err := st.apply(ctx, e); err != nil {
		return err
	}
	_, err := st.tx.ExecContext(ctx, `UPDATE device SET next_seq = ?, clock = MAX(clock, ?)`, seq+1, int64(e.Clock))
	return err
}
