package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
)

// isTrainer reports whether learner is one of group's trainers.
func isTrainer(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, group, learner relay.ID) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM group_trainers WHERE group_id = ? AND learner = ?`, group[:], learner[:]).Scan(&n)
	return n > 0, err
}

// inTx runs fn in a write transaction and commits it; op names the
// operation in errors.
func (s *Relay) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// mustTrainer fails with ErrNotFound unless learner is a trainer of group.
func mustTrainer(ctx context.Context, tx *sql.Tx, group, learner relay.ID) error {
	ok, err := isTrainer(ctx, tx, group, learner)
	if err != nil {
		return err
	}
	if !ok {
		return relay.ErrNotFound
	}
	return nil
}

// CreateGroup stores a new group with its first trainer.
func (s *Relay) CreateGroup(ctx context.Context, trainer relay.ID, g relay.Group) error {
	return s.inTx(ctx, "create group", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM group_trainers WHERE learner = ?`, trainer[:]).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxGroupsPerTrainer {
			return relay.ErrLimit
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO groups (id, created) VALUES (?, ?)`, g.ID[:], ms(g.Created)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO group_trainers (group_id, learner, added) VALUES (?, ?, ?)`, g.ID[:], trainer[:], ms(g.Created))
		return err
	})
}

// DeleteGroup deletes a group and everything of it but its aggregates.
func (s *Relay) DeleteGroup(ctx context.Context, trainer, group relay.ID) error {
	err := s.inTx(ctx, "delete group", func(tx *sql.Tx) error {
		if err := mustTrainer(ctx, tx, group, trainer); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM groups WHERE id = ?`, group[:])
		return err
	})
	if err == nil {
		s.scrub(ctx)
	}
	return err
}

// CreateJoinCode stores a join code of a group.
func (s *Relay) CreateJoinCode(ctx context.Context, trainer relay.ID, c relay.JoinCode) error {
	return s.inTx(ctx, "create join code", func(tx *sql.Tx) error {
		if err := mustTrainer(ctx, tx, c.Group, trainer); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM join_codes WHERE lookup = ? AND expires <= ?`, c.Lookup, ms(c.Created)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM join_codes WHERE group_id = ? AND expires > ?`, c.Group[:], ms(c.Created)).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxLiveCodes {
			return relay.ErrLimit
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO join_codes (lookup, group_id, verifier, blob, expires, revoked, tries, created)
			VALUES (?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT DO NOTHING`, c.Lookup, c.Group[:], c.Verifier[:], nonNil(c.Blob), ms(c.Expires), ms(c.Created))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return relay.ErrConflict
		}
		return nil
	})
}

// RevokeJoinCode revokes a join code of a group.
func (s *Relay) RevokeJoinCode(ctx context.Context, trainer, group relay.ID, lookup string) error {
	return s.inTx(ctx, "revoke join code", func(tx *sql.Tx) error {
		if err := mustTrainer(ctx, tx, group, trainer); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE join_codes SET revoked = 1 WHERE lookup = ? AND group_id = ?`, lookup, group[:])
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return relay.ErrNotFound
		}
		return nil
	})
}

// Join checks a join code and, with Commit, makes the membership.
func (s *Relay) Join(ctx context.Context, r relay.JoinRequest) (relay.JoinCode, relay.Membership, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
	}
	defer tx.Rollback()
	c := relay.JoinCode{Lookup: r.Lookup}
	var group, verifier []byte
	var expires, created int64
	err = tx.QueryRowContext(ctx, `SELECT group_id, verifier, blob, expires, revoked, tries, created FROM join_codes WHERE lookup = ?`, r.Lookup).
		Scan(&group, &verifier, &c.Blob, &expires, &c.Revoked, &c.Tries, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", relay.ErrNotFound)
	}
	if err != nil {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
	}
	copy(c.Group[:], group)
	copy(c.Verifier[:], verifier)
	c.Expires, c.Created = fromMS(expires), fromMS(created)
	if c.Revoked || !r.Now.Before(c.Expires) {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", relay.ErrNotFound)
	}
	if !r.Verify(c.Verifier) {
		// Counted and kept even though the join fails.
		if _, err := tx.ExecContext(ctx, `UPDATE join_codes SET tries = tries + 1, revoked = (tries + 1 >= ?) WHERE lookup = ?`, relay.JoinTries, r.Lookup); err != nil {
			return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
		}
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", relay.ErrUnauthorized)
	}
	m := relay.Membership{Group: c.Group, Learner: r.Learner}
	if !r.Commit {
		return c, m, nil
	}
	var member []byte
	var joined int64
	err = tx.QueryRowContext(ctx, `SELECT id, joined FROM members WHERE group_id = ? AND learner = ?`, c.Group[:], r.Learner[:]).Scan(&member, &joined)
	switch {
	case err == nil:
		copy(m.Member[:], member)
		m.Joined = fromMS(joined)
		return c, m, nil
	case !errors.Is(err, sql.ErrNoRows):
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
	}
	var inGroup, ofLearner int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM members WHERE group_id = ?), (SELECT COUNT(*) FROM members WHERE learner = ?)`,
		c.Group[:], r.Learner[:]).Scan(&inGroup, &ofLearner); err != nil {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
	}
	if inGroup >= relay.MaxMembers || ofLearner >= relay.MaxGroupsPerLearner {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", relay.ErrLimit)
	}
	m.Member, m.Joined = r.Member, r.Now
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (group_id, id, learner, joined) VALUES (?, ?, ?, ?)`,
		c.Group[:], m.Member[:], r.Learner[:], ms(r.Now)); err != nil {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return relay.JoinCode{}, relay.Membership{}, fmt.Errorf("join: %w", err)
	}
	return c, m, nil
}

// PutShare replaces a member's share.
func (s *Relay) PutShare(ctx context.Context, learner, group relay.ID, blob []byte) error {
	return s.inTx(ctx, "put share", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE group_id = ? AND learner = ?`, group[:], learner[:]).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return relay.ErrNotFound
		}
		var pos int64
		if err := tx.QueryRowContext(ctx, `UPDATE groups SET last_pos = last_pos + 1 WHERE id = ? RETURNING last_pos`, group[:]).Scan(&pos); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE members SET share = ?, pos = ? WHERE group_id = ? AND learner = ?`, nonNil(blob), pos, group[:], learner[:])
		return err
	})
}

// Leave ends a membership and deletes its share: overwritten in the file
// (secure_delete), and its older copies in the WAL are gone once the WAL
// is checkpointed, at once if no reader holds it up, else at the next
// Purge.
func (s *Relay) Leave(ctx context.Context, learner, group relay.ID) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM members WHERE group_id = ? AND learner = ?`, group[:], learner[:])
	if err != nil {
		return fmt.Errorf("leave: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("leave: %w", relay.ErrNotFound)
	}
	s.scrub(ctx)
	return nil
}

