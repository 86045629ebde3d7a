// Package syncserver is the sync server's HTTP side: the /v1 protocol of
// docs/sync-protocol.md on net/http, over any relay.Store. It checks
// device tokens, limits request sizes and rates, and logs no payload,
// token, address or learner data: a log line is a route, a status, sizes
// and a duration.
package syncserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// Options adjust New; the zero value is a closed server (enrolment only
// with an invite) with the default limits.
type Options struct {
	// OpenEnrolment lets a device enrol without an invite (a personal
	// server or a hub).
	OpenEnrolment bool
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Log receives one line per request and the server's failures
	// (slog.Default() if nil).
	Log *slog.Logger
	// Limits are the rate limits and the storage quota (DefaultLimits if
	// zero).
	Limits Limits
	// TrustProxy takes the client's address from the last entry of
	// X-Forwarded-For, for a server behind a reverse proxy or load
	// balancer that sets it. Without a proxy, leave it off: a client
	// could forge the header to dodge the per-address limits.
	TrustProxy bool
}

// Limits are per-minute request rates (with bursts of half a minute's
// worth) and the per-learner storage quota. A rate of 0 is no limit.
type Limits struct {
	// PerAddress limits all requests from one network address.
	PerAddress int
	// EnrolPerAddress limits enrolments and pairing attempts from one
	// address: they need no token, so this is what slows guessing.
	EnrolPerAddress int
	// PerDevice limits one device's authenticated requests.
	PerDevice int
	// Quota is the most chunk-body bytes a learner may store.
	Quota int64
}

// DefaultLimits are generous for people and tight for scripts: a device
// syncs at start, after a lesson and on request, a few times a minute at
// most.
var DefaultLimits = Limits{PerAddress: 600, EnrolPerAddress: 10, PerDevice: 120, Quota: 64 << 20}

// Server serves the protocol. Create it with New.
type Server struct {
	store  relay.Store
	now    func() time.Time
	log    *slog.Logger
	open   bool
	proxy  bool
	quota  int64
	mux    *http.ServeMux
	byAddr *limiter
	enrol  *limiter
	byDev  *limiter
}

// New returns a server over store.
func New(store relay.Store, opt Options) *Server {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	l := opt.Limits
	s := &Server{
		store: store, now: opt.Now, log: opt.Log, open: opt.OpenEnrolment, proxy: opt.TrustProxy, quota: l.Quota,
		byAddr: newLimiter(l.PerAddress, l.PerAddress/2),
		enrol:  newLimiter(l.EnrolPerAddress, max(l.EnrolPerAddress/2, 3)),
		byDev:  newLimiter(l.PerDevice, l.PerDevice/2),
	}
	m := http.NewServeMux()
	m.HandleFunc(syncapi.PathHealth, s.methods(map[string]http.HandlerFunc{http.MethodGet: s.health}))
	m.HandleFunc(syncapi.PathEnrol, s.methods(map[string]http.HandlerFunc{http.MethodPost: s.limitEnrol(s.handleEnrol)}))
	m.HandleFunc(syncapi.PathPair, s.methods(map[string]http.HandlerFunc{http.MethodPost: s.limitEnrol(s.handlePair)}))
	m.HandleFunc(syncapi.PathSync, s.methods(map[string]http.HandlerFunc{http.MethodPost: s.auth(s.handleSync)}))
	m.HandleFunc(syncapi.PathPairings, s.methods(map[string]http.HandlerFunc{http.MethodPost: s.own(s.handleOffer)}))
	m.HandleFunc(syncapi.PathDevices, s.methods(map[string]http.HandlerFunc{http.MethodGet: s.own(s.handleDevices)}))
	m.HandleFunc(syncapi.PathDevices+"/{id}", s.methods(map[string]http.HandlerFunc{
		http.MethodPut: s.own(s.handleLabel), http.MethodDelete: s.own(s.handleUnlink)}))
	m.HandleFunc(syncapi.PathLearner, s.methods(map[string]http.HandlerFunc{http.MethodDelete: s.own(s.handleDeleteLearner)}))
	m.HandleFunc(syncapi.PathCouriers, s.methods(map[string]http.HandlerFunc{http.MethodPost: s.own(s.handleCourier)}))
	s.routeGroups(m)
	s.routeAdmin(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, syncapi.CodeNotFound, "There is nothing at this path.")
	})
	s.mux = m
	return s
}

