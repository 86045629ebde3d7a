// Package syncapi is the sync protocol's wire format, shared by the client
// (internal/syncclient) and the server (internal/syncserver): paths, JSON
// bodies, the compact binary body of a sync round trip, error codes,
// per-chunk statuses, limits, and reading a request body within its size
// and decompression limits. docs/sync-protocol.md describes the same,
// byte by byte.
//
// What crosses the wire is append-only: codes and statuses have explicit
// values; never reorder, reuse or remove one, only append. Clients treat
// values they do not know as described at each type.
package syncapi

import (
	"encoding/base64"
	"errors"
	"time"
)

// Version is the protocol version: in every path (/v1/...) and as the
// first byte of every binary sync body.
const Version = 1

// Paths of the protocol, version 1.
const (
	PathHealth   = "/healthz"
	PathEnrol    = "/v1/enrol"
	PathSync     = "/v1/sync"
	PathPairings = "/v1/pairings"
	PathPair     = "/v1/pair"
	PathDevices  = "/v1/devices"
	PathLearner  = "/v1/learner"
	// PathCouriers makes a courier of the asking device (docs/sync-protocol.md, "Hubs").
	PathCouriers = "/v1/couriers"
	// PathHubCourier hands a hub the courier it passes the device's
	// learner's chunks on with (hubs only).
	PathHubCourier = "/v1/hub/courier"
	// Groups (issue 11): under PathGroups/{group}, the paths below.
	PathGroups    = "/v1/groups"
	PathJoin      = "/v1/join"
	PathCoTrain   = "/v1/cotrain"
	GroupCodes    = "/codes"          // POST a join code; DELETE /codes/{lookup} revokes it
	GroupShare    = "/share"          // PUT the member's share (binary body)
	GroupMember   = "/membership"     // DELETE: the member leaves
	GroupShares   = "/shares"         // GET ?after=N: the trainer reads
	GroupOffers   = "/trainer-offers" // POST a co-trainer offer
	GroupAggs     = "/aggregates"     // PUT /aggregates/{period}
	PathAdmin     = "/admin/"         // the organisation's admin area (not the learners' API)
	ContentShare  = "application/vnd.waymark.share"
	ContentBinary = "application/vnd.waymark.sync"
	ContentJSON   = "application/json"
)

// Limits of protocol version 1. A server refuses a request beyond them
// with 413 and CodeTooLarge; a client keeps within them.
const (
	// MaxChunkBody is the largest sealed chunk body.
	MaxChunkBody = 64 << 10
	// MaxPushChunks is the most chunks one sync request pushes.
	MaxPushChunks = 256
	// MaxPullChunks is the most chunks one sync response carries.
	MaxPullChunks = 256
	// MaxSyncBody is the largest sync body, request or response, once
	// decompressed; the largest on the wire too.
	MaxSyncBody = 2 << 20
	// DefaultPullBytes is the pull's byte budget (chunk bodies) when the
	// request asks for none; a request may ask for less, not more.
	DefaultPullBytes = 1 << 20
	// MaxJSONBody is the largest body of every other request.
	MaxJSONBody = 8 << 10
	// MaxCursor is the longest cursor.
	MaxCursor = 64
	// MaxLabel is the longest sealed device label.
	MaxLabel = 256
	// MaxBlob is the longest sealed pairing blob.
	MaxBlob = 1024
	// LookupLen is the length of a pairing lookup (Crockford base32).
	LookupLen = 6
	// PairingTTL is how long a pairing offer lives.
	PairingTTL = 10 * time.Minute
	// MaxShare is the largest sealed share.
	MaxShare = 32 << 10
	// MaxShareBytes is the most share bytes one GET of a group's shares
	// carries (at least one share, whatever its size).
	MaxShareBytes = 1 << 20
	// JoinTTL is how long a join code lives unless its trainer says;
	// MaxJoinTTL is the longest it may.
	JoinTTL    = 7 * 24 * time.Hour
	MaxJoinTTL = 90 * 24 * time.Hour
	// TrainerOfferTTL is how long a co-trainer offer lives.
	TrainerOfferTTL = 10 * time.Minute
)

// Code is a stable error code, sent in every error body. Append only.
// A client that meets a code it does not know goes by the HTTP status.
type Code string

