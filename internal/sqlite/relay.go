package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
)

//go:embed relaymigrations/*.sql
var relayMigrationFS embed.FS

// relayPragmas are the local store's pragmas plus secure_delete, so that
// a deleted learner's chunks are overwritten in the file, not just
// unlinked from it.
var relayPragmas = append(append([]string(nil), pragmas...), "secure_delete(1)")

// Relay is the sync server's store on one SQLite file (relay.Store). Writes
// go through one connection; reads through a small pool, each in its own
// snapshot (WAL).
type Relay struct {
	path    string
	write   *sql.DB
	read    *sql.DB
	pushes  chan *pushReq
	quit    chan struct{}
	stopped chan struct{}
	close   sync.Once
}

var _ relay.Store = (*Relay)(nil)

// OpenRelay opens (creating if needed) the server database at path and
// brings its schema up to date.
func OpenRelay(ctx context.Context, path string) (*Relay, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open %q: %w: the path may not contain ? or #", path, relay.ErrInvalid)
	}
	// Readable by the server's user alone (SQLite gives its WAL and
	// shared-memory files the same mode).
	if f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	q := url.Values{"_pragma": relayPragmas}
	w, err := sql.Open("sqlite", path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	w.SetMaxOpenConns(1) // one writer
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w, relayMigrationFS, "relaymigrations"); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	r, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %q: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s := &Relay{path: path, write: w, read: r, pushes: make(chan *pushReq), quit: make(chan struct{}), stopped: make(chan struct{})}
	go s.committer()
	return s, nil
}

// Close closes the database, after the pushes being committed. Every
// committed write is on disk.
func (s *Relay) Close() error {
	var err error
	s.close.Do(func() {
		close(s.quit)
		<-s.stopped
		err = errors.Join(s.read.Close(), s.write.Close())
	})
	return err
}

// Path returns the database file's path.
func (s *Relay) Path() string { return s.path }