// ServeHTTP serves one request: the per-address limit, then the route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	if ok, wait := s.byAddr.allow(s.addr(r), start); !ok {
		s.tooMany(rec, r, wait)
	} else {
		s.mux.ServeHTTP(rec, r)
	}
	route := r.Pattern
	if route == "" {
		route = "unknown"
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("route", route), slog.Int("status", rec.status),
		slog.Int64("in", r.ContentLength), slog.Int("out", rec.written),
		slog.Duration("took", s.now().Sub(start)))
}

// Maintain forgets idle rate-limit buckets and purges expired pairing
// offers and invites; the server's owner calls it every minute or so.
func (s *Server) Maintain(ctx context.Context) error {
	now := s.now()
	s.byAddr.sweep(now)
	s.enrol.sweep(now)
	s.byDev.sweep(now)
	return s.store.Purge(ctx, now)
}

// recorder notes the status and size of a response, for the log.
type recorder struct {
	http.ResponseWriter
	status  int
	written int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.written += n
	return n, err
}

// addr is the client's network address (without port), the key of the
// per-address limits. It is never logged.
func (s *Server) addr(r *http.Request) string {
	if s.proxy {
		if f := r.Header.Values("X-Forwarded-For"); len(f) > 0 {
			parts := strings.Split(f[len(f)-1], ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// methods routes by method, answering others with a JSON 405.
func (s *Server) methods(h map[string]http.HandlerFunc) http.HandlerFunc {
	var allow []string
	for m := range h {
		allow = append(allow, m)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if f, ok := h[r.Method]; ok {
			f(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.fail(w, r, http.StatusMethodNotAllowed, syncapi.CodeMethodNotAllowed, "This path does not take this method.")
	}
}

func (s *Server) limitEnrol(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.enrol.allow(s.addr(r), s.now()); !ok {
			s.tooMany(w, r, wait)
			return
		}
		next(w, r)
	}
}

type deviceKey struct{}

// auth checks the bearer token, applies the per-device limit, and passes
// the device on in the request's context.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || len(tok) != tokenLen {
			s.unauthorized(w, r)
			return
		}
		d, err := s.store.Authenticate(r.Context(), relay.HashOf(tok), s.now())
		if errors.Is(err, relay.ErrUnauthorized) {
			s.unauthorized(w, r)
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if ok, wait := s.byDev.allow(string(d.ID[:]), s.now()); !ok {
			s.tooMany(w, r, wait)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), deviceKey{}, d)))
	}
}

func device(r *http.Request) relay.Device { return r.Context().Value(deviceKey{}).(relay.Device) }

// own is auth for what only the learner's own devices may do: a
// courier's token may only push (POST /v1/sync).
func (s *Server) own(next http.HandlerFunc) http.HandlerFunc {
	return s.auth(func(w http.ResponseWriter, r *http.Request) {
		if device(r).Courier() {
			s.fail(w, r, http.StatusForbidden, syncapi.CodeNotAllowed, "A courier's token may only push.")
			return
		}
		next(w, r)
	})
}

// tokenLen is the length of a device token: 32 random bytes, base64url.
const tokenLen = 43

func newToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readBody reads a request body within limit (on the wire and decoded),
// answering the client itself when it cannot.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if r.ContentLength > limit {
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, fmt.Sprintf("The body is over %d bytes.", limit))
		return nil, false
	}
	body, err := syncapi.ReadBody(http.MaxBytesReader(w, r.Body, limit), r.Header.Get("Content-Encoding"), limit)
	switch {
	case err == nil:
		return body, true
	case errors.Is(err, syncapi.ErrTooLarge):
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, fmt.Sprintf("The body is over %d bytes.", limit))
	case errors.Is(err, syncapi.ErrUnsupported):
		s.fail(w, r, http.StatusUnsupportedMediaType, syncapi.CodeUnsupportedEncoding, "The server takes bodies plain or in gzip.")
	case errors.Is(err, syncapi.ErrEncoding):
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadEncoding, "The body does not decode as its Content-Encoding says.")
	default:
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "The body was cut short.")
	}
	return nil, false
}