// The error codes.
const (
	// CodeBadRequest: the body or a parameter is malformed or truncated.
	CodeBadRequest Code = "bad_request" // 400
	// CodeBadEncoding: the body's Content-Encoding does not decode.
	CodeBadEncoding Code = "bad_encoding" // 400
	// CodeUnsupportedEncoding: a Content-Encoding the server does not take.
	CodeUnsupportedEncoding Code = "unsupported_encoding" // 415
	// CodeUnsupportedVersion: a binary body of a version the server does
	// not speak.
	CodeUnsupportedVersion Code = "unsupported_version" // 400
	// CodeTooLarge: a body, or a part of it, is over a limit.
	CodeTooLarge Code = "too_large" // 413
	// CodeUnauthorized: the device token is missing, wrong or revoked.
	CodeUnauthorized Code = "unauthorized" // 401
	// CodeNotFound: no such thing for this learner.
	CodeNotFound Code = "not_found" // 404
	// CodeInviteRequired: this server enrols only with an invite code.
	CodeInviteRequired Code = "invite_required" // 403
	// CodeInviteInvalid: the invite code is wrong, used up or expired.
	CodeInviteInvalid Code = "invite_invalid" // 403
	// CodePairingFailed: the pairing code is wrong, used or expired.
	CodePairingFailed Code = "pairing_failed" // 403
	// CodePairingBusy: another offer uses this lookup; make a new code.
	CodePairingBusy Code = "pairing_busy" // 409
	// CodeDeviceLimit: the learner has as many devices as allowed.
	CodeDeviceLimit Code = "device_limit" // 409
	// CodeRateLimited: too many requests; wait Retry-After seconds.
	CodeRateLimited Code = "rate_limited" // 429
	// CodeMethodNotAllowed: the path does not take this method.
	CodeMethodNotAllowed Code = "method_not_allowed" // 405
	// CodeInternal: the server failed; try again later.
	CodeInternal Code = "internal" // 500
	// CodeUnavailable: the server is shutting down or overloaded; try
	// again later.
	CodeUnavailable Code = "unavailable" // 503
	// CodeNotAllowed: the token may not do this: a courier's token may
	// only push.
	CodeNotAllowed Code = "not_allowed" // 403
	// CodeNotTrainer: this needs a trainer's account (enrolled with a
	// trainer invite).
	CodeNotTrainer Code = "not_trainer" // 403
	// CodeJoinFailed: the join code is wrong, expired or revoked (one
	// answer for all).
	CodeJoinFailed Code = "join_failed" // 403
	// CodeGroupLimit: a group, a trainer or a learner reached a limit.
	CodeGroupLimit Code = "group_limit" // 409
	// CodeBadAggregate: an aggregate that is not anonymised as the
	// protocol says (a count under 5, a name, an unknown measure).
	CodeBadAggregate Code = "bad_aggregate" // 400
)

// Error is the JSON body of every error response: a stable code and a
// plain sentence for people (logs, support), never shown to a learner.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// ChunkStatus is the server's answer for one pushed chunk, one byte in a
// sync response. Append only. StatusStored and StatusDuplicate both mean
// the chunk is durably committed; a client treats any other value,
// including one it does not know, as "not acknowledged, do not retry it
// as it is".
type ChunkStatus uint8

// The chunk statuses.
const (
	// StatusStored: new, and now committed.
	StatusStored ChunkStatus = 0
	// StatusDuplicate: the same chunk was committed before.
	StatusDuplicate ChunkStatus = 1
	// StatusConflict: another body under this range, or a range that
	// overlaps a stored chunk of the stream: nothing stored. The client
	// splits the chunk into single events and sends them again (see
	// docs/sync-protocol.md).
	StatusConflict ChunkStatus = 2
	// StatusOverQuota: the learner's storage on the server is full.
	StatusOverQuota ChunkStatus = 3
)

// Acknowledged reports whether the chunk is committed on the server.
func (s ChunkStatus) Acknowledged() bool { return s == StatusStored || s == StatusDuplicate }

// ID is a random 128-bit id: a device's or an epoch's.
type ID [16]byte

// String returns the id in unpadded base64url, as paths and JSON carry it.
func (id ID) String() string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// ParseID decodes what String made.
func ParseID(s string) (ID, error) {
	var id ID
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return ID{}, errors.New("syncapi: an id is 16 bytes in unpadded base64url")
	}
	copy(id[:], b)
	return id, nil
}

// EnrolRequest is the body of POST /v1/enrol.
type EnrolRequest struct {
	// Invite is an organisation's invite code; empty on a server with
	// open enrolment.
	Invite string `json:"invite,omitempty"`
	// Trainer asks for a trainer's account: with a trainer invite, or
	// with open enrolment.
	Trainer bool `json:"trainer,omitempty"`
	// Label is the new device's sealed label (at most MaxLabel bytes).
	Label []byte `json:"label,omitempty"`
}

// Enrolled is the answer to an enrolment or a pairing: the new device's
// id and bearer token. The server keeps only the token's hash.
type Enrolled struct {
	Device string `json:"device"`
	Token  string `json:"token"`
	// Blob is, after a pairing, the sealed learner key.
	Blob []byte `json:"blob,omitempty"`
}