// IntegrityCheck runs SQLite's integrity check and returns its complaints
// (nil when the file is sound).
func (s *Relay) IntegrityCheck(ctx context.Context) error {
	rows, err := s.read.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// CreateInvite stores an organisation invite.
func (s *Relay) CreateInvite(ctx context.Context, inv relay.Invite) error {
	if inv.Uses < 1 {
		return fmt.Errorf("create invite: uses %d: %w", inv.Uses, relay.ErrInvalid)
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO invites (hash, uses, expires, created, trainer) VALUES (?, ?, ?, ?, ?)`,
		inv.Hash[:], inv.Uses, ms(inv.Expires), ms(inv.Created), inv.Trainer)
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	return nil
}

// Enrol creates a learner and its first device, using up one use of the
// invite if there is one.
func (s *Relay) Enrol(ctx context.Context, invite *relay.Hash, d relay.Device) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	defer tx.Rollback()
	now := ms(d.Created)
	if invite != nil {
		res, err := tx.ExecContext(ctx, `UPDATE invites SET uses = uses - 1 WHERE hash = ? AND uses > 0 AND expires > ? AND (trainer = 1 OR ? = 0)`,
			invite[:], now, d.Trainer)
		if err != nil {
			return fmt.Errorf("enrol: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("enrol: invite: %w", relay.ErrNotFound)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO learners (id, created, trainer) VALUES (?, ?, ?)`, d.Learner[:], now, d.Trainer); err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	if err := insertDevice(ctx, tx, d); err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	return nil
}

func insertDevice(ctx context.Context, tx *sql.Tx, d relay.Device) error {
	seen := d.Created.Truncate(relay.LastSeenPrecision)
	var owner any
	if d.Courier() {
		owner = d.Owner[:]
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO devices (id, learner, token_hash, created, last_seen, label, owner) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ID[:], d.Learner[:], d.TokenHash[:], ms(d.Created), ms(seen), nonNil(d.Label), owner)
	return err
}

// CreateCourier stores c as owner's courier, replacing its earlier one.
func (s *Relay) CreateCourier(ctx context.Context, owner relay.Device, c relay.Device) error {
	if owner.Courier() {
		return fmt.Errorf("create courier: a courier makes none: %w", relay.ErrInvalid)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create courier: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM devices WHERE id = ? AND learner = ? AND owner IS NULL`, owner.ID[:], owner.Learner[:]).Scan(&n); err != nil {
		return fmt.Errorf("create courier: %w", err)
	}
	if n != 1 {
		return fmt.Errorf("create courier: owner: %w", relay.ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE owner = ?`, owner.ID[:]); err != nil {
		return fmt.Errorf("create courier: %w", err)
	}
	c.Learner, c.Owner = owner.Learner, owner.ID
	if err := insertDevice(ctx, tx, c); err != nil {
		return fmt.Errorf("create courier: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create courier: %w", err)
	}
	return nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// Authenticate returns the device whose token hashes to h.
func (s *Relay) Authenticate(ctx context.Context, h relay.Hash, now time.Time) (relay.Device, error) {
	var d relay.Device
	var id, learner, owner []byte
	var created, seen int64
	err := s.read.QueryRowContext(ctx, `SELECT d.id, d.learner, d.created, d.last_seen, d.label, d.owner, l.trainer
		FROM devices d JOIN learners l ON l.id = d.learner WHERE d.token_hash = ?`, h[:]).
		Scan(&id, &learner, &created, &seen, &d.Label, &owner, &d.Trainer)
	if errors.Is(err, sql.ErrNoRows) {
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
		if _, err := s.write.ExecContext(ctx, `UPDATE devices SET last_seen = ? WHERE id = ? AND last_seen < ?`, ms(hour), id, ms(hour)); err != nil {
			return relay.Device{}, fmt.Errorf("authenticate: %w", err)
		}
		d.LastSeen = hour.UTC()
	}
	return d, nil
}

// Devices lists a learner's devices, oldest first.
func (s *Relay) Devices(ctx context.Context, learner relay.ID) ([]relay.Device, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, token_hash, created, last_seen, label FROM devices WHERE learner = ? AND owner IS NULL ORDER BY created, id`, learner[:])
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
func (s *Relay) SetLabel(ctx context.Context, learner, device relay.ID, label []byte) error {
	res, err := s.write.ExecContext(ctx, `UPDATE devices SET label = ? WHERE id = ? AND learner = ?`, nonNil(label), device[:], learner[:])
	if err != nil {
		return fmt.Errorf("set label: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("set label: %w", relay.ErrNotFound)
	}
	return nil
}

// Unlink revokes one of the learner's devices.
func (s *Relay) Unlink(ctx context.Context, learner, device relay.ID) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM devices WHERE id = ? AND learner = ?`, device[:], learner[:])
	if err != nil {
		return fmt.Errorf("unlink: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("unlink: %w", relay.ErrNotFound)
	}
	return nil
}

// DeleteLearner deletes the learner and everything of theirs: devices,
// chunks, pairing offers and memberships (by cascade), and the groups
// they were the last trainer of.
func (s *Relay) DeleteLearner(ctx context.Context, learner relay.ID) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete learner: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM learners WHERE id = ?`, learner[:])
	if err != nil {
		return fmt.Errorf("delete learner: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("delete learner: %w", relay.ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM groups WHERE NOT EXISTS (SELECT 1 FROM group_trainers t WHERE t.group_id = groups.id)`); err != nil {
		return fmt.Errorf("delete learner: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete learner: %w", err)
	}
	s.scrub(ctx)
	return nil
}

// Push stores chunks in one transaction. Pushes that arrive while another
// commits wait and then share one transaction (group commit): one sync to
// disk for all of them, each acknowledged only once it is done.
func (s *Relay) Push(ctx context.Context, p relay.Push) ([]relay.Outcome, error) {
	for _, c := range p.Chunks {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("push: %w", err)
		}
	}
	req := &pushReq{p: p, done: make(chan struct{})}
	select {
	case s.pushes <- req:
	case <-s.quit:
		return nil, fmt.Errorf("push: %w", errClosed)
	case <-ctx.Done():
		return nil, fmt.Errorf("push: %w", ctx.Err())
	}
	<-req.done // once queued, a push is committed or failed: wait for which
	if req.err != nil {
		return nil, fmt.Errorf("push: %w", req.err)
	}
	return req.out, nil
}

// errClosed means the store was closed.
var errClosed = errors.New("store closed")

// pushReq is one Push waiting for the committer.
type pushReq struct {
	p    relay.Push
	out  []relay.Outcome
	err  error
	done chan struct{}
}

// maxGroup is the most pushes one transaction takes.
const maxGroup = 64

