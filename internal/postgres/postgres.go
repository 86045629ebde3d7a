// Package postgres is the sync server's store on PostgreSQL (pgx), for an
// organisation that runs several server processes on one database. It
// keeps the same contract as the SQLite store (relay.Store).
package postgres

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/waymark-app/waymark/internal/relay"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key that serialises migrations when
// several server processes start at once.
const migrationLock = 0x57a9_3a4b

// Store is the server's store on PostgreSQL (relay.Store).
type Store struct {
	pool *pgxpool.Pool
}

var _ relay.Store = (*Store)(nil)

// Open connects to the database at url (postgres://…) and brings its
// schema up to date.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The error may quote the URL and its password: say only what failed.
		return nil, fmt.Errorf("open postgres: %w: the database URL does not parse", relay.ErrInvalid)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool returns the connection pool, for tests and tools.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// migrate applies, in order and each in its own transaction, every
// embedded migration not yet applied, holding an advisory lock so that
// processes starting together apply each once.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migrate %s: %w", path.Base(name), err)
		}
	}
	return nil
}

func (s *Store) migrateFile(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY)`); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM migrations WHERE name = $1`, path.Base(name)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		script, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(script)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO migrations (name) VALUES ($1)`, path.Base(name))
		return err
	})
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// errCode returns the SQLSTATE of a PostgreSQL error, or "".
func errCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// CreateInvite stores an organisation invite.
func (s *Store) CreateInvite(ctx context.Context, inv relay.Invite) error {
	if inv.Uses < 1 {
		return fmt.Errorf("create invite: uses %d: %w", inv.Uses, relay.ErrInvalid)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO invites (hash, uses, expires, created, trainer) VALUES ($1, $2, $3, $4, $5)`,
		inv.Hash[:], inv.Uses, ms(inv.Expires), ms(inv.Created), inv.Trainer)
	if errCode(err) == "23505" {
		return fmt.Errorf("create invite: %w", relay.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	return nil
}

// Enrol creates a learner and its first device, using up one use of the
// invite if there is one.
func (s *Store) Enrol(ctx context.Context, invite *relay.Hash, d relay.Device) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		now := ms(d.Created)
		if invite != nil {
			tag, err := tx.Exec(ctx, `UPDATE invites SET uses = uses - 1 WHERE hash = $1 AND uses > 0 AND expires > $2 AND (trainer OR NOT $3)`,
				invite[:], now, d.Trainer)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("invite: %w", relay.ErrNotFound)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO learners (id, created, trainer) VALUES ($1, $2, $3)`, d.Learner[:], now, d.Trainer); err != nil {
			return err
		}
		return insertDevice(ctx, tx, d)
	})
	if errCode(err) == "23505" {
		return fmt.Errorf("enrol: %w", relay.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	return nil
}

func insertDevice(ctx context.Context, tx pgx.Tx, d relay.Device) error {
	seen := d.Created.Truncate(relay.LastSeenPrecision)
	var owner []byte
	if d.Courier() {
		owner = d.Owner[:]
	}
	_, err := tx.Exec(ctx, `INSERT INTO devices (id, learner, token_hash, created, last_seen, label, owner) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		d.ID[:], d.Learner[:], d.TokenHash[:], ms(d.Created), ms(seen), nonNil(d.Label), owner)
	return err
}

// CreateCourier stores c as owner's courier, replacing its earlier one.
func (s *Store) CreateCourier(ctx context.Context, owner relay.Device, c relay.Device) error {
	if owner.Courier() {
		return fmt.Errorf("create courier: a courier makes none: %w", relay.ErrInvalid)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM devices WHERE id = $1 AND learner = $2 AND owner IS NULL`, owner.ID[:], owner.Learner[:]).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("owner: %w", relay.ErrNotFound)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM devices WHERE owner = $1`, owner.ID[:]); err != nil {
			return err
		}
		c.Learner, c.Owner = owner.Learner, owner.ID
		return insertDevice(ctx, tx, c)
	})
	if err != nil {
		return fmt.Errorf("create courier: %w", err)
	}
	return nil
}