// scrub copies the WAL into the database and empties it, so that pages
// written before a deletion (a share, a learner's chunks) are not left in
// the WAL file. A reader holding the WAL makes it wait for the next try
// (Purge, every minute): it never blocks the caller for long.
func (s *Relay) scrub(ctx context.Context) {
	var busy, frames, done int
	s.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done)
}

// Shares returns a group's members and its shares after q.After.
func (s *Relay) Shares(ctx context.Context, q relay.ShareQuery) (relay.SharePage, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return relay.SharePage{}, fmt.Errorf("shares: %w", err)
	}
	defer tx.Rollback()
	var page relay.SharePage
	err = func() error {
		ok, err := isTrainer(ctx, tx, q.Group, q.Trainer)
		if err != nil {
			return err
		}
		if !ok {
			return relay.ErrNotFound
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT last_pos FROM groups WHERE id = ?`, q.Group[:]).Scan(&last); err != nil {
			return err
		}
		page.Next = uint64(last)
		rows, err := tx.QueryContext(ctx, `SELECT id, pos, share FROM members WHERE group_id = ? ORDER BY pos, id`, q.Group[:])
		if err != nil {
			return err
		}
		defer rows.Close()
		size := 0
		for rows.Next() {
			var id, blob []byte
			var pos int64
			if err := rows.Scan(&id, &pos, &blob); err != nil {
				return err
			}
			var m relay.ID
			copy(m[:], id)
			page.Members = append(page.Members, m)
			if uint64(pos) <= q.After || len(blob) == 0 || page.More {
				continue
			}
			if len(page.Shares) > 0 && size+len(blob) > q.MaxBytes {
				page.More = true
				page.Next = page.Shares[len(page.Shares)-1].Pos
				continue
			}
			size += len(blob)
			page.Shares = append(page.Shares, relay.Share{Member: m, Pos: uint64(pos), Blob: blob})
		}
		return rows.Err()
	}()
	if err != nil {
		return relay.SharePage{}, fmt.Errorf("shares: %w", err)
	}
	return page, nil
}

// CreateTrainerOffer stores a co-trainer offer, replacing the group's
// earlier one.
func (s *Relay) CreateTrainerOffer(ctx context.Context, trainer relay.ID, o relay.TrainerOffer) error {
	return s.inTx(ctx, "create trainer offer", func(tx *sql.Tx) error {
		if err := mustTrainer(ctx, tx, o.Group, trainer); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM trainer_offers WHERE group_id = ? OR (lookup = ? AND expires <= ?)`, o.Group[:], o.Lookup, ms(o.Created)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO trainer_offers (lookup, group_id, verifier, blob, expires, tries, created)
			VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING`, o.Lookup, o.Group[:], o.Verifier[:], nonNil(o.Blob), ms(o.Expires), ms(o.Created))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return relay.ErrConflict
		}
		return nil
	})
}

// ClaimTrainerOffer takes a live co-trainer offer if verify accepts it.
func (s *Relay) ClaimTrainerOffer(ctx context.Context, lookup string, now time.Time, verify func(relay.Hash) bool, trainer relay.ID) (relay.TrainerOffer, error) {
	o := relay.TrainerOffer{Lookup: lookup}
	var refused error
	err := s.inTx(ctx, "claim trainer offer", func(tx *sql.Tx) error {
		var group, verifier []byte
		var expires, created int64
		err := tx.QueryRowContext(ctx, `SELECT group_id, verifier, blob, expires, tries, created FROM trainer_offers WHERE lookup = ?`, lookup).
			Scan(&group, &verifier, &o.Blob, &expires, &o.Tries, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return relay.ErrNotFound
		}
		if err != nil {
			return err
		}
		copy(o.Group[:], group)
		copy(o.Verifier[:], verifier)
		o.Expires, o.Created = fromMS(expires), fromMS(created)
		if !now.Before(o.Expires) {
			refused = relay.ErrNotFound
			_, err := tx.ExecContext(ctx, `DELETE FROM trainer_offers WHERE lookup = ?`, lookup)
			return err
		}
		if !verify(o.Verifier) {
			refused = relay.ErrUnauthorized
			q := `UPDATE trainer_offers SET tries = tries + 1 WHERE lookup = ?`
			if o.Tries+1 >= relay.PairingTries {
				q = `DELETE FROM trainer_offers WHERE lookup = ?`
			}
			_, err := tx.ExecContext(ctx, q, lookup)
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM group_trainers WHERE group_id = ?`, group).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxTrainers {
			return relay.ErrLimit
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM trainer_offers WHERE lookup = ?`, lookup); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO group_trainers (group_id, learner, added) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			group, trainer[:], ms(now))
		return err
	})
	if err == nil && refused != nil {
		err = fmt.Errorf("claim trainer offer: %w", refused)
	}
	if err != nil {
		return relay.TrainerOffer{}, err
	}
	return o, nil
}

// PutAggregate replaces a group's aggregate for a period.
func (s *Relay) PutAggregate(ctx context.Context, trainer relay.ID, a relay.Aggregate) error {
	return s.inTx(ctx, "put aggregate", func(tx *sql.Tx) error {
		if err := mustTrainer(ctx, tx, a.Group, trainer); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO aggregates (period, group_id, body, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT (period, group_id) DO UPDATE SET body = excluded.body, updated = excluded.updated`,
			a.Period, a.Group[:], nonNil(a.Body), ms(a.Updated))
		return err
	})
}

