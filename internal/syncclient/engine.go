package syncclient

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// Store is what the engine needs from the device's store (internal/sqlite's
// DB): this device's events not yet sent, the chunks waiting for the
// server, and a way to apply what other devices sent, with the cursor, in
// one transaction.
type Store interface {
	// Device returns this device's id and current epoch.
	Device() (device, epoch string)
	// Unsent returns up to limit of this device's events not yet sealed
	// into a chunk, in id order.
	Unsent(ctx context.Context, limit int) ([]learn.Event, error)
	// Enqueue keeps sealed chunks until acknowledged and takes their
	// events off the unsent list, in one transaction.
	Enqueue(ctx context.Context, chunks []learn.Chunk) error
	// Outbox returns the chunks waiting for acknowledgement.
	Outbox(ctx context.Context) ([]learn.Chunk, error)
	// Acked drops acknowledged chunks.
	Acked(ctx context.Context, chunks []learn.Chunk) error
	// Requeue puts a chunk's events back on the unsent list.
	Requeue(ctx context.Context, c learn.Chunk) error
	// Apply stores other devices' events, idempotently, with sealed
	// values (the cursor) in the same transaction; it returns the events
	// that were new.
	Apply(ctx context.Context, events []learn.Event, sealed map[string]any) ([]learn.Event, error)
	// LoadSealed and SaveSealed keep small values sealed with the record.
	LoadSealed(ctx context.Context, name string, v any) (bool, error)
	SaveSealed(ctx context.Context, name string, v any) error
}

// Engine syncs one device's record with a server: one round trip a cycle
// (more while the server says there is more), pushing this device's
// events sealed under the learner key, pulling the learner's other
// devices' events and applying them. An interrupted sync loses nothing:
// chunks stay in the store until acknowledged, and pulled events are
// applied with the new cursor in one transaction.
type Engine struct {
	Store Store
	Conn  *Conn
	// Key is the learner key, shared by the learner's devices.
	Key lockbox.Key
	Log *slog.Logger
	// ChunkEvents caps the events in one chunk (DefaultChunkEvents if 0).
	ChunkEvents int
	// Cursor names the sealed value the pull cursor is kept in: one a
	// server (the learner's own by default; a hub's while following a
	// session through it).
	Cursor string
}

// DefaultChunkEvents is how many events a chunk holds at most: a lesson's
// worth several times over, well under the 64 KiB a chunk may hold.
const DefaultChunkEvents = 200

// Sealed values the engine keeps in the store.
const (
	sealedCursor = "sync.cursor"
	// sealedSingles lists epochs whose chunks hold one event each: after
	// a conflict, so the events the server lacks can be told from those it
	// holds under another chunk (see handleConflict).
	sealedSingles = "sync.singles"
)

// Result says what one Sync did.
type Result struct {
	// Pushed and Pulled count events: this device's acknowledged, and
	// other devices' received.
	Pushed, Pulled int
	// Applied are the events that were new to this device: the
	// interface applies them to what it shows.
	Applied []learn.Event
	// Unreadable counts pulled chunks that did not open under the
	// learner key (skipped; the log says so, without content).
	Unreadable int
	// OverQuota is set when the server refused chunks for lack of room.
	OverQuota bool
	// Rounds counts round trips.
	Rounds int
}

// maxRounds bounds one Sync: a device weeks behind catches up over a few
// syncs rather than in one that never ends.
const maxRounds = 50

// Sync seals this device's new events into chunks, then makes round trips
// until the server has nothing more and every chunk was answered. A
// network failure, a timeout or a server error returns an error and
// acknowledges nothing that was not acknowledged.
func (e *Engine) Sync(ctx context.Context) (Result, error) {
	var res Result
	if err := e.seal(ctx); err != nil {
		return res, err
	}
	device, epoch := e.Store.Device()
	self, err := stream(device, epoch)
	if err != nil {
		return res, err
	}
	// Each chunk is offered once a Sync: one the server did not take (over
	// quota, or a status this version does not know) waits for the next.
	offered := map[chunkKey]bool{}
	for res.Rounds < maxRounds {
		outbox, err := e.Store.Outbox(ctx)
		if err != nil {
			return res, err
		}
		push, sent := e.pushable(device, outbox, offered)
		var cursor []byte
		if _, err := e.Store.LoadSealed(ctx, e.cursorName(), &cursor); err != nil {
			return res, err
		}
		resp, err := e.Conn.Sync(ctx, syncapi.SyncRequest{Self: self, Cursor: cursor, Push: push})
		res.Rounds++
		if err != nil {
			return res, err
		}
		if len(resp.Acks) != len(push) {
			return res, fmt.Errorf("sync: %d answers for %d chunks", len(resp.Acks), len(push))
		}
		if err := e.acknowledge(ctx, sent, resp.Acks, &res); err != nil {
			return res, err
		}
		if err := e.apply(ctx, resp, &res); err != nil {
			return res, err
		}
		if resp.More {
			continue
		}
		outbox, err = e.Store.Outbox(ctx)
		if err != nil {
			return res, err
		}
		if !pending(outbox, offered) {
			return res, nil
		}
	}
	return res, nil
}

