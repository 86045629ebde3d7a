// Package roomserver serves a live session (internal/room) over HTTP on
// the trainer's hub: the small join page a phone without the app opens
// (HTML, CSS and JavaScript in one response, no framework, nothing loaded
// from elsewhere, in the learner's language), and the JSON calls the page
// and the learners' apps make to join, follow and answer.
//
// A follower is known by a random token and nothing else. What a follower
// can ask for holds the current step and their own answer, never another
// follower's answer, a count or a name: those reach only the projector,
// in process. Requests are small and limited per address; a follower's
// wait for the next step is a long poll (an old phone's browser has
// nothing better), answered as soon as the trainer moves.
package roomserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
)

// Paths of the room's API (JSON over POST) and the page.
const (
	PathPage   = "/"
	PathJoin   = "/r/join"
	PathState  = "/r/state"
	PathAnswer = "/r/answer"
	PathLeave  = "/r/leave"
)

// Code is an error code in a JSON error body: append only.
type Code string

// The error codes.
const (
	CodeBadRequest  Code = "bad_request"        // 400
	CodeTooLarge    Code = "too_large"          // 413
	CodeMediaType   Code = "unsupported_media"  // 415: not application/json
	CodeNotFound    Code = "not_found"          // 404
	CodeMethod      Code = "method_not_allowed" // 405
	CodeRateLimited Code = "rate_limited"       // 429
	CodeRoomCode    Code = "room_code"          // 403: the join code is wrong
	CodeNoSession   Code = "no_session"         // 409: no session is running yet
	CodeUnknown     Code = "unknown"            // 401: not a follower (join again)
	CodeFull        Code = "full"               // 503: the session is full
	CodeNotCurrent  Code = "not_current"        // 409: the trainer moved on
	CodeInvalid     Code = "invalid"            // 400: not an answer to this step
	CodePaused      Code = "paused"             // 409: the trainer paused
	CodeEnded       Code = "ended"              // 410: the session is over
)

// Error is the JSON body of an error answer.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// JoinRequest is the body of POST /r/join.
type JoinRequest struct {
	Code string `json:"code"`
	// Token is the follower's token when coming back ("" the first time).
	Token room.Token `json:"t,omitempty"`
	// Claim names a group member for attendance (apps only; see
	// room.Roster).
	Claim string `json:"claim,omitempty"`
	// Lang, if set, asks for the step's words in that language.
	Lang string `json:"l,omitempty"`
}

// Joined is the answer to a join: the token and what to show.
type Joined struct {
	Token room.Token `json:"t"`
	State State      `json:"s"`
}

// StateRequest is the body of POST /r/state: wait for a change after
// version V (0: answer at once).
type StateRequest struct {
	Token   room.Token `json:"t"`
	Version uint64     `json:"v"`
	Lang    string     `json:"l,omitempty"`
}

// AnswerRequest is the body of POST /r/answer.
type AnswerRequest struct {
	Token  room.Token `json:"t"`
	Step   string     `json:"step"`
	Answer []string   `json:"a"`
	Lang   string     `json:"l,omitempty"`
}

// LeaveRequest is the body of POST /r/leave.
type LeaveRequest struct {
	Token room.Token `json:"t"`
}

// State is what a follower is shown: a room.View, and the step's words in
// the follower's language when asked for (the page asks; an app has the
// course).
type State struct {
	Version uint64     `json:"v"`
	Phase   room.Phase `json:"p"`
	Lesson  string     `json:"lesson"`
	Step    string     `json:"step"`
	Index   int        `json:"i"`
	Total   int        `json:"n"`
	Mine    []string   `json:"mine,omitempty"`
	Content *Content   `json:"c,omitempty"`
}

// Content is a step's words for the page.
type Content struct {
	Title string   `json:"title,omitempty"`
	Text  []string `json:"text,omitempty"`
	// Question is what to answer (a question, or a true/false statement).
	Question string `json:"q,omitempty"`
	// Kind is how the page takes an answer: "one", "many", "none" (done
	// together on the big screen), or "" (a step with no answer).
	Kind    string   `json:"k,omitempty"`
	Options []Option `json:"o,omitempty"`
}

// Option is one choice of a question.
type Option struct {
	ID   string `json:"id"`
	Text string `json:"t"`
}

// Language is one of the interface's languages.
type Language struct {
	Tag, Name string
	RTL       bool
}

// Words are the page's words in each language: the locales' messages.
type Words interface {
	// T returns message id in lang (English where lang lacks it), with
	// data for its placeholders.
	T(lang, id string, data map[string]any) string
}