// Aggregates returns every group's aggregate for a period.
func (s *Relay) Aggregates(ctx context.Context, period string) ([]relay.Aggregate, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT group_id, body, updated FROM aggregates WHERE period = ? ORDER BY group_id`, period)
	if err != nil {
		return nil, fmt.Errorf("aggregates: %w", err)
	}
	defer rows.Close()
	var out []relay.Aggregate
	for rows.Next() {
		a := relay.Aggregate{Period: period}
		var group []byte
		var updated int64
		if err := rows.Scan(&group, &a.Body, &updated); err != nil {
			return nil, fmt.Errorf("aggregates: %w", err)
		}
		copy(a.Group[:], group)
		a.Updated = fromMS(updated)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("aggregates: %w", err)
	}
	return out, nil
}

// Periods lists the periods with aggregates, latest first.
func (s *Relay) Periods(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT period FROM aggregates ORDER BY period DESC`)
	if err != nil {
		return nil, fmt.Errorf("periods: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("periods: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("periods: %w", err)
	}
	return out, nil
}

// CreateAdminToken stores an admin token's hash.
func (s *Relay) CreateAdminToken(ctx context.Context, h relay.Hash, now time.Time) error {
	if _, err := s.write.ExecContext(ctx, `INSERT INTO admin_tokens (hash, created) VALUES (?, ?)`, h[:], ms(now)); err != nil {
		return fmt.Errorf("create admin token: %w", err)
	}
	return nil
}

// CheckAdminToken reports whether h is an admin token's hash.
func (s *Relay) CheckAdminToken(ctx context.Context, h relay.Hash) error {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM admin_tokens WHERE hash = ?`, h[:]).Scan(&n); err != nil {
		return fmt.Errorf("check admin token: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("check admin token: %w", relay.ErrUnauthorized)
	}
	return nil
}

// RevokeAdminTokens deletes every admin token.
func (s *Relay) RevokeAdminTokens(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM admin_tokens`); err != nil {
		return fmt.Errorf("revoke admin tokens: %w", err)
	}
	return nil
}