// PairingOffer is the body of POST /v1/pairings, sent by a linked device.
type PairingOffer struct {
	// Lookup is the pairing code's lookup part (LookupLen characters).
	Lookup string `json:"lookup"`
	// Verifier is SHA-256 of the proof derived from the code's secret.
	Verifier []byte `json:"verifier"`
	// Blob is the learner key sealed under a key derived from the secret.
	Blob []byte `json:"blob"`
}

// PairingOffered is the answer to a pairing offer.
type PairingOffered struct {
	Expires time.Time `json:"expires"`
}

// PairRequest is the body of POST /v1/pair, sent by the new device.
type PairRequest struct {
	Lookup string `json:"lookup"`
	// Proof is derived from the code's secret (32 bytes).
	Proof []byte `json:"proof"`
	// Label is the new device's sealed label.
	Label []byte `json:"label,omitempty"`
}

// Device is one of the learner's devices as GET /v1/devices lists it.
type Device struct {
	ID       string    `json:"id"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
	Label    []byte    `json:"label,omitempty"`
	// This is true for the device asking.
	This bool `json:"this,omitempty"`
}

// Devices is the body of the answer to GET /v1/devices.
type Devices struct {
	Devices []Device `json:"devices"`
}

// LabelRequest is the body of PUT /v1/devices/{id}.
type LabelRequest struct {
	Label []byte `json:"label"`
}

// HubCourier is the body of PUT /v1/hub/courier: where a hub passes the
// asking device's learner's chunks on, and with what. The token is a
// courier's (it may only push); the learner key never reaches the hub.
type HubCourier struct {
	// Server is the learner's own server (https://host[:port]); Pin its
	// pin, if it has one.
	Server string `json:"server"`
	Pin    string `json:"pin,omitempty"`
	Token  string `json:"token"`
}

// Aggregate is the body of PUT /v1/groups/{id}/aggregates/{period}: one
// group's anonymised counts for one month, as a trainer's app uploads
// them for the organisation's totals. No nickname, no learner's id, no
// lesson id; a count under 5 is never sent as a number (N is null).
type Aggregate struct {
	// Version is the aggregate format: 1.
	Version int            `json:"v"`
	Rows    []AggregateRow `json:"rows"`
}

// AggregateRow is one count of an Aggregate.
type AggregateRow struct {
	// Measure is a report measure's id (internal/report: append only).
	Measure string `json:"m"`
	// Area and Level are an Essential Digital Skills area and level;
	// Milestone a default milestone's code (m01 to m11, internal/report).
	Area      string `json:"a,omitempty"`
	Level     string `json:"l,omitempty"`
	Milestone string `json:"ms,omitempty"`
	// N is the count, 5 or more; null means fewer than 5.
	N *int `json:"n"`
}

// GroupCreated is the answer to POST /v1/groups.
type GroupCreated struct {
	Group string `json:"group"`
}

// JoinCodeOffer is the body of POST /v1/groups/{group}/codes: a join
// code's lookup, the proof's hash, and the group's public key, id and
// name sealed under the code's secret.
type JoinCodeOffer struct {
	Lookup   string `json:"lookup"`
	Verifier []byte `json:"verifier"`
	Blob     []byte `json:"blob"`
	// Expires is when the code stops working (at most MaxJoinTTL away;
	// zero: JoinTTL).
	Expires time.Time `json:"expires,omitzero"`
}

// JoinRequest is the body of POST /v1/join.
type JoinRequest struct {
	Lookup string `json:"lookup"`
	Proof  []byte `json:"proof"`
	// Join makes the membership; without it the server only checks the
	// code and returns the blob (to show the group's name before the
	// learner agrees).
	Join bool `json:"join,omitempty"`
}

// Joined is the answer to POST /v1/join.
type Joined struct {
	Group string `json:"group"`
	// Member is the learner's member id in the group, once joined.
	Member string `json:"member,omitempty"`
	Blob   []byte `json:"blob"`
}

// Shares is the answer to GET /v1/groups/{group}/shares?after=N.
type Shares struct {
	// Cursor is the position to ask after next time.
	Cursor uint64 `json:"cursor"`
	More   bool   `json:"more,omitempty"`
	// Members are all the group's members: a trainer's app drops what it
	// holds of anyone not listed (they left).
	Members []string `json:"members"`
	Shares  []Share  `json:"shares"`
}

// Share is one member's latest share, sealed to the group's key.
type Share struct {
	Member string `json:"member"`
	Blob   []byte `json:"blob"`
}

// CoTrainRequest is the body of POST /v1/cotrain.
type CoTrainRequest struct {
	Lookup string `json:"lookup"`
	Proof  []byte `json:"proof"`
}

// CoTrained is the answer to POST /v1/cotrain: the group, and its private
// key sealed under the code's secret.
type CoTrained struct {
	Group string `json:"group"`
	Blob  []byte `json:"blob"`
}
