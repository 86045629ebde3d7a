package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// checkUpstream accepts a learner's server address: https://, or plain
// http:// to this machine alone (tests; a server on the same laptop). A
// hub never sends a courier's token in the clear over a network.
func checkUpstream(server string) error {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" || u.User != nil {
		return errors.New("not a server address")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return errors.New("not an https:// address")
}

// courierAD binds a sealed courier token to its learner on this hub.
func courierAD(learner relay.ID) []byte {
	return append([]byte("waymark hub courier v1\x00"), learner[:]...)
}

// sealToken seals a courier's token for the store, under the hub's key
// if it has one.
func (h *Hub) sealToken(learner relay.ID, token string) []byte {
	if h.opt.Key == nil {
		return []byte(token)
	}
	return lockbox.Seal(*h.opt.Key, []byte(token), courierAD(learner))
}

func (h *Hub) openToken(u relay.Upstream) (string, error) {
	if h.opt.Key == nil {
		return string(u.Token), nil
	}
	b, err := lockbox.Open(*h.opt.Key, u.Token, courierAD(u.Learner))
	return string(b), err
}

// Waiting says what the hub holds to pass on.
type Waiting struct {
	// Learners counts learners with chunks waiting; Chunks the chunks.
	Learners, Chunks int
}

// Waiting returns what the hub holds to pass on.
func (h *Hub) Waiting(ctx context.Context) (Waiting, error) {
	ls, err := h.store.Learners(ctx)
	if err != nil {
		return Waiting{}, err
	}
	var w Waiting
	for _, n := range ls {
		if n > 0 {
			w.Learners++
			w.Chunks += n
		}
	}
	return w, nil
}

// Forwarded says what one Forward did.
type Forwarded struct {
	// Learners counts learners whose chunks all went on; Chunks the
	// chunks the servers acknowledged (stored, or held already), and
	// Events the events in them.
	Learners, Chunks, Events int
	// Kept counts chunks a server did not take (its storage full, or
	// another body under the range): kept, to try again.
	Kept int
	// Unreachable counts learners whose server could not be reached: their
	// chunks stay until the next Forward.
	Unreachable int
	// Dropped counts learners whose server refused the courier (they
	// unlinked the device, or deleted their data): their chunks are
	// deleted here, never passed on.
	Dropped int
}

// Forward passes every learner's chunks on to their own server with the
// courier their device handed over: pushed under the chunks' own streams
// and ranges (a server answers "duplicate" for what it has, so a chunk
// is stored there once however often it is sent), still sealed, and
// deleted here once acknowledged. A learner whose server cannot be
// reached keeps theirs until the next Forward. With no session running,
// the hub then forgets every learner it holds nothing of. Forward never
// reads a chunk: it cannot.
func (h *Hub) Forward(ctx context.Context) (Forwarded, error) {
	h.fwd.Lock()
	defer h.fwd.Unlock()
	var out Forwarded
	ups, err := h.store.Upstreams(ctx)
	if err != nil {
		return out, err
	}
	for _, u := range ups {
		n, err := h.forward(ctx, u, &out)
		switch {
		case errors.Is(err, errRefused):
			out.Dropped++
			if err := h.store.DeleteLearner(ctx, u.Learner); err != nil && !errors.Is(err, relay.ErrNotFound) {
				return out, err
			}
		case err != nil:
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			out.Unreachable++
			h.opt.Log.Warn("a learner's server could not be reached; their progress stays on the hub", "err", err)
		case n > 0:
			out.Learners++
		}
	}
	if r := h.Session(); r == nil || r.Projection().Phase == room.PhaseEnded {
		if err := h.forget(ctx); err != nil {
			return out, err
		}
	}
	return out, nil
}

// errRefused means a learner's server refused their courier.
var errRefused = errors.New("the courier was refused")

// forward passes one learner's chunks on; it returns how many went.
func (h *Hub) forward(ctx context.Context, u relay.Upstream, out *Forwarded) (int, error) {
	if err := checkUpstream(u.Server); err != nil {
		return 0, errRefused
	}
	tok, err := h.openToken(u)
	if err != nil {
		return 0, fmt.Errorf("the courier does not open with this hub's key: %w", err)
	}
	conn, err := syncclient.Dial(syncclient.Config{URL: u.Server, Pin: u.Pin, Token: tok, Timeout: 30 * time.Second})
	if err != nil {
		return 0, errRefused
	}
	defer conn.Close()
	sent := 0
	var after uint64
	for {
		page, err := h.store.Pull(ctx, relay.Query{Learner: u.Learner, After: after, MaxCount: syncapi.MaxPushChunks, MaxBytes: syncapi.DefaultPullBytes})
		if errors.Is(err, relay.ErrNotFound) {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		if len(page.Chunks) == 0 {
			return sent, nil
		}
		req := syncapi.SyncRequest{Push: make([]syncapi.Chunk, len(page.Chunks))}
		for i, c := range page.Chunks {
			req.Push[i] = syncapi.Chunk{Stream: syncapi.Stream{Device: syncapi.ID(c.Stream.Device), Epoch: syncapi.ID(c.Stream.Epoch)}, From: c.From, To: c.To, Body: c.Body}
		}
		resp, err := conn.Sync(ctx, req)
		if code := syncclient.CodeOf(err); code == syncapi.CodeUnauthorized || code == syncapi.CodeNotAllowed {
			return sent, errRefused
		}
		if err != nil {
			return sent, err
		}
		var done []relay.Chunk
		for i, st := range resp.Acks {
			if st.Acknowledged() {
				done = append(done, page.Chunks[i])
				out.Events += int(page.Chunks[i].Events())
			} else {
				out.Kept++
			}
		}
		if err := h.store.DeleteChunks(ctx, u.Learner, done); err != nil {
			return sent, err
		}
		sent += len(done)
		out.Chunks += len(done)
		if !page.More {
			return sent, nil
		}
		after = page.Next
	}
}

// forget deletes the learners the hub holds nothing of (their devices,
// and their couriers with them): after a session, the hub keeps only what
// it has yet to pass on.
func (h *Hub) forget(ctx context.Context) error {
	ls, err := h.store.Learners(ctx)
	if err != nil {
		return err
	}
	for id, n := range ls {
		if n > 0 {
			continue
		}
		if err := h.store.DeleteLearner(ctx, id); err != nil && !errors.Is(err, relay.ErrNotFound) {
			return err
		}
	}
	return nil
}
