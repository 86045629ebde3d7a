package syncserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// routeGroups adds trainers' groups (docs/sync-protocol.md, "Groups").
func (s *Server) routeGroups(m *http.ServeMux) {
	g := syncapi.PathGroups + "/{group}"
	route := func(pattern string, h map[string]http.HandlerFunc) { m.HandleFunc(pattern, s.methods(h)) }
	route(syncapi.PathGroups, map[string]http.HandlerFunc{http.MethodPost: s.own(s.trainer(s.handleCreateGroup))})
	route(g, map[string]http.HandlerFunc{http.MethodDelete: s.own(s.trainer(s.handleDeleteGroup))})
	route(g+syncapi.GroupCodes, map[string]http.HandlerFunc{http.MethodPost: s.own(s.trainer(s.handleCreateCode))})
	route(g+syncapi.GroupCodes+"/{lookup}", map[string]http.HandlerFunc{http.MethodDelete: s.own(s.trainer(s.handleRevokeCode))})
	route(g+syncapi.GroupShare, map[string]http.HandlerFunc{http.MethodPut: s.own(s.handlePutShare)})
	route(g+syncapi.GroupMember, map[string]http.HandlerFunc{http.MethodDelete: s.own(s.handleLeave)})
	route(g+syncapi.GroupShares, map[string]http.HandlerFunc{http.MethodGet: s.own(s.trainer(s.handleShares))})
	route(g+syncapi.GroupOffers, map[string]http.HandlerFunc{http.MethodPost: s.own(s.trainer(s.handleTrainerOffer))})
	route(g+syncapi.GroupAggs+"/{period}", map[string]http.HandlerFunc{http.MethodPut: s.own(s.trainer(s.handlePutAggregate))})
	// Codes are tried at these two. They need a device's token (so its
	// per-device limit), and a code dies after a few wrong proofs
	// (relay.JoinTries, relay.PairingTries): a guesser gets that many tries
	// at a 50-bit secret. They are not limited per address like
	// enrolment: a whole room joins from one hall's Wi-Fi.
	route(syncapi.PathJoin, map[string]http.HandlerFunc{http.MethodPost: s.own(s.handleJoin)})
	route(syncapi.PathCoTrain, map[string]http.HandlerFunc{http.MethodPost: s.own(s.trainer(s.handleCoTrain))})
}

// trainer lets through only devices of trainers' accounts.
func (s *Server) trainer(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !device(r).Trainer {
			s.fail(w, r, http.StatusForbidden, syncapi.CodeNotTrainer, "This needs a trainer's account: enrol with a trainer invite.")
			return
		}
		next(w, r)
	}
}

// pathGroup parses {group}; a malformed id is as unknown as another
// trainer's group.
func (s *Server) pathGroup(w http.ResponseWriter, r *http.Request) (relay.ID, bool) {
	id, err := relay.ParseID(r.PathValue("group"))
	if err != nil {
		s.noGroup(w, r)
		return relay.ID{}, false
	}
	return id, true
}

func (s *Server) noGroup(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, syncapi.CodeNotFound, "No such group for this account.")
}

// groupDone answers a group change with status (204 if 0), or its error.
func (s *Server) groupDone(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, relay.ErrNotFound):
		s.noGroup(w, r)
	case errors.Is(err, relay.ErrLimit):
		s.fail(w, r, http.StatusConflict, syncapi.CodeGroupLimit, "A limit on groups is reached: see the protocol's limits.")
	case errors.Is(err, relay.ErrConflict):
		s.fail(w, r, http.StatusConflict, syncapi.CodePairingBusy, "Another live code uses this lookup: make a new one.")
	case err != nil:
		s.internal(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	g := relay.Group{ID: relay.NewID(), Created: s.now()}
	err := s.store.CreateGroup(r.Context(), device(r).Learner, g)
	if err != nil {
		s.groupDone(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, syncapi.GroupCreated{Group: g.ID.String()})
}

func (s *Server) handleDeleteGroup(w http.ResponseWriter, r *http.Request) {
	if g, ok := s.pathGroup(w, r); ok {
		s.groupDone(w, r, s.store.DeleteGroup(r.Context(), device(r).Learner, g))
	}
}

// checkOffer checks what every code offer carries.
func (s *Server) checkOffer(w http.ResponseWriter, r *http.Request, lookup string, verifier, blob []byte) (string, bool) {
	l, err := syncapi.NormalizeCode(lookup)
	if err != nil || len(l) != syncapi.LookupLen || len(verifier) != sha256.Size || len(blob) == 0 {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "A code needs a 6-character lookup, a 32-byte verifier and a blob.")
		return "", false
	}
	if len(blob) > syncapi.MaxBlob {
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, "The blob is too long.")
		return "", false
	}
	return l, true
}