// readJSON reads a JSON body into v.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, ok := s.readBody(w, r, syncapi.MaxJSONBody)
	if !ok {
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "The body is not the JSON this path takes.")
		return false
	}
	return true
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own types always marshal
	}
	w.Header().Set("Content-Type", syncapi.ContentJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code syncapi.Code, msg string) {
	s.writeJSON(w, status, syncapi.Error{Code: code, Message: msg})
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", "Bearer")
	s.fail(w, r, http.StatusUnauthorized, syncapi.CodeUnauthorized, "The device token is missing, wrong or revoked.")
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	s.fail(w, r, http.StatusTooManyRequests, syncapi.CodeRateLimited, "Too many requests: wait as Retry-After says.")
}

// internal answers a store failure. The error is logged: stores wrap
// driver errors, which name no learner data.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client went away; nothing to answer
	}
	s.log.LogAttrs(r.Context(), slog.LevelError, "store failed", slog.String("route", r.Pattern), slog.String("error", err.Error()))
	s.fail(w, r, http.StatusInternalServerError, syncapi.CodeInternal, "The server failed. Try again later.")
}

func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request) {
	var req syncapi.EnrolRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	if len(req.Label) > syncapi.MaxLabel {
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, "The label is too long.")
		return
	}
	var invite *relay.Hash
	if req.Invite != "" {
		code, err := syncapi.NormalizeCode(req.Invite)
		if err != nil {
			s.fail(w, r, http.StatusForbidden, syncapi.CodeInviteInvalid, "The invite code is wrong, used up or expired.")
			return
		}
		h := relay.HashOf(code)
		invite = &h
	} else if !s.open {
		s.fail(w, r, http.StatusForbidden, syncapi.CodeInviteRequired, "This server needs an invite code.")
		return
	}
	tok := newToken()
	d := relay.Device{ID: relay.NewID(), Learner: relay.NewID(), TokenHash: relay.HashOf(tok), Created: s.now(), Label: req.Label, Trainer: req.Trainer}
	err := s.store.Enrol(r.Context(), invite, d)
	if errors.Is(err, relay.ErrNotFound) {
		s.fail(w, r, http.StatusForbidden, syncapi.CodeInviteInvalid, "The invite code is wrong, used up or expired, or not a trainer invite.")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, syncapi.Enrolled{Device: d.ID.String(), Token: tok})
}

// statuses maps store outcomes to wire statuses.
var statuses = map[relay.Outcome]syncapi.ChunkStatus{
	relay.Stored:    syncapi.StatusStored,
	relay.Duplicate: syncapi.StatusDuplicate,
	relay.Conflict:  syncapi.StatusConflict,
	relay.OverQuota: syncapi.StatusOverQuota,
}