// pushable picks the chunks of one request, oldest first, as many as the
// protocol takes, leaving out those offered already in this Sync, and
// notes them as offered.
func (e *Engine) pushable(device string, outbox []learn.Chunk, offered map[chunkKey]bool) ([]syncapi.Chunk, []learn.Chunk) {
	var push []syncapi.Chunk
	var sent []learn.Chunk
	budget := syncapi.MaxSyncBody - 64*1024
	for _, c := range outbox {
		k := keyOf(c)
		if offered[k] {
			continue
		}
		if len(push) == syncapi.MaxPushChunks || budget < len(c.Body)+64 {
			break
		}
		st, err := stream(device, c.Epoch)
		if err != nil {
			continue // not ours to send: cannot happen for this device's ids
		}
		offered[k] = true
		push = append(push, syncapi.Chunk{Stream: st, From: uint64(c.From), To: uint64(c.To), Body: c.Body})
		sent = append(sent, c)
		budget -= len(c.Body) + 64
	}
	return push, sent
}

// chunkKey names a chunk of this device: its epoch and range.
type chunkKey struct {
	epoch    string
	from, to int64
}

func keyOf(c learn.Chunk) chunkKey { return chunkKey{c.Epoch, c.From, c.To} }

// pending reports whether the outbox holds a chunk not yet offered.
func pending(outbox []learn.Chunk, offered map[chunkKey]bool) bool {
	for _, c := range outbox {
		if !offered[keyOf(c)] {
			return true
		}
	}
	return false
}

// acknowledge drops what the server committed and deals with conflicts.
func (e *Engine) acknowledge(ctx context.Context, sent []learn.Chunk, acks []syncapi.ChunkStatus, res *Result) error {
	var done []learn.Chunk
	for i, st := range acks {
		c := sent[i]
		switch {
		case st.Acknowledged():
			done = append(done, c)
			res.Pushed += int(c.To - c.From + 1)
		case st == syncapi.StatusConflict:
			if err := e.handleConflict(ctx, c); err != nil {
				return err
			}
		case st == syncapi.StatusOverQuota:
			res.OverQuota = true
		}
		// Any other status, one this version does not know: kept, and
		// sent again next time.
	}
	if len(done) == 0 {
		return nil
	}
	return e.Store.Acked(ctx, done)
}

// handleConflict deals with a chunk the server holds otherwise: another
// chunk overlaps its range. Every open of the store starts a new epoch, so
// two chunks of one epoch can only hold the same events (a database
// restored from a backup that was taken before the rest of that epoch was
// sent, chunked differently since). A chunk of one event whose range the
// server holds is therefore there already, and is dropped; a longer one is
// split into single events, which are sent again, so that exactly those
// the server lacks are stored.
func (e *Engine) handleConflict(ctx context.Context, c learn.Chunk) error {
	e.log().Warn("the server holds a sent range otherwise; splitting it", "events", c.To-c.From+1)
	if c.From == c.To {
		return e.Store.Acked(ctx, []learn.Chunk{c})
	}
	var singles []string
	if _, err := e.Store.LoadSealed(ctx, sealedSingles, &singles); err != nil {
		return err
	}
	if !contains(singles, c.Epoch) {
		if err := e.Store.SaveSealed(ctx, sealedSingles, append(singles, c.Epoch)); err != nil {
			return err
		}
	}
	if err := e.Store.Requeue(ctx, c); err != nil {
		return err
	}
	return e.seal(ctx)
}

// apply opens the pulled chunks and applies their events, with the new
// cursor, in one transaction.
func (e *Engine) apply(ctx context.Context, resp syncapi.SyncResponse, res *Result) error {
	var events []learn.Event
	for _, c := range resp.Pull {
		evs, err := e.open(c)
		if err != nil {
			// Not sealed under this learner key, or damaged: it can never
			// open here, so it is passed by, and said so.
			res.Unreadable++
			e.log().Warn("a pulled chunk does not open; skipped", "err", err)
			continue
		}
		events = append(events, evs...)
	}
	applied, err := e.Store.Apply(ctx, events, map[string]any{e.cursorName(): resp.Cursor})
	if err != nil {
		return err
	}
	res.Pulled += len(events)
	res.Applied = append(res.Applied, applied...)
	return nil
}

