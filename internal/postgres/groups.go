package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/waymark-app/waymark/internal/relay"
)

// inTx runs fn in a transaction and names op in its error; a unique
// violation is ErrConflict.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, s.pool, fn)
	switch errCode(err) {
	case "23505":
		return fmt.Errorf("%s: %w", op, relay.ErrConflict)
	case "23503": // a learner or group deleted meanwhile
		return fmt.Errorf("%s: %w", op, relay.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// mustTrainer fails with ErrNotFound unless learner is a trainer of group.
func mustTrainer(ctx context.Context, tx pgx.Tx, group, learner relay.ID) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM group_trainers WHERE group_id = $1 AND learner = $2`, group[:], learner[:]).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return relay.ErrNotFound
	}
	return nil
}

// CreateGroup stores a new group with its first trainer.
func (s *Store) CreateGroup(ctx context.Context, trainer relay.ID, g relay.Group) error {
	return s.inTx(ctx, "create group", func(tx pgx.Tx) error {
		// The trainer's row, locked: two creations cannot both pass the
		// limit.
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM learners WHERE id = $1 FOR UPDATE`, trainer[:]).Scan(&one); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return relay.ErrNotFound
			}
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM group_trainers WHERE learner = $1`, trainer[:]).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxGroupsPerTrainer {
			return relay.ErrLimit
		}
		if _, err := tx.Exec(ctx, `INSERT INTO groups (id, created) VALUES ($1, $2)`, g.ID[:], ms(g.Created)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO group_trainers (group_id, learner, added) VALUES ($1, $2, $3)`, g.ID[:], trainer[:], ms(g.Created))
		return err
	})
}

// DeleteGroup deletes a group and everything of it but its aggregates.
func (s *Store) DeleteGroup(ctx context.Context, trainer, group relay.ID) error {
	return s.inTx(ctx, "delete group", func(tx pgx.Tx) error {
		if err := mustTrainer(ctx, tx, group, trainer); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM groups WHERE id = $1`, group[:])
		return err
	})
}

// lockGroup locks a group's row: one group's codes, memberships and
// shares change one transaction at a time.
func lockGroup(ctx context.Context, tx pgx.Tx, group relay.ID) (lastPos int64, err error) {
	err = tx.QueryRow(ctx, `SELECT last_pos FROM groups WHERE id = $1 FOR UPDATE`, group[:]).Scan(&lastPos)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, relay.ErrNotFound
	}
	return lastPos, err
}

// CreateJoinCode stores a join code of a group.
func (s *Store) CreateJoinCode(ctx context.Context, trainer relay.ID, c relay.JoinCode) error {
	return s.inTx(ctx, "create join code", func(tx pgx.Tx) error {
		if err := mustTrainer(ctx, tx, c.Group, trainer); err != nil {
			return err
		}
		if _, err := lockGroup(ctx, tx, c.Group); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM join_codes WHERE lookup = $1 AND expires <= $2`, c.Lookup, ms(c.Created)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM join_codes WHERE group_id = $1 AND expires > $2`, c.Group[:], ms(c.Created)).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxLiveCodes {
			return relay.ErrLimit
		}
		tag, err := tx.Exec(ctx, `INSERT INTO join_codes (lookup, group_id, verifier, blob, expires, revoked, tries, created)
			VALUES ($1, $2, $3, $4, $5, false, 0, $6) ON CONFLICT DO NOTHING`, c.Lookup, c.Group[:], c.Verifier[:], nonNil(c.Blob), ms(c.Expires), ms(c.Created))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return relay.ErrConflict
		}
		return nil
	})
}

// RevokeJoinCode revokes a join code of a group.
func (s *Store) RevokeJoinCode(ctx context.Context, trainer, group relay.ID, lookup string) error {
	return s.inTx(ctx, "revoke join code", func(tx pgx.Tx) error {
		if err := mustTrainer(ctx, tx, group, trainer); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE join_codes SET revoked = true WHERE lookup = $1 AND group_id = $2`, lookup, group[:])
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return relay.ErrNotFound
		}
		return nil
	})
}