func (s *Server) handleSync(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	body, ok := s.readBody(w, r, syncapi.MaxSyncBody)
	if !ok {
		return
	}
	req, err := syncapi.DecodeSyncRequest(body)
	switch {
	case errors.Is(err, syncapi.ErrTooLarge):
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, "A part of the sync body is over its limit.")
		return
	case errors.Is(err, syncapi.ErrVersion):
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeUnsupportedVersion, "The server speaks sync body version 1.")
		return
	case err != nil:
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "The sync body is malformed or cut short.")
		return
	}
	after, ok := decodeCursor(req.Cursor)
	if !ok {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "The cursor is not one this server made.")
		return
	}
	resp := syncapi.SyncResponse{Acks: make([]syncapi.ChunkStatus, len(req.Push))}
	if len(req.Push) > 0 {
		p := relay.Push{Learner: d.Learner, Now: s.now(), Quota: s.quota, Chunks: make([]relay.Chunk, len(req.Push))}
		for i, c := range req.Push {
			p.Chunks[i] = relay.Chunk{Stream: relay.Stream{Device: relay.ID(c.Stream.Device), Epoch: relay.ID(c.Stream.Epoch)}, From: c.From, To: c.To, Body: c.Body}
		}
		out, err := s.store.Push(r.Context(), p)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		for i, o := range out {
			resp.Acks[i] = statuses[o]
		}
	}
	if d.Courier() {
		// A courier only carries chunks in: it reads nothing of the
		// learner's, not even their log's length.
		s.writeSync(w, r, resp)
		return
	}
	budget := syncapi.DefaultPullBytes
	if req.PullBytes > 0 && req.PullBytes < uint64(budget) {
		budget = int(req.PullBytes)
	}
	page, err := s.store.Pull(r.Context(), relay.Query{
		Learner: d.Learner, After: after, MaxCount: syncapi.MaxPullChunks, MaxBytes: budget,
		Exclude: relay.Stream{Device: relay.ID(req.Self.Device), Epoch: relay.ID(req.Self.Epoch)},
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	resp.More, resp.Cursor = page.More, encodeCursor(page.Next)
	for _, c := range page.Chunks {
		resp.Pull = append(resp.Pull, syncapi.Chunk{Stream: syncapi.Stream{Device: syncapi.ID(c.Stream.Device), Epoch: syncapi.ID(c.Stream.Epoch)}, From: c.From, To: c.To, Body: c.Body})
	}
	s.writeSync(w, r, resp)
}

// writeSync sends a sync answer in its binary form.
func (s *Server) writeSync(w http.ResponseWriter, r *http.Request, resp syncapi.SyncResponse) {
	out, err := resp.AppendBinary(nil)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	// Every byte counts on a prepaid bundle: no Date, no Content-Type (the
	// path says what the body is).
	h := w.Header()
	h["Date"] = nil
	h["Content-Type"] = nil
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

// encodeCursor makes the opaque cursor: the position, as a uvarint.
func encodeCursor(pos uint64) []byte { return binary.AppendUvarint(nil, pos) }

func decodeCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	v, n := binary.Uvarint(b)
	return v, n == len(b) && v <= relay.MaxSeq
}

func (s *Server) handleOffer(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	var req syncapi.PairingOffer
	if !s.readJSON(w, r, &req) {
		return
	}
	lookup, err := syncapi.NormalizeCode(req.Lookup)
	if err != nil || len(lookup) != syncapi.LookupLen || len(req.Verifier) != sha256.Size || len(req.Blob) == 0 {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "A pairing offer needs a 6-character lookup, a 32-byte verifier and a blob.")
		return
	}
	if len(req.Blob) > syncapi.MaxBlob {
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, "The blob is too long.")
		return
	}
	now := s.now()
	p := relay.Pairing{Lookup: lookup, Learner: d.Learner, Blob: req.Blob, Expires: now.Add(syncapi.PairingTTL), Created: now}
	copy(p.Verifier[:], req.Verifier)
	err = s.store.CreatePairing(r.Context(), p)
	if errors.Is(err, relay.ErrConflict) {
		s.fail(w, r, http.StatusConflict, syncapi.CodePairingBusy, "Another pairing uses this code: make a new one.")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, syncapi.PairingOffered{Expires: p.Expires.UTC()})
}

func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	var req syncapi.PairRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	lookup, err := syncapi.NormalizeCode(req.Lookup)
	if err != nil || len(lookup) != syncapi.LookupLen || len(req.Proof) != sha256.Size {
		s.fail(w, r, http.StatusBadRequest, syncapi.CodeBadRequest, "Pairing needs a 6-character lookup and a 32-byte proof.")
		return
	}
	if len(req.Label) > syncapi.MaxLabel {
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, "The label is too long.")
		return
	}
	proof := sha256.Sum256(req.Proof)
	verify := func(v relay.Hash) bool { return subtle.ConstantTimeCompare(proof[:], v[:]) == 1 }
	tok := newToken()
	d := relay.Device{ID: relay.NewID(), TokenHash: relay.HashOf(tok), Created: s.now(), Label: req.Label}
	p, err := s.store.ClaimPairing(r.Context(), lookup, s.now(), verify, d)
	switch {
	case errors.Is(err, relay.ErrNotFound), errors.Is(err, relay.ErrUnauthorized):
		// One answer for unknown, used, expired and wrong: the answer tells
		// a guesser nothing.
		s.fail(w, r, http.StatusForbidden, syncapi.CodePairingFailed, "The pairing code is wrong, used or expired.")
	case errors.Is(err, relay.ErrLimit):
		s.fail(w, r, http.StatusConflict, syncapi.CodeDeviceLimit, fmt.Sprintf("A learner may link %d devices at most.", relay.MaxDevices))
	case err != nil:
		s.internal(w, r, err)
	default:
		s.writeJSON(w, http.StatusCreated, syncapi.Enrolled{Device: d.ID.String(), Token: tok, Blob: p.Blob})
	}
}