// seal makes chunks of this device's unsent events: contiguous runs of one
// epoch, at most ChunkEvents each (one each for an epoch split after a
// conflict), compressed and sealed under the learner key.
func (e *Engine) seal(ctx context.Context) error {
	device, _ := e.Store.Device()
	var singles []string
	if _, err := e.Store.LoadSealed(ctx, sealedSingles, &singles); err != nil {
		return err
	}
	max := e.ChunkEvents
	if max <= 0 {
		max = DefaultChunkEvents
	}
	for {
		events, err := e.Store.Unsent(ctx, 1000)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		var chunks []learn.Chunk
		for i := 0; i < len(events); {
			limit := max
			if contains(singles, events[i].ID.Epoch) {
				limit = 1
			}
			j := i + 1
			for j < len(events) && j-i < limit && events[j].ID.Epoch == events[i].ID.Epoch && events[j].ID.Seq == events[j-1].ID.Seq+1 {
				j++
			}
			c, err := e.sealChunk(device, events[i:j])
			if err != nil {
				return err
			}
			chunks = append(chunks, c)
			i = j
		}
		if err := e.Store.Enqueue(ctx, chunks); err != nil {
			return err
		}
	}
}

// chunkAD binds a sealed chunk to its stream and range, so that a server
// cannot pass one chunk off as another.
func chunkAD(device, epoch string, from, to int64) []byte {
	return fmt.Appendf(nil, "waymark chunk v1\x00%s\x00%s\x00%d\x00%d", device, epoch, from, to)
}

// sealChunk encodes events (one body a line), compresses and seals them.
func (e *Engine) sealChunk(device string, events []learn.Event) (learn.Chunk, error) {
	var plain bytes.Buffer
	for _, ev := range events {
		plain.Write(learn.EncodeEvent(ev))
		plain.WriteByte('\n')
	}
	c := learn.Chunk{Epoch: events[0].ID.Epoch, From: events[0].ID.Seq, To: events[len(events)-1].ID.Seq}
	c.Body = lockbox.Seal(e.Key, CompressChunk(plain.Bytes()), chunkAD(device, c.Epoch, c.From, c.To))
	if len(c.Body) > syncapi.MaxChunkBody {
		return learn.Chunk{}, fmt.Errorf("seal chunk: %d bytes, over the protocol's %d: %w", len(c.Body), syncapi.MaxChunkBody, learn.ErrInvalid)
	}
	return c, nil
}

// open unseals a pulled chunk and decodes its events.
func (e *Engine) open(c syncapi.Chunk) ([]learn.Event, error) { return OpenChunk(e.Key, c) }

// OpenChunk unseals a chunk with the learner key and decodes its events,
// one a sequence number from From to To.
func OpenChunk(key lockbox.Key, c syncapi.Chunk) ([]learn.Event, error) {
	device, epoch := hex.EncodeToString(c.Stream.Device[:]), hex.EncodeToString(c.Stream.Epoch[:])
	plain, err := lockbox.Open(key, c.Body, chunkAD(device, epoch, int64(c.From), int64(c.To)))
	if err != nil {
		return nil, err
	}
	raw, err := DecompressChunk(plain)
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(bytes.TrimSuffix(raw, []byte{'\n'}), []byte{'\n'})
	if uint64(len(lines)) != c.To-c.From+1 {
		return nil, fmt.Errorf("chunk %d..%d holds %d events: %w", c.From, c.To, len(lines), learn.ErrInvalid)
	}
	out := make([]learn.Event, 0, len(lines))
	for i, line := range lines {
		id := learn.EventID{Device: device, Epoch: epoch, Seq: int64(c.From) + int64(i)}
		ev, err := learn.DecodeEvent(id, line)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// stream turns the store's hex ids into the protocol's.
func stream(device, epoch string) (syncapi.Stream, error) {
	var s syncapi.Stream
	d, err1 := hex.DecodeString(device)
	p, err2 := hex.DecodeString(epoch)
	if err := errors.Join(err1, err2); err != nil || len(d) != len(s.Device) || len(p) != len(s.Epoch) {
		return s, fmt.Errorf("stream %s/%s: %w: ids are 16 bytes of hex", device, epoch, learn.ErrInvalid)
	}
	copy(s.Device[:], d)
	copy(s.Epoch[:], p)
	return s, nil
}

func (e *Engine) cursorName() string {
	if e.Cursor == "" {
		return sealedCursor
	}
	return e.Cursor
}

func (e *Engine) log() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