func (s *Server) handleCreateCode(w http.ResponseWriter, r *http.Request) {
	g, ok := s.pathGroup(w, r)
	if !ok {
		return
	}
	var req syncapi.JoinCodeOffer
	if !s.readJSON(w, r, &req) {
		return
	}
	lookup, ok := s.checkOffer(w, r, req.Lookup, req.Verifier, req.Blob)
	if !ok {
		return
	}
	now := s.now()
	expires := req.Expires
	if expires.IsZero() {
		expires = now.Add(syncapi.JoinTTL)
	}
	if !expires.After(now) || expires.After(now.Add(syncapi.MaxJoinTTL)) {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "A join code expires in the future, within 90 days.")
		return
	}
	c := relay.JoinCode{Lookup: lookup, Group: g, Blob: req.Blob, Expires: expires, Created: now}
	copy(c.Verifier[:], req.Verifier)
	if err := s.store.CreateJoinCode(r.Context(), device(r).Learner, c); err != nil {
		s.groupDone(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, syncapi.PairingOffered{Expires: expires.UTC()})
}

func (s *Server) handleRevokeCode(w http.ResponseWriter, r *http.Request) {
	g, ok := s.pathGroup(w, r)
	if !ok {
		return
	}
	lookup, err := syncapi.NormalizeCode(r.PathValue("lookup"))
	if err != nil {
		s.noGroup(w, r)
		return
	}
	s.groupDone(w, r, s.store.RevokeJoinCode(r.Context(), device(r).Learner, g, lookup))
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req syncapi.JoinRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	lookup, err := syncapi.NormalizeCode(req.Lookup)
	if err != nil || len(lookup) != syncapi.LookupLen || len(req.Proof) != sha256.Size {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "Joining needs a 6-character lookup and a 32-byte proof.")
		return
	}
	proof := sha256.Sum256(req.Proof)
	c, m, err := s.store.Join(r.Context(), relay.JoinRequest{Lookup: lookup, Now: s.now(), Learner: device(r).Learner, Member: relay.NewID(), Commit: req.Join,
		Verify: func(v relay.Hash) bool { return subtle.ConstantTimeCompare(proof[:], v[:]) == 1 }})
	switch {
	case errors.Is(err, relay.ErrNotFound), errors.Is(err, relay.ErrUnauthorized):
		// One answer for unknown, expired, revoked and wrong.
		s.fail(w, r, http.StatusForbidden, syncapi.CodeJoinFailed, "The join code is wrong, expired or revoked.")
	case errors.Is(err, relay.ErrLimit):
		s.fail(w, r, http.StatusConflict, syncapi.CodeGroupLimit, "The group is full, or this learner is in as many groups as allowed.")
	case err != nil:
		s.internal(w, r, err)
	default:
		out := syncapi.Joined{Group: c.Group.String(), Blob: c.Blob}
		if req.Join {
			out.Member = m.Member.String()
		}
		s.writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) handlePutShare(w http.ResponseWriter, r *http.Request) {
	g, ok := s.pathGroup(w, r)
	if !ok {
		return
	}
	body, ok := s.readBody(w, r, syncapi.MaxShare)
	if !ok {
		return
	}
	if len(body) == 0 {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "A share is a sealed blob: the body is empty.")
		return
	}
	s.groupDone(w, r, s.store.PutShare(r.Context(), device(r).Learner, g, body))
}

func (s *Server) handleLeave(w http.ResponseWriter, r *http.Request) {
	if g, ok := s.pathGroup(w, r); ok {
		s.groupDone(w, r, s.store.Leave(r.Context(), device(r).Learner, g))
	}
}

