package syncapi

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Stream names one device's events since its database was created,
// restored or cloned: the device's id and its epoch, both chosen by the
// device.
type Stream struct {
	Device ID
	Epoch  ID
}

// Chunk is a sealed run of one stream's events, sequence numbers From to
// To inclusive, as the client sealed it. The server never opens Body.
type Chunk struct {
	Stream   Stream
	From, To uint64
	Body     []byte
}

// SyncRequest is the body of POST /v1/sync.
type SyncRequest struct {
	// Self is the asking device's current stream: its own chunks are not
	// sent back to it (chunks of its earlier epochs are).
	Self Stream
	// Cursor is what the last response returned (empty: from the start).
	Cursor []byte
	// PullBytes caps the pulled bodies' bytes (0: DefaultPullBytes).
	PullBytes uint64
	// Push are chunks not yet acknowledged, oldest first.
	Push []Chunk
}

// SyncResponse is the body of a successful sync.
type SyncResponse struct {
	// More is true when the pull was cut short by a cap: sync again.
	More bool
	// Cursor is the cursor to send next time, kept only with the pulled
	// chunks applied.
	Cursor []byte
	// Acks has one status per pushed chunk, in the request's order.
	Acks []ChunkStatus
	// Pull are chunks from the learner's other streams, in log order.
	Pull []Chunk
}

// ErrMalformed means a binary body does not decode: truncated, trailing
// bytes, a bad field or a field over a limit (ErrTooLarge says which).
var ErrMalformed = errors.New("malformed sync body")

// ErrTooLarge means a body or a field is over a limit.
var ErrTooLarge = errors.New("over a limit")

// ErrVersion means a binary body of a version this code does not speak.
var ErrVersion = errors.New("unsupported sync body version")

// MaxSeq bounds sequence numbers so that every store can keep them.
const MaxSeq = 1<<62 - 1

const flagStream = 0x01 // a chunk carries its stream
const flagMore = 0x01   // a response's pull was cut short

// AppendBinary appends the request's binary form to b.
func (r SyncRequest) AppendBinary(b []byte) ([]byte, error) {
	if len(r.Cursor) > MaxCursor || len(r.Push) > MaxPushChunks {
		return nil, fmt.Errorf("encode sync request: %w", ErrTooLarge)
	}
	b = append(b, Version)
	b = append(b, r.Self.Device[:]...)
	b = append(b, r.Self.Epoch[:]...)
	b = appendBytes(b, r.Cursor)
	b = binary.AppendUvarint(b, r.PullBytes)
	b = binary.AppendUvarint(b, uint64(len(r.Push)))
	return appendChunks(b, r.Self, r.Push)
}

// AppendBinary appends the response's binary form to b.
func (r SyncResponse) AppendBinary(b []byte) ([]byte, error) {
	if len(r.Cursor) > MaxCursor || len(r.Acks) > MaxPushChunks || len(r.Pull) > MaxPullChunks {
		return nil, fmt.Errorf("encode sync response: %w", ErrTooLarge)
	}
	var flags byte
	if r.More {
		flags |= flagMore
	}
	b = append(b, Version, flags)
	b = appendBytes(b, r.Cursor)
	b = binary.AppendUvarint(b, uint64(len(r.Acks)))
	for _, a := range r.Acks {
		b = append(b, byte(a))
	}
	b = binary.AppendUvarint(b, uint64(len(r.Pull)))
	// The first pulled chunk always carries its stream: no stream is
	// implied in a response.
	return appendChunks(b, Stream{}, r.Pull)
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendChunks(b []byte, prev Stream, cs []Chunk) ([]byte, error) {
	first := true
	for _, c := range cs {
		if c.From < 1 || c.From > c.To || c.To > MaxSeq || len(c.Body) == 0 {
			return nil, fmt.Errorf("encode chunk %d-%d: %w", c.From, c.To, ErrMalformed)
		}
		if len(c.Body) > MaxChunkBody {
			return nil, fmt.Errorf("encode chunk %d-%d: %w", c.From, c.To, ErrTooLarge)
		}
		if c.Stream == prev && !(first && prev == (Stream{})) {
			b = append(b, 0)
		} else {
			b = append(b, flagStream)
			b = append(b, c.Stream.Device[:]...)
			b = append(b, c.Stream.Epoch[:]...)
		}
		first = false
		prev = c.Stream
		b = binary.AppendUvarint(b, c.From)
		b = binary.AppendUvarint(b, c.To-c.From)
		b = appendBytes(b, c.Body)
	}
	return b, nil
}

// decoder reads a binary body; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail(ErrMalformed)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) id() (id ID) {
	if d.err != nil || len(d.b) < len(id) {
		d.fail(ErrMalformed)
		return id
	}
	copy(id[:], d.b)
	d.b = d.b[len(id):]
	return id
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(ErrMalformed)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes reads a length-prefixed field of at most max bytes; it copies, so
// the result does not pin the whole body.
func (d *decoder) bytes(max int) []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(max) {
		d.fail(ErrTooLarge)
		return nil
	}
	if uint64(len(d.b)) < n {
		d.fail(ErrMalformed)
		return nil
	}
	v := append([]byte(nil), d.b[:n]...)
	d.b = d.b[n:]
	return v
}

