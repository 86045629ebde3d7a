package relay

import (
	"context"
	"time"
)

// Limits on groups, which the stores enforce.
const (
	// MaxGroupsPerTrainer is how many groups one trainer's account may
	// have.
	MaxGroupsPerTrainer = 100
	// MaxGroupsPerLearner is how many groups one learner may be in.
	MaxGroupsPerLearner = 20
	// MaxMembers is how many learners one group may have.
	MaxMembers = 500
	// MaxTrainers is how many trainers' accounts one group may have.
	MaxTrainers = 10
	// MaxLiveCodes is how many join codes of one group may be live (not
	// expired) at once, revoked ones included.
	MaxLiveCodes = 20
	// JoinTries is how many wrong proofs revoke a join code: a guesser who
	// knows the lookup gets a handful of tries at a 50-bit secret.
	JoinTries = 10
)

// Group is a trainer's group on the server: a random id and the trainers'
// accounts that manage it. Its name and keys are not on the server: the
// name travels sealed in join codes, and shares are sealed to a key the
// server never sees.
type Group struct {
	ID      ID
	Created time.Time
}

// JoinCode is a group's join code as the server keeps it: the lookup, the
// SHA-256 of the proof derived from the code's secret, and the blob (the
// group's public key, id and name, sealed under a key derived from the
// secret). A code is live until Expires unless Revoked.
type JoinCode struct {
	Lookup   string
	Group    ID
	Verifier Hash
	Blob     []byte
	Expires  time.Time
	Revoked  bool
	// Tries counts wrong proofs; JoinTries of them revoke the code.
	Tries   int
	Created time.Time
}

// Membership is a learner in a group: under a random member id, the only
// id of theirs the group's trainers see.
type Membership struct {
	Group   ID
	Member  ID
	Learner ID
	Joined  time.Time
}

// JoinRequest asks to join the group of a join code.
type JoinRequest struct {
	Lookup string
	Now    time.Time
	// Verify says whether a proof's hash is the code's verifier.
	Verify func(Hash) bool
	// Learner is the account joining; Member the id to give a new
	// membership.
	Learner, Member ID
	// Commit makes the membership; without it the code is only checked
	// (a learner reads the group's name before agreeing to share).
	Commit bool
}

// Share is a member's latest share: a blob sealed to the group's key.
// Pos orders shares within a group, gap-free, in commit order.
type Share struct {
	Member ID
	Pos    uint64
	Blob   []byte
}

// ShareQuery asks for a group's shares after a position.
type ShareQuery struct {
	Group   ID
	Trainer ID
	After   uint64
	// MaxBytes caps the page's blobs (a page holds at least one share
	// when there is one).
	MaxBytes int
}

// SharePage is the group's members (all of them: a trainer's app drops
// what it holds of anyone not listed) and the shares changed after the
// query's position.
type SharePage struct {
	Members []ID
	Shares  []Share
	// Next is the position to ask after next time; More is true when
	// MaxBytes cut the page short.
	Next uint64
	More bool
}

// TrainerOffer hands a group's private key to a co-trainer, device to
// device: like a pairing offer, the server keeps the lookup, the proof's
// hash and the key sealed under a key derived from the code's secret.
type TrainerOffer struct {
	Lookup   string
	Group    ID
	Verifier Hash
	Blob     []byte
	Expires  time.Time
	Tries    int
	Created  time.Time
}

// Aggregate is one group's anonymised counts for one month (Period,
// "2006-01"), as its trainer's app uploaded them (JSON, checked by the
// server: no count under 5, no name). The organisation's admin page sums
// them. Aggregates outlive their group: they are the organisation's
// history, and name no one.
type Aggregate struct {
	Group   ID
	Period  string
	Body    []byte
	Updated time.Time
}

// GroupStore keeps trainers' groups, their join codes and co-trainer
// offers, learners' memberships and shares, the organisation's
// aggregates, and the admin tokens. Every method that needs a trainer
// takes the account asking and answers ErrNotFound when it is not one of
// the group's trainers, as for a group that does not exist.
type GroupStore interface {
	// CreateGroup stores a new group with trainer as its first trainer
	// (ErrLimit at MaxGroupsPerTrainer).
	CreateGroup(ctx context.Context, trainer ID, g Group) error
	// DeleteGroup deletes a group with its codes, offers, memberships and
	// shares.
	DeleteGroup(ctx context.Context, trainer, group ID) error
	// CreateJoinCode stores a join code (ErrConflict if a live join code
	// has its lookup, ErrLimit at MaxLiveCodes).
	CreateJoinCode(ctx context.Context, trainer ID, c JoinCode) error
	// RevokeJoinCode revokes a code of the group: it stops working at
	// once.
	RevokeJoinCode(ctx context.Context, trainer, group ID, lookup string) error
	// Join checks a join code and, with Commit, makes the learner a member
	// of its group, or returns the membership they have (joining twice is
	// joining once). An unknown, expired or revoked code is ErrNotFound; a
	// refused proof counts a try and is ErrUnauthorized; a full group, or
	// a learner in MaxGroupsPerLearner groups, is ErrLimit.
	Join(ctx context.Context, r JoinRequest) (JoinCode, Membership, error)
	// PutShare replaces the learner's share in a group they are a member
	// of, at the group's next position.
	PutShare(ctx context.Context, learner, group ID, blob []byte) error
	// Leave ends the learner's membership and deletes their share.
	Leave(ctx context.Context, learner, group ID) error
	// Shares returns the group's members and the shares after q.After,
	// in position order, from one consistent snapshot.
	Shares(ctx context.Context, q ShareQuery) (SharePage, error)
	// CreateTrainerOffer stores a co-trainer offer (ErrConflict if a live
	// offer has its lookup). A group has one live offer at a time: a new
	// one replaces it.
	CreateTrainerOffer(ctx context.Context, trainer ID, o TrainerOffer) error
	// ClaimTrainerOffer takes the live offer under lookup if verify
	// accepts its verifier: it deletes the offer and adds trainer to its
	// group. Like ClaimPairing: ErrNotFound, ErrUnauthorized (a try
	// counted, the offer destroyed at PairingTries), ErrLimit at
	// MaxTrainers.
	ClaimTrainerOffer(ctx context.Context, lookup string, now time.Time, verify func(Hash) bool, trainer ID) (TrainerOffer, error)
	// PutAggregate replaces a group's aggregate for a period.
	PutAggregate(ctx context.Context, trainer ID, a Aggregate) error
	// Aggregates returns every group's aggregate for a period.
	Aggregates(ctx context.Context, period string) ([]Aggregate, error)
	// Periods lists the periods that have aggregates, latest first.
	Periods(ctx context.Context) ([]string, error)
	// CreateAdminToken stores an admin token's hash.
	CreateAdminToken(ctx context.Context, h Hash, now time.Time) error
	// CheckAdminToken returns nil if h is an admin token's hash, else
	// ErrUnauthorized.
	CheckAdminToken(ctx context.Context, h Hash) error
	// RevokeAdminTokens deletes every admin token.
	RevokeAdminTokens(ctx context.Context) error
}