// Authenticate returns the device whose token hashes to h.
func (s *Store) Authenticate(ctx context.Context, h relay.Hash, now time.Time) (relay.Device, error) {
	var d relay.Device
	var id, learner, owner []byte
	var created, seen int64
	err := s.pool.QueryRow(ctx, `SELECT d.id, d.learner, d.created, d.last_seen, d.label, d.owner, l.trainer
		FROM devices d JOIN learners l ON l.id = d.learner WHERE d.token_hash = $1`, h[:]).
		Scan(&id, &learner, &created, &seen, &d.Label, &owner, &d.Trainer)
	if errors.Is(err, pgx.ErrNoRows) {
		return relay.Device{}, fmt.Errorf("authenticate: %w", relay.ErrUnauthorized)
	}
	if err != nil {
		return relay.Device{}, fmt.Errorf("authenticate: %w", err)
	}
	copy(d.ID[:], id)
	copy(d.Learner[:], learner)
	copy(d.Owner[:], owner)
	d.TokenHash, d.Created, d.LastSeen = h, fromMS(created), fromMS(seen)
	if hour := now.Truncate(relay.LastSeenPrecision); hour.After(d.LastSeen) {
		if _, err := s.pool.Exec(ctx, `UPDATE devices SET last_seen = $1 WHERE id = $2 AND last_seen < $1`, ms(hour), id); err != nil {
			return relay.Device{}, fmt.Errorf("authenticate: %w", err)
		}
		d.LastSeen = hour.UTC()
	}
	return d, nil
}

// Devices lists a learner's devices, oldest first.
func (s *Store) Devices(ctx context.Context, learner relay.ID) ([]relay.Device, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, token_hash, created, last_seen, label FROM devices WHERE learner = $1 AND owner IS NULL ORDER BY created, id`, learner[:])
	if err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	defer rows.Close()
	var out []relay.Device
	for rows.Next() {
		d := relay.Device{Learner: learner}
		var id, th []byte
		var created, seen int64
		if err := rows.Scan(&id, &th, &created, &seen, &d.Label); err != nil {
			return nil, fmt.Errorf("devices: %w", err)
		}
		copy(d.ID[:], id)
		copy(d.TokenHash[:], th)
		d.Created, d.LastSeen = fromMS(created), fromMS(seen)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	return out, nil
}

// SetLabel sets the sealed label of one of the learner's devices.
func (s *Store) SetLabel(ctx context.Context, learner, device relay.ID, label []byte) error {
	tag, err := s.pool.Exec(ctx, `UPDATE devices SET label = $1 WHERE id = $2 AND learner = $3`, nonNil(label), device[:], learner[:])
	if err != nil {
		return fmt.Errorf("set label: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("set label: %w", relay.ErrNotFound)
	}
	return nil
}

// Unlink revokes one of the learner's devices.
func (s *Store) Unlink(ctx context.Context, learner, device relay.ID) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM devices WHERE id = $1 AND learner = $2`, device[:], learner[:])
	if err != nil {
		return fmt.Errorf("unlink: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("unlink: %w", relay.ErrNotFound)
	}
	return nil
}

// DeleteLearner deletes the learner and everything of theirs: devices,
// chunks, pairing offers and memberships (by cascade), and the groups
// they were the last trainer of.
func (s *Store) DeleteLearner(ctx context.Context, learner relay.ID) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM learners WHERE id = $1`, learner[:])
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return relay.ErrNotFound
		}
		_, err = tx.Exec(ctx, `DELETE FROM groups g WHERE NOT EXISTS (SELECT 1 FROM group_trainers t WHERE t.group_id = g.id)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete learner: %w", err)
	}
	return nil
}

