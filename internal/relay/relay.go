// Package relay is the sync server's domain: learners, their devices, the
// sealed chunks of events their devices push and pull, pairing offers and
// organisation invites; trainers' groups with their join codes, members'
// sealed shares, co-trainer offers, the organisation's anonymised
// aggregates and admin tokens (groups.go); and the Store the server keeps
// them in.
//
// The server is a relay, not a replica: a chunk's body is sealed by the
// learner's devices under a key the server never holds, so the server
// stores it as it came and merges nothing. It sees only random ids,
// sequence numbers, sizes and times. The package imports only the
// standard library.
package relay

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Domain errors. Stores translate driver errors into these and pass every
// other error on unchanged, so callers can test with errors.Is.
var (
	// ErrNotFound means the thing asked for does not exist (or is not the
	// caller's, which a caller must not be able to tell apart).
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input broke a rule and nothing was changed.
	ErrInvalid = errors.New("invalid")
	// ErrConflict means the change clashes with what is already stored.
	ErrConflict = errors.New("conflict")
	// ErrUnauthorized means a token or a pairing proof is wrong, revoked
	// or missing.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrLimit means a learner has reached a limit (devices, storage).
	ErrLimit = errors.New("limit reached")
)

// Limits the stores enforce.
const (
	// MaxDevices is how many devices one learner may have linked at once.
	MaxDevices = 16
	// PairingTries is how many wrong proofs destroy a pairing offer.
	PairingTries = 3
	// LastSeenPrecision is how finely a device's last-seen time is kept:
	// enough to tell a lost phone from the laptop, and few writes.
	LastSeenPrecision = time.Hour
)

// ID is a random 128-bit identifier: of a learner, of a device, and of
// the device and epoch that a chunk's events came from.
type ID [16]byte