// committer runs pushes, as many as are waiting in one transaction, until
// Close.
func (s *Relay) committer() {
	defer close(s.stopped)
	for {
		var group []*pushReq
		select {
		case r := <-s.pushes:
			group = append(group, r)
		case <-s.quit:
			return
		}
	more:
		for len(group) < maxGroup {
			select {
			case r := <-s.pushes:
				group = append(group, r)
			default:
				break more
			}
		}
		err := s.commitGroup(group)
		for _, r := range group {
			if err != nil {
				r.out, r.err = nil, err
			}
			close(r.done)
		}
	}
}

// commitGroup runs a group of pushes in one transaction. A push for an
// unknown learner fails alone; any other failure fails the group, and
// nothing of it is stored.
func (s *Relay) commitGroup(group []*pushReq) error {
	ctx := context.Background() // a request that gave up still gets its push done or failed whole
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, r := range group {
		r.out, r.err = pushTx(ctx, tx, r.p)
		if r.err != nil && !errors.Is(r.err, relay.ErrNotFound) {
			return r.err
		}
	}
	return tx.Commit()
}

func pushTx(ctx context.Context, tx *sql.Tx, p relay.Push) ([]relay.Outcome, error) {
	var pos, size int64
	err := tx.QueryRowContext(ctx, `SELECT last_pos, bytes FROM learners WHERE id = ?`, p.Learner[:]).Scan(&pos, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("learner: %w", relay.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	out := make([]relay.Outcome, len(p.Chunks))
	startPos := pos
	for i, c := range p.Chunks {
		var from, to int64
		var body []byte
		err := tx.QueryRowContext(ctx, `SELECT from_seq, to_seq, body FROM chunks WHERE learner = ? AND device = ? AND epoch = ? AND from_seq <= ? ORDER BY from_seq DESC LIMIT 1`,
			p.Learner[:], c.Stream.Device[:], c.Stream.Epoch[:], int64(c.To)).Scan(&from, &to, &body)
		switch {
		case err == nil && uint64(to) >= c.From:
			out[i] = relay.Conflict
			if uint64(from) == c.From && uint64(to) == c.To && bytes.Equal(body, c.Body) {
				out[i] = relay.Duplicate
			}
			continue
		case err == nil || errors.Is(err, sql.ErrNoRows):
		default:
			return nil, err
		}
		if p.Quota > 0 && size+int64(len(c.Body)) > p.Quota {
			out[i] = relay.OverQuota
			continue
		}
		pos++
		size += int64(len(c.Body))
		_, err = tx.ExecContext(ctx, `INSERT INTO chunks (learner, pos, device, epoch, from_seq, to_seq, received, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.Learner[:], pos, c.Stream.Device[:], c.Stream.Epoch[:], int64(c.From), int64(c.To), ms(p.Now), c.Body)
		if err != nil {
			return nil, err
		}
		out[i] = relay.Stored
	}
	if pos != startPos {
		if _, err := tx.ExecContext(ctx, `UPDATE learners SET last_pos = ?, bytes = ? WHERE id = ?`, pos, size, p.Learner[:]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Pull returns a page of the learner's chunks after q.After.
func (s *Relay) Pull(ctx context.Context, q relay.Query) (relay.Page, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return relay.Page{}, fmt.Errorf("pull: %w", err)
	}
	defer tx.Rollback()
	var last int64
	err = tx.QueryRowContext(ctx, `SELECT last_pos FROM learners WHERE id = ?`, q.Learner[:]).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return relay.Page{}, fmt.Errorf("pull: learner: %w", relay.ErrNotFound)
	}
	if err != nil {
		return relay.Page{}, fmt.Errorf("pull: %w", err)
	}
	// Next is the learner's last position unless the page is cut short;
	// a cursor past it (forged, or from before the server was restored
	// from a backup) is brought back to it.
	page := relay.Page{Next: uint64(last)}
	if q.After >= uint64(last) {
		return page, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT pos, device, epoch, from_seq, to_seq, received, body FROM chunks
		WHERE learner = ? AND pos > ? AND pos <= ? AND NOT (device = ? AND epoch = ?) ORDER BY pos LIMIT ?`,
		q.Learner[:], int64(q.After), last, q.Exclude.Device[:], q.Exclude.Epoch[:], max(q.MaxCount, 1)+1)
	if err != nil {
		return relay.Page{}, fmt.Errorf("pull: %w", err)
	}
	defer rows.Close()
	size := 0
	for rows.Next() {
		var c relay.Chunk
		var pos, from, to, received int64
		var dev, epoch []byte
		if err := rows.Scan(&pos, &dev, &epoch, &from, &to, &received, &c.Body); err != nil {
			return relay.Page{}, fmt.Errorf("pull: %w", err)
		}
		if len(page.Chunks) > 0 && (len(page.Chunks) >= q.MaxCount || size+len(c.Body) > q.MaxBytes) {
			page.More = true
			page.Next = page.Chunks[len(page.Chunks)-1].Pos
			break
		}
		copy(c.Stream.Device[:], dev)
		copy(c.Stream.Epoch[:], epoch)
		c.Pos, c.From, c.To, c.Received = uint64(pos), uint64(from), uint64(to), fromMS(received)
		size += len(c.Body)
		page.Chunks = append(page.Chunks, c)
	}
	if err := rows.Err(); err != nil {
		return relay.Page{}, fmt.Errorf("pull: %w", err)
	}
	return page, nil
}

// CreatePairing stores a pairing offer, replacing any earlier offer of the
// same learner (one pairing at a time).
func (s *Relay) CreatePairing(ctx context.Context, p relay.Pairing) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create pairing: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM pairings WHERE learner = ? OR (lookup = ? AND expires <= ?)`, p.Learner[:], p.Lookup, ms(p.Created)); err != nil {
		return fmt.Errorf("create pairing: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM learners WHERE id = ?`, p.Learner[:]).Scan(&n); err != nil {
		return fmt.Errorf("create pairing: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("create pairing: learner: %w", relay.ErrNotFound)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO pairings (lookup, learner, verifier, blob, expires, tries, created) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING`,
		p.Lookup, p.Learner[:], p.Verifier[:], nonNil(p.Blob), ms(p.Expires), ms(p.Created))
	if err != nil {
		return fmt.Errorf("create pairing: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("create pairing: %w", relay.ErrConflict)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create pairing: %w", err)
	}
	return nil
}

// ClaimPairing takes the live offer under lookup if verify accepts it.
func (s *Relay) ClaimPairing(ctx context.Context, lookup string, now time.Time, verify func(relay.Hash) bool, d relay.Device) (relay.Pairing, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	defer tx.Rollback()
	p := relay.Pairing{Lookup: lookup}
	var learner, verifier []byte
	var expires, created int64
	err = tx.QueryRowContext(ctx, `SELECT learner, verifier, blob, expires, tries, created FROM pairings WHERE lookup = ?`, lookup).
		Scan(&learner, &verifier, &p.Blob, &expires, &p.Tries, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", relay.ErrNotFound)
	}
	if err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	copy(p.Learner[:], learner)
	copy(p.Verifier[:], verifier)
	p.Expires, p.Created = fromMS(expires), fromMS(created)
	// finish commits what the claim changed and returns err.
	finish := func(err error) (relay.Pairing, error) {
		if cerr := tx.Commit(); cerr != nil {
			return relay.Pairing{}, fmt.Errorf("claim pairing: %w", cerr)
		}
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	if !now.Before(p.Expires) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pairings WHERE lookup = ?`, lookup); err != nil {
			return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
		}
		return finish(relay.ErrNotFound)
	}
	if !verify(p.Verifier) {
		q := `UPDATE pairings SET tries = tries + 1 WHERE lookup = ?`
		if p.Tries+1 >= relay.PairingTries {
			q = `DELETE FROM pairings WHERE lookup = ?`
		}
		if _, err := tx.ExecContext(ctx, q, lookup); err != nil {
			return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
		}
		return finish(relay.ErrUnauthorized)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM devices WHERE learner = ? AND owner IS NULL`, learner).Scan(&n); err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	if n >= relay.MaxDevices {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", relay.ErrLimit)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pairings WHERE lookup = ?`, lookup); err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	d.Learner = p.Learner
	if err := insertDevice(ctx, tx, d); err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return relay.Pairing{}, fmt.Errorf("claim pairing: %w", err)
	}
	return p, nil
}

// Purge deletes expired pairing offers, join codes and co-trainer
// offers, and used-up or expired invites.
func (s *Relay) Purge(ctx context.Context, now time.Time) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM pairings WHERE expires <= ?`, ms(now)); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE expires <= ? OR uses <= 0`, ms(now)); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	for _, q := range []string{`DELETE FROM join_codes WHERE expires <= ?`, `DELETE FROM trainer_offers WHERE expires <= ?`} {
		if _, err := tx.ExecContext(ctx, q, ms(now)); err != nil {
			return fmt.Errorf("purge: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	s.scrub(ctx)
	return nil
}