func (s *Server) handleDevices(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	list, err := s.store.Devices(r.Context(), d.Learner)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := syncapi.Devices{Devices: []syncapi.Device{}}
	for _, x := range list {
		out.Devices = append(out.Devices, syncapi.Device{ID: x.ID.String(), Created: x.Created.UTC(), LastSeen: x.LastSeen.UTC(), Label: x.Label, This: x.ID == d.ID})
	}
	s.writeJSON(w, http.StatusOK, out)
}

// pathDevice parses {id}; a malformed id is as unknown as another
// learner's.
func (s *Server) pathDevice(w http.ResponseWriter, r *http.Request) (relay.ID, bool) {
	id, err := relay.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, http.StatusNotFound, syncapi.CodeNotFound, "The learner has no such device.")
		return relay.ID{}, false
	}
	return id, true
}

func (s *Server) handleLabel(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	id, ok := s.pathDevice(w, r)
	if !ok {
		return
	}
	var req syncapi.LabelRequest
	if !s.readJSON(w, r, &req) {
		return
	}
	if len(req.Label) > syncapi.MaxLabel {
		s.fail(w, r, http.StatusRequestEntityTooLarge, syncapi.CodeTooLarge, "The label is too long.")
		return
	}
	s.done(w, r, s.store.SetLabel(r.Context(), d.Learner, id, req.Label))
}

func (s *Server) handleUnlink(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	if id, ok := s.pathDevice(w, r); ok {
		s.done(w, r, s.store.Unlink(r.Context(), d.Learner, id))
	}
}

// handleCourier makes a courier of the asking device, replacing its
// earlier one: a token that may only push this learner's chunks, for a
// hub to pass on what the device synced with it (docs/sync-protocol.md,
// "Hubs").
func (s *Server) handleCourier(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	tok := newToken()
	c := relay.Device{ID: relay.NewID(), TokenHash: relay.HashOf(tok), Created: s.now()}
	err := s.store.CreateCourier(r.Context(), d, c)
	if errors.Is(err, relay.ErrNotFound) {
		s.unauthorized(w, r) // unlinked while asking
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, syncapi.Enrolled{Device: c.ID.String(), Token: tok})
}

func (s *Server) handleDeleteLearner(w http.ResponseWriter, r *http.Request) {
	d := device(r)
	s.done(w, r, s.store.DeleteLearner(r.Context(), d.Learner))
}

// done answers a change with 204, or its error.
func (s *Server) done(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, relay.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, syncapi.CodeNotFound, "The learner has no such device.")
	case err != nil:
		s.internal(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// InviteLen is the length of an invite code: 20 characters, 100 bits.
const InviteLen = 20

// NewInvite makes an organisation invite code good for uses enrolments
// until now+ttl, and the Invite to store for it (which holds only the
// code's hash). The code is shown once, grouped for reading.
func NewInvite(uses int, ttl time.Duration, now time.Time) (code string, inv relay.Invite) {
	raw := syncapi.RandomCode(InviteLen)
	return syncapi.FormatCode(raw), relay.Invite{Hash: relay.HashOf(raw), Uses: uses, Expires: now.Add(ttl), Created: now}
}

// NewTrainerInvite is NewInvite for trainers: its code also enrols
// trainers' accounts, which make groups.
func NewTrainerInvite(uses int, ttl time.Duration, now time.Time) (code string, inv relay.Invite) {
	code, inv = NewInvite(uses, ttl, now)
	inv.Trainer = true
	return code, inv
}

// NewAdminToken makes an admin token for the admin area, and the hash to
// store for it (the token itself is shown once and never stored).
func NewAdminToken() (token string, h relay.Hash) {
	tok := newToken()
	return tok, relay.HashOf(tok)
}