// Join checks a join code and, with Commit, makes the membership.
func (s *Store) Join(ctx context.Context, r relay.JoinRequest) (relay.JoinCode, relay.Membership, error) {
	c := relay.JoinCode{Lookup: r.Lookup}
	var m relay.Membership
	var refused error
	err := s.inTx(ctx, "join", func(tx pgx.Tx) error {
		var group, verifier []byte
		var expires, created int64
		err := tx.QueryRow(ctx, `SELECT group_id, verifier, blob, expires, revoked, tries, created FROM join_codes WHERE lookup = $1 FOR UPDATE`, r.Lookup).
			Scan(&group, &verifier, &c.Blob, &expires, &c.Revoked, &c.Tries, &created)
		if errors.Is(err, pgx.ErrNoRows) {
			return relay.ErrNotFound
		}
		if err != nil {
			return err
		}
		copy(c.Group[:], group)
		copy(c.Verifier[:], verifier)
		c.Expires, c.Created = fromMS(expires), fromMS(created)
		if c.Revoked || !r.Now.Before(c.Expires) {
			return relay.ErrNotFound
		}
		if !r.Verify(c.Verifier) {
			refused = relay.ErrUnauthorized // counted, and committed
			_, err := tx.Exec(ctx, `UPDATE join_codes SET tries = tries + 1, revoked = (tries + 1 >= $1) WHERE lookup = $2`, relay.JoinTries, r.Lookup)
			return err
		}
		m = relay.Membership{Group: c.Group, Learner: r.Learner}
		if !r.Commit {
			return nil
		}
		if _, err := lockGroup(ctx, tx, c.Group); err != nil {
			return err
		}
		var member []byte
		var joined int64
		err = tx.QueryRow(ctx, `SELECT id, joined FROM members WHERE group_id = $1 AND learner = $2`, c.Group[:], r.Learner[:]).Scan(&member, &joined)
		switch {
		case err == nil:
			copy(m.Member[:], member)
			m.Joined = fromMS(joined)
			return nil
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		// The learner's row, locked: their joins run one at a time.
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM learners WHERE id = $1 FOR UPDATE`, r.Learner[:]).Scan(&one); err != nil {
			return err
		}
		var inGroup, ofLearner int
		if err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM members WHERE group_id = $1), (SELECT COUNT(*) FROM members WHERE learner = $2)`,
			c.Group[:], r.Learner[:]).Scan(&inGroup, &ofLearner); err != nil {
			return err
		}
		if inGroup >= relay.MaxMembers || ofLearner >= relay.MaxGroupsPerLearner {
			return relay.ErrLimit
		}
		m.Member, m.Joined = r.Member, r.Now
		_, err = tx.Exec(ctx, `INSERT INTO members (group_id, id, learner, joined) VALUES ($1, $2, $3, $4)`,
			c.Group[:], m.Member[:], r.Learner[:], ms(r.Now))
		return err
	})
	if err == nil && refused != nil {
		err = fmt.Errorf("join: %w", refused)
	}
	if err != nil {
		return relay.JoinCode{}, relay.Membership{}, err
	}
	return c, m, nil
}

// PutShare replaces a member's share, at the group's next position.
func (s *Store) PutShare(ctx context.Context, learner, group relay.ID, blob []byte) error {
	return s.inTx(ctx, "put share", func(tx pgx.Tx) error {
		pos, err := lockGroup(ctx, tx, group)
		if err != nil {
			return err
		}
		pos++
		tag, err := tx.Exec(ctx, `UPDATE members SET share = $1, pos = $2 WHERE group_id = $3 AND learner = $4`, nonNil(blob), pos, group[:], learner[:])
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return relay.ErrNotFound
		}
		_, err = tx.Exec(ctx, `UPDATE groups SET last_pos = $1 WHERE id = $2`, pos, group[:])
		return err
	})
}