// Options make a Server.
type Options struct {
	// Facts are the facts lesson texts refer to.
	Facts map[string]learn.Fact
	// Words and Languages are the page's words and languages (Languages
	// in the order the page lists them; the first is the default).
	Words     Words
	Languages []Language
	// Poll is how long a follower's wait for the next step is held open
	// (20 s if zero).
	Poll time.Duration
	// JoinRate limits joins (and code tries) a minute from one address,
	// RequestRate every request (defaults if zero; -1: no limit).
	JoinRate, RequestRate int
	// Now is the clock (time.Now if nil); Log gets one line a request
	// (route, status, duration), never a token, an address or an answer.
	Now func() time.Time
	Log *slog.Logger
}

// Default limits: a phone joins once or twice a session; it asks for the
// next step a few times a minute and answers a few times a step.
const (
	DefaultJoinRate    = 20
	DefaultRequestRate = 300
)

// maxBody bounds a request body.
const maxBody = 4 << 10

// Server serves a room. Its current room changes with SetRoom, as the
// trainer starts and ends sessions.
type Server struct {
	opt     Options
	cur     atomic.Pointer[room.Room]
	mux     *http.ServeMux
	joins   *limiter
	reqs    *limiter
	stopMu  sync.Mutex
	stop    context.Context
	cancel  context.CancelFunc
	pagesMu sync.Mutex
	pages   map[string]*page
}

// New returns a server with no session running.
func New(opt Options) *Server {
	if opt.Poll <= 0 {
		opt.Poll = 20 * time.Second
	}
	if opt.JoinRate == 0 {
		opt.JoinRate = DefaultJoinRate
	}
	if opt.RequestRate == 0 {
		opt.RequestRate = DefaultRequestRate
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if len(opt.Languages) == 0 {
		opt.Languages = []Language{{Tag: learn.DefaultLanguage, Name: "English"}}
	}
	s := &Server{opt: opt, joins: newLimiter(opt.JoinRate), reqs: newLimiter(opt.RequestRate), pages: map[string]*page{}}
	s.stop, s.cancel = context.WithCancel(context.Background())
	m := http.NewServeMux()
	m.HandleFunc("GET "+PathPage+"{$}", s.handlePage)
	m.HandleFunc("POST "+PathJoin, s.handleJoin)
	m.HandleFunc("POST "+PathState, s.handleState)
	m.HandleFunc("POST "+PathAnswer, s.handleAnswer)
	m.HandleFunc("POST "+PathLeave, s.handleLeave)
	m.HandleFunc("/r/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, http.StatusMethodNotAllowed, CodeMethod, "This path takes POST.")
	})
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, http.StatusNotFound, CodeNotFound, "There is nothing at this path.")
	})
	s.mux = m
	return s
}

// SetRoom sets the session followers join (nil: none running).
func (s *Server) SetRoom(r *room.Room) { s.cur.Store(r) }

// Room returns the current session, or nil.
func (s *Server) Room() *room.Room { return s.cur.Load() }

// Close answers every follower's open wait at once (before the HTTP
// server shuts down, which waits for them). Waits that start later are
// held as usual.
func (s *Server) Close() {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	s.cancel()
	s.stop, s.cancel = context.WithCancel(context.Background())
}

func (s *Server) stopping() context.Context {
	s.stopMu.Lock()
	defer s.stopMu.Unlock()
	return s.stop
}

// Sweep forgets idle rate-limit buckets; call it every minute or so.
func (s *Server) Sweep() {
	now := s.opt.Now()
	s.joins.sweep(now)
	s.reqs.sweep(now)
}

