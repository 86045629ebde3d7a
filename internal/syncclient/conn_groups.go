package syncclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// The protocol's group calls (docs/sync-protocol.md, "Groups"). What the
// server sees of them: random ids, lookups, verifiers, sizes and times;
// every blob is sealed by the devices.

func groupPath(groupID, rest string) string {
	return syncapi.PathGroups + "/" + url.PathEscape(groupID) + rest
}

// EnrolTrainer enrols a trainer's account (with a trainer invite, or none
// on a server with open enrolment). The Conn then uses its token.
func (c *Conn) EnrolTrainer(ctx context.Context, invite string) (syncapi.Enrolled, error) {
	var out syncapi.Enrolled
	if err := c.callJSON(ctx, "enrol trainer", http.MethodPost, syncapi.PathEnrol, syncapi.EnrolRequest{Invite: invite, Trainer: true}, &out, false); err != nil {
		return syncapi.Enrolled{}, err
	}
	c.SetToken(out.Token)
	return out, nil
}

// CreateGroup makes a group on the server and returns its id.
func (c *Conn) CreateGroup(ctx context.Context) (string, error) {
	var out syncapi.GroupCreated
	err := c.callJSON(ctx, "create group", http.MethodPost, syncapi.PathGroups, struct{}{}, &out, true)
	return out.Group, err
}

// DeleteGroup deletes a group with its members' shares.
func (c *Conn) DeleteGroup(ctx context.Context, groupID string) error {
	return c.callJSON(ctx, "delete group", http.MethodDelete, groupPath(groupID, ""), nil, nil, true)
}

// JoinOffer is a join code made by a trainer: show it as text and as a QR
// code until Expires.
type JoinOffer struct {
	Code    string
	Lookup  string
	Expires time.Time
}

// CreateJoinCode makes a join code for a group and leaves it on the
// server: the lookup, the proof's hash, and info (the group's id, name and
// public key) sealed under the code's secret. ttl 0 is the protocol's
// default (a week).
func (c *Conn) CreateJoinCode(ctx context.Context, info group.Info, ttl time.Duration) (JoinOffer, error) {
	for range 3 { // a lookup in use by another code: a new code
		code := group.NewCode()
		k, err := group.Derive(group.Join, code)
		if err != nil {
			return JoinOffer{}, err
		}
		req := syncapi.JoinCodeOffer{Lookup: k.Lookup, Verifier: k.Verifier[:], Blob: k.SealInfo(info)}
		if ttl > 0 {
			req.Expires = time.Now().Add(ttl).UTC()
		}
		var out syncapi.PairingOffered
		err = c.callJSON(ctx, "create join code", http.MethodPost, groupPath(info.ID, syncapi.GroupCodes), req, &out, true)
		if CodeOf(err) == syncapi.CodePairingBusy {
			continue
		}
		if err != nil {
			return JoinOffer{}, err
		}
		return JoinOffer{Code: code, Lookup: k.Lookup, Expires: out.Expires}, nil
	}
	return JoinOffer{}, &Error{Op: "create join code", Status: http.StatusConflict, Code: syncapi.CodePairingBusy, Message: "no free code after 3 tries"}
}

// RevokeJoinCode stops a join code working, at once.
func (c *Conn) RevokeJoinCode(ctx context.Context, groupID, lookup string) error {
	return c.callJSON(ctx, "revoke join code", http.MethodDelete, groupPath(groupID, syncapi.GroupCodes+"/"+url.PathEscape(lookup)), nil, nil, true)
}

// JoinPreview is what a join code says before the learner agrees: the
// group, as its trainer named it, with the key shares are sealed to.
type JoinPreview struct {
	Info group.Info
	// Member is the learner's member id once joined ("" before).
	Member string
}

// Join checks a join code with the server and opens its blob with the
// code's secret; with join set, it also makes this learner a member. A
// blob that does not open under the code, or that names another group
// than the server's answer, is refused: a server cannot slip in a key of
// its own.
func (c *Conn) Join(ctx context.Context, code string, join bool) (JoinPreview, error) {
	k, err := group.Derive(group.Join, code)
	if err != nil {
		return JoinPreview{}, fmt.Errorf("join: %w", err)
	}
	var out syncapi.Joined
	if err := c.callJSON(ctx, "join", http.MethodPost, syncapi.PathJoin, syncapi.JoinRequest{Lookup: k.Lookup, Proof: k.Proof[:], Join: join}, &out, true); err != nil {
		return JoinPreview{}, err
	}
	info, err := k.OpenInfo(out.Blob)
	if err != nil {
		return JoinPreview{}, fmt.Errorf("join: %w", err)
	}
	if info.ID != out.Group || (join && out.Member == "") {
		return JoinPreview{}, fmt.Errorf("join: %w: the server's group is not the code's", group.ErrSeal)
	}
	return JoinPreview{Info: info, Member: out.Member}, nil
}