func (s *Server) handleShares(w http.ResponseWriter, r *http.Request) {
	g, ok := s.pathGroup(w, r)
	if !ok {
		return
	}
	var after uint64
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n > relay.MaxSeq {
			s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "after is a position: a whole number.")
			return
		}
		after = n
	}
	p, err := s.store.Shares(r.Context(), relay.ShareQuery{Group: g, Trainer: device(r).Learner, After: after, MaxBytes: syncapi.MaxShareBytes})
	if err != nil {
		s.groupDone(w, r, err)
		return
	}
	out := syncapi.Shares{Cursor: p.Next, More: p.More, Members: []string{}, Shares: []syncapi.Share{}}
	for _, m := range p.Members {
		out.Members = append(out.Members, m.String())
	}
	for _, sh := range p.Shares {
		out.Shares = append(out.Shares, syncapi.Share{Member: sh.Member.String(), Blob: sh.Blob})
	}
	s.writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTrainerOffer(w http.ResponseWriter, r *http.Request) {
	g, ok := s.pathGroup(w, r)
	if !ok {
		return
	}
	var req syncapi.PairingOffer
	if !s.readJSON(w, r, &req) {
		return
	}
	lookup, ok := s.checkOffer(w, r, req.Lookup, req.Verifier, req.Blob)
	if !ok {
		return
	}
	now := s.now()
	o := relay.TrainerOffer{Lookup: lookup, Group: g, Blob: req.Blob, Expires: now.Add(syncapi.TrainerOfferTTL), Created: now}
	copy(o.Verifier[:], req.Verifier)
	if err := s.store.CreateTrainerOffer(r.Context(), device(r).Learner, o); err != nil {
		s.groupDone(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, syncapi.PairingOffered{Expires: o.Expires.UTC()})
}

func (s *Server) handleCoTrain(w http.ResponseWriter, r *http.Request) {
	var req syncapi.CoTrainRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	lookup, err := syncapi.NormalizeCode(req.Lookup)
	if err != nil || len(lookup) != syncapi.LookupLen || len(req.Proof) != sha256.Size {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "A co-trainer code needs a 6-character lookup and a 32-byte proof.")
		return
	}
	proof := sha256.Sum256(req.Proof)
	o, err := s.store.ClaimTrainerOffer(r.Context(), lookup, s.now(),
		func(v relay.Hash) bool { return subtle.ConstantTimeCompare(proof[:], v[:]) == 1 }, device(r).Learner)
	switch {
	case errors.Is(err, relay.ErrNotFound), errors.Is(err, relay.ErrUnauthorized):
		s.fail(w, r, http.StatusForbidden, syncapi.CodePairingFailed, "The co-trainer code is wrong, used or expired.")
	case errors.Is(err, relay.ErrLimit):
		s.fail(w, r, http.StatusConflict, syncapi.CodeGroupLimit, fmt.Sprintf("A group may have %d trainers at most.", relay.MaxTrainers))
	case err != nil:
		s.internal(w, r, err)
	default:
		s.writeJSON(w, http.StatusOK, syncapi.CoTrained{Group: o.Group.String(), Blob: o.Blob})
	}
}

func (s *Server) handlePutAggregate(w http.ResponseWriter, r *http.Request) {
	g, ok := s.pathGroup(w, r)
	if !ok {
		return
	}
	period := r.PathValue("period")
	if !report.ValidPeriod(period) {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "The period is a month: 2006-01.")
		return
	}
	var agg syncapi.Aggregate
	if !s.readJSON(w, r, &agg) {
		return
	}
	if err := report.CheckAggregate(agg); err != nil {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadAggregate, "The aggregate is not anonymised as the protocol says: no count under 5, no name, known measures only.")
		return
	}
	// Kept as the server re-encodes it: a field the protocol does not
	// have is dropped, never stored.
	body, err := json.Marshal(agg)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.groupDone(w, r, s.store.PutAggregate(r.Context(), device(r).Learner, relay.Aggregate{Group: g, Period: period, Body: body, Updated: s.now()}))
}