// Push stores chunks in one transaction. It locks the learner's row
// first, so that one learner's pushes (from any process) run one at a
// time: their positions are then gap-free and in commit order, and the
// duplicate and overlap checks see every earlier commit.
func (s *Store) Push(ctx context.Context, p relay.Push) ([]relay.Outcome, error) {
	for _, c := range p.Chunks {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("push: %w", err)
		}
	}
	out := make([]relay.Outcome, len(p.Chunks))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var pos, size int64
		err := tx.QueryRow(ctx, `SELECT last_pos, bytes FROM learners WHERE id = $1 FOR UPDATE`, p.Learner[:]).Scan(&pos, &size)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("learner: %w", relay.ErrNotFound)
		}
		if err != nil {
			return err
		}
		startPos := pos
		for i, c := range p.Chunks {
			var from, to int64
			var body []byte
			err := tx.QueryRow(ctx, `SELECT from_seq, to_seq, body FROM chunks WHERE learner = $1 AND device = $2 AND epoch = $3 AND from_seq <= $4 ORDER BY from_seq DESC LIMIT 1`,
				p.Learner[:], c.Stream.Device[:], c.Stream.Epoch[:], int64(c.To)).Scan(&from, &to, &body)
			switch {
			case err == nil && uint64(to) >= c.From:
				out[i] = relay.Conflict
				if uint64(from) == c.From && uint64(to) == c.To && bytes.Equal(body, c.Body) {
					out[i] = relay.Duplicate
				}
				continue
			case err == nil || errors.Is(err, pgx.ErrNoRows):
			default:
				return err
			}
			if p.Quota > 0 && size+int64(len(c.Body)) > p.Quota {
				out[i] = relay.OverQuota
				continue
			}
			pos++
			size += int64(len(c.Body))
			_, err = tx.Exec(ctx, `INSERT INTO chunks (learner, pos, device, epoch, from_seq, to_seq, received, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				p.Learner[:], pos, c.Stream.Device[:], c.Stream.Epoch[:], int64(c.From), int64(c.To), ms(p.Now), c.Body)
			if err != nil {
				return err
			}
			out[i] = relay.Stored
		}
		if pos == startPos {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE learners SET last_pos = $1, bytes = $2 WHERE id = $3`, pos, size, p.Learner[:])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	return out, nil
}

// Pull returns a page of the learner's chunks after q.After. It is one
// statement, so the learner's last position and the chunks come from one
// snapshot: every chunk up to that position is committed and visible.
func (s *Store) Pull(ctx context.Context, q relay.Query) (relay.Page, error) {
	rows, err := s.pool.Query(ctx, `SELECT l.last_pos, c.pos, c.device, c.epoch, c.from_seq, c.to_seq, c.received, c.body
		FROM learners l LEFT JOIN LATERAL (
			SELECT pos, device, epoch, from_seq, to_seq, received, body FROM chunks
			WHERE learner = l.id AND pos > $2 AND pos <= l.last_pos AND NOT (device = $3 AND epoch = $4)
			ORDER BY pos LIMIT $5) c ON true
		WHERE l.id = $1 ORDER BY c.pos`,
		q.Learner[:], int64(q.After), q.Exclude.Device[:], q.Exclude.Epoch[:], max(q.MaxCount, 1)+1)
	if err != nil {
		return relay.Page{}, fmt.Errorf("pull: %w", err)
	}
	defer rows.Close()
	found := false
	var page relay.Page
	size := 0
	for rows.Next() {
		var last int64
		var pos, from, to, received *int64
		var dev, epoch, body []byte
		if err := rows.Scan(&last, &pos, &dev, &epoch, &from, &to, &received, &body); err != nil {
			return relay.Page{}, fmt.Errorf("pull: %w", err)
		}
		if !found {
			found = true
			page.Next = uint64(last) // as in the SQLite store, also for a cursor past it
		}
		if pos == nil || page.More {
			continue
		}
		if len(page.Chunks) > 0 && (len(page.Chunks) >= q.MaxCount || size+len(body) > q.MaxBytes) {
			page.More = true
			page.Next = page.Chunks[len(page.Chunks)-1].Pos
			continue
		}
		c := relay.Chunk{Pos: uint64(*pos), From: uint64(*from), To: uint64(*to), Received: fromMS(*received), Body: body}
		copy(c.Stream.Device[:], dev)
		copy(c.Stream.Epoch[:], epoch)
		size += len(body)
		page.Chunks = append(page.Chunks, c)
	}
	if err := rows.Err(); err != nil {
		return relay.Page{}, fmt.Errorf("pull: %w", err)
	}
	if !found {
		return relay.Page{}, fmt.Errorf("pull: learner: %w", relay.ErrNotFound)
	}
	return page, nil
}