// NewID returns a random ID.
func NewID() ID {
	var id ID
	if _, err := rand.Read(id[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return id
}

// String returns the ID in unpadded base64url, as it appears on the wire.
func (id ID) String() string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// ParseID decodes what String made.
func ParseID(s string) (ID, error) {
	var id ID
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return ID{}, fmt.Errorf("parse id: %w", ErrInvalid)
	}
	copy(id[:], b)
	return id, nil
}

// Hash is a SHA-256 digest. The server stores device tokens and invite
// codes only as hashes, so a copy of its database lets no one in.
type Hash [32]byte

// HashOf returns the SHA-256 of secret.
func HashOf(secret string) Hash { return sha256.Sum256([]byte(secret)) }

// Device is one linked device of a learner, known to the server by a
// random id and the hash of its bearer token.
type Device struct {
	ID      ID
	Learner ID
	// TokenHash is the SHA-256 of the device's bearer token.
	TokenHash Hash
	Created   time.Time
	// LastSeen is the last authenticated request, to LastSeenPrecision.
	LastSeen time.Time
	// Label is an opaque name the learner's devices sealed ("phone").
	Label []byte
	// Owner is, for a courier, the device of the learner that made it;
	// zero for the learner's own devices. A courier's token may only push
	// chunks into its learner's log: a hub holds it to pass on what a
	// learner's device synced with it in a room with no internet (see
	// docs/sync-protocol.md, "Hubs"). It pulls nothing, is not listed
	// among the learner's devices nor counted against MaxDevices, and goes
	// when its owner is unlinked.
	Owner ID
	// Trainer is set when the device's account is a trainer's: enrolled
	// with a trainer invite, or with open enrolment asking for one. Only
	// a trainer's account makes groups and uploads aggregates.
	Trainer bool
}

// Courier reports whether d is a courier (see Device.Owner).
func (d Device) Courier() bool { return d.Owner != ID{} }

// Invite is an organisation's invite code: a first device enrols with one.
type Invite struct {
	// Hash is the SHA-256 of the code; the code itself is not stored.
	Hash Hash
	// Uses is how many enrolments the code has left.
	Uses    int
	Expires time.Time
	Created time.Time
	// Trainer invites enrol trainers' accounts (and learners' too); a
	// learner's invite never enrols a trainer's account.
	Trainer bool
}

// Stream names the events of one device since its database was created,
// restored or cloned: the device's own random id and its epoch. They are
// the events' ids on the device, chosen by it, and need not be the
// server's id for the device (a hub forwards chunks of many devices).
type Stream struct {
	Device ID
	Epoch  ID
}

// Chunk is a sealed run of one stream's events, sequence numbers From to
// To inclusive. Its identity is (learner, stream, From, To); Body is
// opaque to the server.
type Chunk struct {
	Stream   Stream
	From, To uint64
	Body     []byte
	// Pos is the chunk's place in its learner's log, set by the store:
	// gap-free and in commit order within a learner.
	Pos uint64
	// Received is when the server committed it.
	Received time.Time
}

// Events is how many events the chunk holds.
func (c Chunk) Events() uint64 { return c.To - c.From + 1 }

// Outcome is what a store did with one pushed chunk.
type Outcome int

// The outcomes. Stored and Duplicate both mean the chunk is committed.
const (
	// Stored: the chunk is new and now committed.
	Stored Outcome = iota
	// Duplicate: the same chunk (same range, same body) was already
	// committed; nothing changed.
	Duplicate
	// Conflict: a different body under the same range, or a range that
	// overlaps another chunk of the stream. Nothing was stored; the device
	// recovers by starting a new epoch.
	Conflict
	// OverQuota: storing it would take the learner over their storage
	// quota. Nothing was stored.
	OverQuota
)

// Push is a batch of chunks one device sends for its learner.
type Push struct {
	Learner ID
	Chunks  []Chunk
	Now     time.Time
	// Quota is the most body bytes the learner may have stored (0: no
	// limit).
	Quota int64
}

// Query asks for a learner's chunks after a position.
type Query struct {
	Learner ID
	// After is the position of the last chunk already seen (0: none).
	After uint64
	// Exclude is the asking device's own current stream, which it has.
	Exclude Stream
	// MaxCount and MaxBytes cap the page (bodies' bytes); a page holds at
	// least one chunk when there is one, however big.
	MaxCount int
	MaxBytes int
}

// Page is a run of chunks in position order.
type Page struct {
	Chunks []Chunk
	// Next is the position to ask after next time: the last chunk's when
	// More, else the learner's last position (which passes chunks the
	// query excluded, so an idle device does not scan them again, and
	// brings back a cursor past the end, forged or from before the
	// server's database was restored from a backup).
	Next uint64
	// More is true when the caps cut the page short.
	More bool
}

// Pairing is a pairing offer made by a linked device: the new device that
// proves it knows the code's secret gets a device of the same learner and
// the blob (the learner key sealed under a key derived from the secret,
// which the server never sees).
type Pairing struct {
	// Lookup is the part of the pairing code sent to the server.
	Lookup  string
	Learner ID
	// Verifier is the SHA-256 of the proof derived from the secret.
	Verifier Hash
	Blob     []byte
	Expires  time.Time
	// Tries counts wrong proofs; PairingTries of them destroy the offer.
	Tries   int
	Created time.Time
}

// Store keeps the server's data. Implementations are safe for concurrent
// use, also by several server processes on one database where they allow
// it. Every method that changes data commits before it returns.
type Store interface {
	// CreateInvite stores an organisation invite.
	CreateInvite(ctx context.Context, inv Invite) error
	// Enrol creates a learner and its first device d (d.Learner is the new
	// learner's id; d.Trainer makes the account a trainer's). With an
	// invite hash it uses up one use of that invite, failing with
	// ErrNotFound if it is unknown, used up or expired, or a learner's
	// invite for a trainer's account; with nil, enrolment is open.
	Enrol(ctx context.Context, invite *Hash, d Device) error
	// Authenticate returns the device whose token hashes to h (with its
	// account's Trainer flag), recording it as seen at now, or
	// ErrUnauthorized.
	Authenticate(ctx context.Context, h Hash, now time.Time) (Device, error)
	// Devices lists a learner's own devices (couriers left out), oldest
	// first.
	Devices(ctx context.Context, learner ID) ([]Device, error)
	// SetLabel sets the sealed label of a device of learner (ErrNotFound
	// if the learner has no such device).
	SetLabel(ctx context.Context, learner, device ID, label []byte) error
	// Unlink revokes a device or courier of learner: its token stops
	// working at once, and so does the courier it made (ErrNotFound if
	// the learner has no such device).
	Unlink(ctx context.Context, learner, device ID) error
	// CreateCourier stores c as the courier of owner (c.Learner and
	// c.Owner are set from owner), replacing owner's earlier courier:
	// each device has at most one. ErrNotFound if owner is gone;
	// ErrInvalid if owner is itself a courier.
	CreateCourier(ctx context.Context, owner Device, c Device) error
	// DeleteLearner deletes the learner with every chunk, device and
	// pairing offer of theirs, their memberships of groups with what they
	// shared, and the groups they were the last trainer of.
	DeleteLearner(ctx context.Context, learner ID) error
	// Push stores chunks in one transaction and reports, chunk by chunk,
	// what it did. It returns only after the transaction committed.
	Push(ctx context.Context, p Push) ([]Outcome, error)
	// Pull returns a page of the learner's chunks after q.After, in
	// position order, from one consistent snapshot.
	Pull(ctx context.Context, q Query) (Page, error)
	// CreatePairing stores a pairing offer; ErrConflict if an offer with
	// that lookup is live.
	CreatePairing(ctx context.Context, p Pairing) error
	// ClaimPairing takes the live offer under lookup if verify accepts its
	// verifier: it deletes the offer, creates device d for the offer's
	// learner (d.Learner is set from it) and returns the offer. A refused
	// proof counts a try and gives ErrUnauthorized (and destroys the offer
	// at PairingTries); an unknown, used or expired offer is ErrNotFound;
	// a learner with MaxDevices devices (couriers not counted) is
	// ErrLimit.
	ClaimPairing(ctx context.Context, lookup string, now time.Time, verify func(Hash) bool, d Device) (Pairing, error)
	// Purge deletes expired pairing offers, invites, join codes and
	// co-trainer offers.
	Purge(ctx context.Context, now time.Time) error
	// Close releases the store.
	Close() error

	GroupStore
}

// Upstream is, on a trainer's hub, where one learner's chunks are passed
// on and with what: the learner's own server, its pin, and the courier
// token the learner's device handed over (sealed by the hub, so that a
// copy of the hub's files pushes nothing anywhere).
type Upstream struct {
	Learner ID
	Server  string
	Pin     string
	Token   []byte
	Created time.Time
}

// MaxSeq bounds sequence numbers, so they fit every store's integers.
const MaxSeq = 1<<62 - 1

// Validate checks a chunk's range and body: 1 <= From <= To <= MaxSeq and
// a body that is not empty.
func (c Chunk) Validate() error {
	if c.From < 1 || c.From > c.To || c.To > MaxSeq {
		return fmt.Errorf("chunk %d-%d: range: %w", c.From, c.To, ErrInvalid)
	}
	if len(c.Body) == 0 {
		return fmt.Errorf("chunk %d-%d: empty body: %w", c.From, c.To, ErrInvalid)
	}
	return nil
}