// PutShare replaces this learner's share in a group with a sealed one.
func (c *Conn) PutShare(ctx context.Context, groupID string, sealed []byte) error {
	_, err := c.call(ctx, "put share", http.MethodPut, groupPath(groupID, syncapi.GroupShare), sealed, syncapi.ContentShare, true)
	return err
}

// Leave ends this learner's membership of a group; the server deletes
// what they shared.
func (c *Conn) Leave(ctx context.Context, groupID string) error {
	return c.callJSON(ctx, "leave", http.MethodDelete, groupPath(groupID, syncapi.GroupMember), nil, nil, true)
}

// Shares reads a group's members and the shares changed after a cursor.
func (c *Conn) Shares(ctx context.Context, groupID string, after uint64) (syncapi.Shares, error) {
	var out syncapi.Shares
	err := c.callJSON(ctx, "shares", http.MethodGet, groupPath(groupID, syncapi.GroupShares)+"?after="+strconv.FormatUint(after, 10), nil, &out, true)
	return out, err
}

// OfferCoTrainer makes a co-trainer code for a group: its private key
// sealed under the code's secret, which never reaches the server.
func (c *Conn) OfferCoTrainer(ctx context.Context, g group.Keyed) (JoinOffer, error) {
	for range 3 {
		code := group.NewCode()
		k, err := group.Derive(group.CoTrainer, code)
		if err != nil {
			return JoinOffer{}, err
		}
		var out syncapi.PairingOffered
		err = c.callJSON(ctx, "offer co-trainer", http.MethodPost, groupPath(g.ID, syncapi.GroupOffers),
			syncapi.PairingOffer{Lookup: k.Lookup, Verifier: k.Verifier[:], Blob: k.SealKeyed(g)}, &out, true)
		if CodeOf(err) == syncapi.CodePairingBusy {
			continue
		}
		if err != nil {
			return JoinOffer{}, err
		}
		return JoinOffer{Code: code, Lookup: k.Lookup, Expires: out.Expires}, nil
	}
	return JoinOffer{}, &Error{Op: "offer co-trainer", Status: http.StatusConflict, Code: syncapi.CodePairingBusy, Message: "no free code after 3 tries"}
}

// CoTrain takes a co-trainer code: this trainer's account becomes one of
// the group's trainers, and the group's private key comes sealed under
// the code's secret.
func (c *Conn) CoTrain(ctx context.Context, code string) (group.Keyed, error) {
	k, err := group.Derive(group.CoTrainer, code)
	if err != nil {
		return group.Keyed{}, fmt.Errorf("co-train: %w", err)
	}
	var out syncapi.CoTrained
	if err := c.callJSON(ctx, "co-train", http.MethodPost, syncapi.PathCoTrain, syncapi.CoTrainRequest{Lookup: k.Lookup, Proof: k.Proof[:]}, &out, true); err != nil {
		return group.Keyed{}, err
	}
	g, err := k.OpenKeyed(out.Blob)
	if err != nil {
		return group.Keyed{}, fmt.Errorf("co-train: %w", err)
	}
	if g.ID != out.Group {
		return group.Keyed{}, fmt.Errorf("co-train: %w: the server's group is not the code's", group.ErrSeal)
	}
	return g, nil
}

// PutAggregate uploads a group's anonymised counts for a month, gzipped.
func (c *Conn) PutAggregate(ctx context.Context, groupID, period string, a syncapi.Aggregate) error {
	body, err := jsonBody(a)
	if err != nil {
		return &Error{Op: "put aggregate", Err: err}
	}
	_, err = c.callEncoded(ctx, "put aggregate", http.MethodPut, groupPath(groupID, syncapi.GroupAggs+"/"+url.PathEscape(period)), syncapi.Gzip(body), syncapi.ContentJSON, syncapi.EncodingGzip)
	return err
}