func (d *decoder) count(max int) int {
	n := d.uvarint()
	if n > uint64(max) {
		d.fail(ErrTooLarge)
		return 0
	}
	// Every element takes a byte at least: a count beyond the bytes left
	// is a lie, refused before anything is allocated for it.
	if n > uint64(len(d.b)) {
		d.fail(ErrMalformed)
		return 0
	}
	return int(n)
}

func (d *decoder) chunks(prev Stream, n int) []Chunk {
	var out []Chunk
	for i := 0; i < n && d.err == nil; i++ {
		var c Chunk
		switch flags := d.byte(); {
		case flags == flagStream:
			c.Stream = Stream{Device: d.id(), Epoch: d.id()}
		case flags == 0 && (i > 0 || prev != Stream{}):
			c.Stream = prev
		default:
			d.fail(ErrMalformed)
		}
		c.From = d.uvarint()
		span := d.uvarint()
		c.Body = d.bytes(MaxChunkBody)
		if d.err != nil {
			break
		}
		if c.From < 1 || span > MaxSeq || c.From > MaxSeq-span || len(c.Body) == 0 {
			d.fail(ErrMalformed)
			break
		}
		c.To = c.From + span
		prev = c.Stream
		out = append(out, c)
	}
	return out
}

func (d *decoder) end(what string) error {
	if d.err == nil && len(d.b) > 0 {
		d.err = ErrMalformed // trailing bytes
	}
	if d.err != nil {
		return fmt.Errorf("decode %s: %w", what, d.err)
	}
	return nil
}

// DecodeSyncRequest decodes a request body. It never panics, allocates
// in proportion to the body, and refuses anything over a limit.
func DecodeSyncRequest(b []byte) (SyncRequest, error) {
	if len(b) > MaxSyncBody {
		return SyncRequest{}, fmt.Errorf("decode sync request: %w", ErrTooLarge)
	}
	d := &decoder{b: b}
	var r SyncRequest
	if v := d.byte(); d.err == nil && v != Version {
		return SyncRequest{}, fmt.Errorf("decode sync request: version %d: %w", v, ErrVersion)
	}
	r.Self = Stream{Device: d.id(), Epoch: d.id()}
	r.Cursor = d.bytes(MaxCursor)
	r.PullBytes = d.uvarint()
	n := d.count(MaxPushChunks)
	r.Push = d.chunks(r.Self, n)
	if err := d.end("sync request"); err != nil {
		return SyncRequest{}, err
	}
	return r, nil
}

// DecodeSyncResponse decodes a response body, as strictly as a request.
func DecodeSyncResponse(b []byte) (SyncResponse, error) {
	if len(b) > MaxSyncBody {
		return SyncResponse{}, fmt.Errorf("decode sync response: %w", ErrTooLarge)
	}
	d := &decoder{b: b}
	var r SyncResponse
	if v := d.byte(); d.err == nil && v != Version {
		return SyncResponse{}, fmt.Errorf("decode sync response: version %d: %w", v, ErrVersion)
	}
	flags := d.byte()
	if flags&^flagMore != 0 {
		d.fail(ErrMalformed)
	}
	r.More = flags&flagMore != 0
	r.Cursor = d.bytes(MaxCursor)
	if n := d.count(MaxPushChunks); d.err == nil {
		r.Acks = make([]ChunkStatus, n)
		for i := range r.Acks {
			r.Acks[i] = ChunkStatus(d.byte())
		}
	}
	n := d.count(MaxPullChunks)
	r.Pull = d.chunks(Stream{}, n)
	if err := d.end("sync response"); err != nil {
		return SyncResponse{}, err
	}
	return r, nil
}
