package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/waymark-app/waymark/internal/relay"
)

// What a trainer's hub needs of its store beyond relay.Store: where each
// learner's chunks go on to (their upstream), the learners it holds, and
// deleting chunks once they are passed on (internal/hub).

// SetUpstream keeps where a learner's chunks are passed on, replacing what
// was kept.
func (s *Relay) SetUpstream(ctx context.Context, u relay.Upstream) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO upstreams (learner, server, pin, token, created) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (learner) DO UPDATE SET server = excluded.server, pin = excluded.pin, token = excluded.token, created = excluded.created`,
		u.Learner[:], u.Server, u.Pin, nonNil(u.Token), ms(u.Created))
	if err != nil {
		return fmt.Errorf("set upstream: %w", err)
	}
	return nil
}

// Upstreams lists every learner's upstream.
func (s *Relay) Upstreams(ctx context.Context) ([]relay.Upstream, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT learner, server, pin, token, created FROM upstreams ORDER BY created, learner`)
	if err != nil {
		return nil, fmt.Errorf("upstreams: %w", err)
	}
	defer rows.Close()
	var out []relay.Upstream
	for rows.Next() {
		var u relay.Upstream
		var learner []byte
		var created int64
		if err := rows.Scan(&learner, &u.Server, &u.Pin, &u.Token, &created); err != nil {
			return nil, fmt.Errorf("upstreams: %w", err)
		}
		copy(u.Learner[:], learner)
		u.Created = fromMS(created)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("upstreams: %w", err)
	}
	return out, nil
}

// Learners lists every learner the store holds, with how many chunks
// each has.
func (s *Relay) Learners(ctx context.Context) (map[relay.ID]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT l.id, (SELECT COUNT(*) FROM chunks c WHERE c.learner = l.id) FROM learners l`)
	if err != nil {
		return nil, fmt.Errorf("learners: %w", err)
	}
	defer rows.Close()
	out := map[relay.ID]int{}
	for rows.Next() {
		var id []byte
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("learners: %w", err)
		}
		out[relay.ID(id)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("learners: %w", err)
	}
	return out, nil
}

// DeleteChunks deletes chunks of a learner, named by stream and range,
// and gives back their bytes to the learner's quota: a hub's, once they
// are passed on. Chunks it does not hold are passed over.
func (s *Relay) DeleteChunks(ctx context.Context, learner relay.ID, chunks []relay.Chunk) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete chunks: %w", err)
	}
	defer tx.Rollback()
	var freed int64
	for _, c := range chunks {
		var size int64
		err := tx.QueryRowContext(ctx, `DELETE FROM chunks WHERE learner = ? AND device = ? AND epoch = ? AND from_seq = ? AND to_seq = ? RETURNING length(body)`,
			learner[:], c.Stream.Device[:], c.Stream.Epoch[:], int64(c.From), int64(c.To)).Scan(&size)
		switch {
		case err == nil:
			freed += size
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("delete chunks: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE learners SET bytes = max(0, bytes - ?) WHERE id = ?`, freed, learner[:]); err != nil {
		return fmt.Errorf("delete chunks: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete chunks: %w", err)
	}
	return nil
}