// Leave ends a membership and deletes its share.
func (s *Store) Leave(ctx context.Context, learner, group relay.ID) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM members WHERE group_id = $1 AND learner = $2`, group[:], learner[:])
	if err != nil {
		return fmt.Errorf("leave: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("leave: %w", relay.ErrNotFound)
	}
	return nil
}

// Shares returns a group's members and its shares after q.After, from one
// snapshot (a repeatable-read transaction).
func (s *Store) Shares(ctx context.Context, q relay.ShareQuery) (relay.SharePage, error) {
	var page relay.SharePage
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := mustTrainer(ctx, tx, q.Group, q.Trainer); err != nil {
			return err
		}
		var last int64
		if err := tx.QueryRow(ctx, `SELECT last_pos FROM groups WHERE id = $1`, q.Group[:]).Scan(&last); err != nil {
			return err
		}
		page.Next = uint64(last)
		rows, err := tx.Query(ctx, `SELECT id, pos, share FROM members WHERE group_id = $1 ORDER BY pos, id`, q.Group[:])
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
	})
	if err != nil {
		return relay.SharePage{}, fmt.Errorf("shares: %w", err)
	}
	return page, nil
}

// CreateTrainerOffer stores a co-trainer offer, replacing the group's
// earlier one.
func (s *Store) CreateTrainerOffer(ctx context.Context, trainer relay.ID, o relay.TrainerOffer) error {
	return s.inTx(ctx, "create trainer offer", func(tx pgx.Tx) error {
		if err := mustTrainer(ctx, tx, o.Group, trainer); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM trainer_offers WHERE group_id = $1 OR (lookup = $2 AND expires <= $3)`, o.Group[:], o.Lookup, ms(o.Created)); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO trainer_offers (lookup, group_id, verifier, blob, expires, tries, created)
			VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT DO NOTHING`, o.Lookup, o.Group[:], o.Verifier[:], nonNil(o.Blob), ms(o.Expires), ms(o.Created))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return relay.ErrConflict
		}
		return nil
	})
}

// ClaimTrainerOffer takes a live co-trainer offer if verify accepts it.
func (s *Store) ClaimTrainerOffer(ctx context.Context, lookup string, now time.Time, verify func(relay.Hash) bool, trainer relay.ID) (relay.TrainerOffer, error) {
	o := relay.TrainerOffer{Lookup: lookup}
	var refused error
	err := s.inTx(ctx, "claim trainer offer", func(tx pgx.Tx) error {
		var group, verifier []byte
		var expires, created int64
		err := tx.QueryRow(ctx, `SELECT group_id, verifier, blob, expires, tries, created FROM trainer_offers WHERE lookup = $1 FOR UPDATE`, lookup).
			Scan(&group, &verifier, &o.Blob, &expires, &o.Tries, &created)
		if errors.Is(err, pgx.ErrNoRows) {
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
			_, err := tx.Exec(ctx, `DELETE FROM trainer_offers WHERE lookup = $1`, lookup)
			return err
		}
		if !verify(o.Verifier) {
			refused = relay.ErrUnauthorized
			q := `UPDATE trainer_offers SET tries = tries + 1 WHERE lookup = $1`
			if o.Tries+1 >= relay.PairingTries {
				q = `DELETE FROM trainer_offers WHERE lookup = $1`
			}
			_, err := tx.Exec(ctx, q, lookup)
			return err
		}
		if _, err := lockGroup(ctx, tx, o.Group); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM group_trainers WHERE group_id = $1`, group).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxTrainers {
			return relay.ErrLimit
		}
		if _, err := tx.Exec(ctx, `DELETE FROM trainer_offers WHERE lookup = $1`, lookup); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO group_trainers (group_id, learner, added) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
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
func (s *Store) PutAggregate(ctx context.Context, trainer relay.ID, a relay.Aggregate) error {
	return s.inTx(ctx, "put aggregate", func(tx pgx.Tx) error {
		if err := mustTrainer(ctx, tx, a.Group, trainer); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO aggregates (period, group_id, body, updated) VALUES ($1, $2, $3, $4)
			ON CONFLICT (period, group_id) DO UPDATE SET body = excluded.body, updated = excluded.updated`,
			a.Period, a.Group[:], nonNil(a.Body), ms(a.Updated))
		return err
	})
}

// Aggregates returns every group's aggregate for a period.
func (s *Store) Aggregates(ctx context.Context, period string) ([]relay.Aggregate, error) {
	rows, err := s.pool.Query(ctx, `SELECT group_id, body, updated FROM aggregates WHERE period = $1 ORDER BY group_id`, period)
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
func (s *Store) Periods(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT period FROM aggregates ORDER BY period DESC`)
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
func (s *Store) CreateAdminToken(ctx context.Context, h relay.Hash, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO admin_tokens (hash, created) VALUES ($1, $2)`, h[:], ms(now)); err != nil {
		return fmt.Errorf("create admin token: %w", err)
	}
	return nil
}

// CheckAdminToken reports whether h is an admin token's hash.
func (s *Store) CheckAdminToken(ctx context.Context, h relay.Hash) error {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM admin_tokens WHERE hash = $1`, h[:]).Scan(&n); err != nil {
		return fmt.Errorf("check admin token: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("check admin token: %w", relay.ErrUnauthorized)
	}
	return nil
}

// RevokeAdminTokens deletes every admin token.
func (s *Store) RevokeAdminTokens(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM admin_tokens`); err != nil {
		return fmt.Errorf("revoke admin tokens: %w", err)
	}
	return nil
}
