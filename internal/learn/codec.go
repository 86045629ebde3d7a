package learn

import (
	"encoding/json"
	"fmt"
)

// Sealer seals the learner's records where they are kept: each record
// bound to what it is (its associated data), and named by a keyed hash,
// so that neither what a record is about nor what it says can be read
// without the key. internal/lockbox's Box is one.
type Sealer interface {
	// Seal seals plain, bound to ad.
	Seal(plain, ad []byte) []byte
	// Open opens what Seal made with the same ad, or fails.
	Open(sealed, ad []byte) ([]byte, error)
	// ID names a record of a kind (say, the state of one lesson).
	ID(kind, name string) []byte
}

// wireEvent is an event's body as it is sealed at rest and on the wire:
// everything but its id, which travels beside it. Keys are short because
// every byte is counted on a prepaid bundle. Fields a newer version adds
// are ignored by this one, and an event of a kind this version does not
// know keeps its bytes as they came (EncodeEvent is never asked to
// re-encode one).
type wireEvent struct {
	Clock   HLC      `json:"c"`
	Kind    string   `json:"k"`
	Lesson  string   `json:"l,omitempty"`
	Step    string   `json:"s,omitempty"`
	Answer  []string `json:"a,omitempty"`
	Correct bool     `json:"r,omitempty"`
	Target  string   `json:"t,omitempty"`
	Data    string   `json:"d,omitempty"`
}

// EncodeEvent returns an event's body: all but its id.
func EncodeEvent(e Event) []byte {
	b, err := json.Marshal(wireEvent{Clock: e.Clock, Kind: string(e.Kind), Lesson: e.Lesson, Step: e.Step,
		Answer: e.Answer, Correct: e.Correct, Target: e.Target, Data: e.Data})
	if err != nil {
		panic(err) // strings and numbers always marshal
	}
	return b
}

// DecodeEvent reads an event's body, with its id. An event of a kind this
// version does not know decodes with that kind (Event.Kind.Valid reports
// false); a body that is not an event gives ErrInvalid.
func DecodeEvent(id EventID, body []byte) (Event, error) {
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil || w.Kind == "" || w.Clock == 0 {
		return Event{}, fmt.Errorf("event %v: %w", id, ErrInvalid)
	}
	return Event{ID: id, Clock: w.Clock, Kind: EventKind(w.Kind), Lesson: w.Lesson, Step: w.Step,
		Answer: w.Answer, Correct: w.Correct, Target: w.Target, Data: w.Data}, nil
}

// ValidateRemote checks an event that came from another device: its id
// and clock must be set, and one of a known kind must be valid. One of a
// kind this version does not know is kept as it is, to be read by a newer
// version.
func (e Event) ValidateRemote() error {
	if e.ID.Device == "" || e.ID.Epoch == "" || e.ID.Seq < 1 || e.Clock == 0 {
		return fmt.Errorf("event %v: %w: no id or clock", e.ID, ErrInvalid)
	}
	if !e.Kind.Valid() {
		return nil
	}
	return e.Validate()
}

// AD returns the associated data an event's sealed body is bound to: its
// id, so a body cannot be moved to another id.
func (id EventID) AD() []byte {
	return fmt.Appendf(nil, "event\x00%s\x00%s\x00%d", id.Device, id.Epoch, id.Seq)
}

// String returns the id as device/epoch/seq (random ids: nothing about the
// learner).
func (id EventID) String() string { return fmt.Sprintf("%s/%s/%d", id.Device, id.Epoch, id.Seq) }

// Chunk is a contiguous run of one of this device's streams (an epoch),
// events From to To, sealed into one body for the sync server. The store
// keeps it until the server has acknowledged it, and sends the same bytes
// again until then.
type Chunk struct {
	Epoch    string
	From, To int64
	Body     []byte
}

// AD returns the associated data a chunk's body is bound to, at rest.
func (c Chunk) AD() []byte { return fmt.Appendf(nil, "chunk\x00%s\x00%d\x00%d", c.Epoch, c.From, c.To) }