// CreatePairing stores a pairing offer, replacing any earlier offer of the
// same learner (one pairing at a time).
func (s *Store) CreatePairing(ctx context.Context, p relay.Pairing) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM learners WHERE id = $1`, p.Learner[:]).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("learner: %w", relay.ErrNotFound)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pairings WHERE learner = $1 OR (lookup = $2 AND expires <= $3)`, p.Learner[:], p.Lookup, ms(p.Created)); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO pairings (lookup, learner, verifier, blob, expires, tries, created) VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT DO NOTHING`,
			p.Lookup, p.Learner[:], p.Verifier[:], nonNil(p.Blob), ms(p.Expires), ms(p.Created))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return relay.ErrConflict
		}
		return nil
	})
	switch errCode(err) {
	case "23503": // the learner was deleted meanwhile
		return fmt.Errorf("create pairing: learner: %w", relay.ErrNotFound)
	case "23505":
		return fmt.Errorf("create pairing: %w", relay.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create pairing: %w", err)
	}
	return nil
}

// ClaimPairing takes the live offer under lookup if verify accepts it.
func (s *Store) ClaimPairing(ctx context.Context, lookup string, now time.Time, verify func(relay.Hash) bool, d relay.Device) (relay.Pairing, error) {
	p := relay.Pairing{Lookup: lookup}
	// refused is the outcome to return after committing what was counted.
	var refused error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var learner, verifier []byte
		var expires, created int64
		err := tx.QueryRow(ctx, `SELECT learner, verifier, blob, expires, tries, created FROM pairings WHERE lookup = $1 FOR UPDATE`, lookup).
			Scan(&learner, &verifier, &p.Blob, &expires, &p.Tries, &created)
		if errors.Is(err, pgx.ErrNoRows) {
			return relay.ErrNotFound
		}
		if err != nil {
			return err
		}
		copy(p.Learner[:], learner)
		copy(p.Verifier[:], verifier)
		p.Expires, p.Created = fromMS(expires), fromMS(created)
		if !now.Before(p.Expires) {
			refused = relay.ErrNotFound
			_, err := tx.Exec(ctx, `DELETE FROM pairings WHERE lookup = $1`, lookup)
			return err
		}
		if !verify(p.Verifier) {
			refused = relay.ErrUnauthorized
			q := `UPDATE pairings SET tries = tries + 1 WHERE lookup = $1`
			if p.Tries+1 >= relay.PairingTries {
				q = `DELETE FROM pairings WHERE lookup = $1`
			}
			_, err := tx.Exec(ctx, q, lookup)
			return err
		}
		// Lock the learner, so two claims cannot both pass the device limit.
		var n int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM learners WHERE id = $1 FOR UPDATE`, learner).Scan(&n); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM devices WHERE learner = $1 AND owner IS NULL`, learner).Scan(&n); err != nil {
			return err
		}
		if n >= relay.MaxDevices {
			return relay.ErrLimit
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pairings WHERE lookup = $1`, lookup); err != nil {
			return err
		}
		d.Learner = p.Learner
		return insertDevice(ctx, tx, d)
	})
	if err == nil && refused != nil {
		err = refused
	}
	if err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	return p, nil
}

// Purge deletes expired pairing offers, join codes and co-trainer
// offers, and used-up or expired invites.
func (s *Store) Purge(ctx context.Context, now time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM pairings WHERE expires <= $1`, ms(now)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM invites WHERE expires <= $1 OR uses <= 0`, ms(now)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM join_codes WHERE expires <= $1`, ms(now)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM trainer_offers WHERE expires <= $1`, ms(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	return nil
}