// ServeHTTP serves the page and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.opt.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	h := rec.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if !s.reqs.allow(addr(r), start) {
		s.fail(rec, http.StatusTooManyRequests, CodeRateLimited, "Too many requests: wait a little.")
	} else {
		s.mux.ServeHTTP(rec, r)
	}
	route := r.Pattern
	if route == "" {
		route = "unknown"
	}
	s.opt.Log.LogAttrs(r.Context(), slog.LevelInfo, "room request", slog.String("route", route),
		slog.Int("status", rec.status), slog.Duration("took", s.opt.Now().Sub(start)))
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// addr is the client's address, without its port: the key of the limits,
// never logged.
func addr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) fail(w http.ResponseWriter, status int, code Code, msg string) {
	writeJSON(w, status, Error{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own types always marshal
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// read decodes a JSON body of at most maxBody bytes into v, answering the
// client itself when it cannot.
func (s *Server) read(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) != "application/json" {
		// A form post from another site cannot send this type without
		// asking first: no page elsewhere can answer for a follower.
		s.fail(w, http.StatusUnsupportedMediaType, CodeMediaType, "Send JSON, as application/json.")
		return false
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s.fail(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "The body is too large.")
		return false
	case err != nil:
		s.fail(w, http.StatusBadRequest, CodeBadRequest, "The body was cut short.")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		s.fail(w, http.StatusBadRequest, CodeBadRequest, "The body is not the JSON this path takes.")
		return false
	}
	return true
}

func readAll(r interface{ Read([]byte) (int, error) }) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// roomErr answers a room's error.
func (s *Server) roomErr(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, room.ErrCode):
		s.fail(w, http.StatusForbidden, CodeRoomCode, "The join code is wrong.")
	case errors.Is(err, room.ErrUnknown):
		s.fail(w, http.StatusUnauthorized, CodeUnknown, "Not a follower of this session: join again.")
	case errors.Is(err, room.ErrFull):
		s.fail(w, http.StatusServiceUnavailable, CodeFull, "The session is full.")
	case errors.Is(err, room.ErrNotCurrent):
		s.fail(w, http.StatusConflict, CodeNotCurrent, "The trainer has moved on from that step.")
	case errors.Is(err, room.ErrInvalid):
		s.fail(w, http.StatusBadRequest, CodeInvalid, "That is not an answer to this step.")
	case errors.Is(err, room.ErrPaused):
		s.fail(w, http.StatusConflict, CodePaused, "The trainer has paused.")
	case errors.Is(err, room.ErrEnded):
		s.fail(w, http.StatusGone, CodeEnded, "The session has ended.")
	default:
		s.fail(w, http.StatusBadRequest, CodeBadRequest, "The request was refused.")
	}
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	if !s.joins.allow(addr(r), s.opt.Now()) {
		s.fail(w, http.StatusTooManyRequests, CodeRateLimited, "Too many tries: wait a little.")
		return
	}
	var req JoinRequest
	if !s.read(w, r, &req) {
		return
	}
	rm := s.Room()
	if rm == nil {
		s.fail(w, http.StatusConflict, CodeNoSession, "No session is running yet.")
		return
	}
	if len(req.Claim) > 256 {
		s.fail(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "The claim is too long.")
		return
	}
	tok, err := rm.Join(room.Normalise(req.Code), req.Claim, req.Token)
	if err != nil {
		s.roomErr(w, err)
		return
	}
	v, err := rm.View(tok)
	if err != nil {
		s.roomErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Joined{Token: tok, State: s.state(rm, v, req.Lang)})
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	var req StateRequest
	if !s.read(w, r, &req) {
		return
	}
	rm := s.Room()
	if rm == nil {
		s.roomErr(w, room.ErrUnknown)
		return
	}
	v, err := rm.View(req.Token)
	if err != nil {
		s.roomErr(w, err)
		return
	}
	if req.Version >= v.Version && v.Phase != room.PhaseEnded {
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.Poll)
		stop := context.AfterFunc(s.stopping(), cancel)
		rm.WaitView(ctx, req.Version)
		stop()
		cancel()
		if v, err = rm.View(req.Token); err != nil {
			s.roomErr(w, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, s.state(rm, v, req.Lang))
}

func (s *Server) handleAnswer(w http.ResponseWriter, r *http.Request) {
	var req AnswerRequest
	if !s.read(w, r, &req) {
		return
	}
	rm := s.Room()
	if rm == nil {
		s.roomErr(w, room.ErrUnknown)
		return
	}
	if err := rm.Answer(req.Token, req.Step, req.Answer); err != nil {
		s.roomErr(w, err)
		return
	}
	v, err := rm.View(req.Token)
	if err != nil {
		s.roomErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.state(rm, v, req.Lang))
}

func (s *Server) handleLeave(w http.ResponseWriter, r *http.Request) {
	var req LeaveRequest
	if !s.read(w, r, &req) {
		return
	}
	if rm := s.Room(); rm != nil {
		rm.Leave(req.Token)
	}
	w.WriteHeader(http.StatusNoContent)
}

// state is what a follower is sent: the view, and the step's words when
// lang is asked for.
func (s *Server) state(rm *room.Room, v room.View, lang string) State {
	st := State{Version: v.Version, Phase: v.Phase, Lesson: v.Lesson, Step: v.Step, Index: v.Index, Total: v.Total, Mine: v.Mine}
	if lang != "" && v.Phase == room.PhaseLive {
		st.Content = s.content(rm.Lesson(), v.Index, s.language(lang, "").Tag)
	}
	return st
}
