// Package room is a live group session on a trainer's hub: one lesson,
// the step everyone is on, whether the trainer has paused, revealed the
// room's answers to a question or ended the session; the people following
// it, each known only by a random token (never a name); their answers,
// each counted once; and who attended, for group members who consented to
// that being recorded.
//
// It holds the rules and what each party sees: the projector
// (Projection), a follower (View) and the trainer (Status, Summary).
// Nothing a follower can ask for holds another follower's answer, a count
// or a name: counts go to the projector, in the trainer's window, alone.
// The HTTP side and the join page are internal/roomserver. The package
// imports the standard library and internal/learn only.
package room

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
)

// Phase is where the session is. Its values cross the wire (the join
// page reads them): append only.
type Phase string

// The phases.
const (
	// PhaseLive: a step is showing.
	PhaseLive Phase = "live"
	// PhasePaused: the trainer paused; no step shows and no answer is
	// taken until they go on.
	PhasePaused Phase = "paused"
	// PhaseEnded: the session is over; nothing more is taken.
	PhaseEnded Phase = "ended"
)

// Errors a follower's request can meet.
var (
	// ErrCode means the join code is wrong.
	ErrCode = errors.New("room: wrong join code")
	// ErrUnknown means the token is not a follower of this session (the
	// hub restarted, or it was never one): join again.
	ErrUnknown = errors.New("room: unknown follower")
	// ErrFull means the session has as many followers as it takes.
	ErrFull = errors.New("room: the session is full")
	// ErrNotCurrent means the answer is to a step that is not showing:
	// the trainer moved on.
	ErrNotCurrent = errors.New("room: not the current step")
	// ErrInvalid means the answer is not one the step takes.
	ErrInvalid = errors.New("room: not an answer to this step")
	// ErrPaused means the trainer paused: answers wait.
	ErrPaused = errors.New("room: paused")
	// ErrEnded means the session is over.
	ErrEnded = errors.New("room: the session has ended")
)

// Roster says which followers count for attendance: members of the
// trainer's group who consented to their attendance being recorded. A
// follower's app may present a claim when it joins (the join page never
// does); the roster turns it into the member it names, or refuses it.
// Trainer groups and consent are internal/group's (issue 11): until they
// are wired, NoRoster records no one.
type Roster interface {
	// Attendee returns the member a claim made for the session with the
	// given room code names, if they are in the trainer's group and
	// consented to attendance; ok is false otherwise, and then nothing
	// about the follower is recorded.
	Attendee(session, claim string) (member string, ok bool)
}

// NoRoster records no one's attendance.
type NoRoster struct{}

// Attendee refuses every claim.
func (NoRoster) Attendee(string, string) (string, bool) { return "", false }

// StaticRoster is a fixed roster: claim → member, for members who
// consented. Tests use it; so may a hub until groups are wired.
type StaticRoster map[string]string

// Attendee returns the member of claim, if listed, whatever the session.
func (r StaticRoster) Attendee(_, claim string) (string, bool) {
	m, ok := r[claim]
	return m, ok && claim != ""
}

// Token names a follower: 128 random bits, base64url. It is all the room
// knows of them.
type Token string

// Limits of one session.
const (
	// MaxFollowers is how many followers a session takes: a hall's worth
	// many times over.
	MaxFollowers = 300
	// MaxAnswer is the most ids one answer may hold.
	MaxAnswer = 64
	// Fresh is how long a follower counts as following after they were
	// last heard from (a follower asks again at least every 25 seconds).
	Fresh = 45 * time.Second
)

// Options make a Room.
type Options struct {
	// Lesson is the lesson the session follows.
	Lesson *learn.Lesson
	// Code is the join code, as syncapi.NormalizeCode spells it.
	Code string
	// Roster says who attends (NoRoster if nil).
	Roster Roster
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

// Room is one live session. Its methods are safe for concurrent use.
type Room struct {
	lesson *learn.Lesson
	code   string
	roster Roster
	now    func() time.Time

	mu      sync.Mutex
	step    int
	phase   Phase
	version uint64
	changed chan struct{} // closed and replaced at every change
	// seen counts the changes followers see (a move, a pause, the end),
	// and moved is closed and replaced at each: a follower waiting is not
	// woken by others joining or answering.
	seen      uint64
	moved     chan struct{}
	revealed  map[string]bool
	followers map[Token]*follower
	answers   map[string]map[Token][]string // step → follower → answer
	attended  map[string]bool
	joined    int
	started   time.Time
	ended     time.Time
}

type follower struct {
	seen time.Time
}

// New starts a session on the lesson's first step.
func New(opt Options) *Room {
	if opt.Roster == nil {
		opt.Roster = NoRoster{}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Room{
		lesson: opt.Lesson, code: opt.Code, roster: opt.Roster, now: opt.Now,
		phase: PhaseLive, version: 1, changed: make(chan struct{}), seen: 1, moved: make(chan struct{}),
		revealed: map[string]bool{}, followers: map[Token]*follower{},
		answers: map[string]map[Token][]string{}, attended: map[string]bool{},
		started: opt.Now(),
	}
}

// Lesson is the session's lesson.
func (r *Room) Lesson() *learn.Lesson { return r.lesson }

// Code is the join code.
func (r *Room) Code() string { return r.code }

// bump records a change and wakes the projector and the trainer's
// window. r.mu is held.
func (r *Room) bump() {
	r.version++
	close(r.changed)
	r.changed = make(chan struct{})
}

// bumpAll records a change followers see too, and wakes them. r.mu is
// held.
func (r *Room) bumpAll() {
	r.bump()
	r.seen++
	close(r.moved)
	r.moved = make(chan struct{})
}

// Next moves everyone to the next step; false at the last step, or once
// ended. Going on also ends a pause.
func (r *Room) Next() bool { return r.move(+1) }

// Back moves everyone to the step before; false at the first.
func (r *Room) Back() bool { return r.move(-1) }

func (r *Room) move(by int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := r.step + by
	if r.phase == PhaseEnded || i < 0 || i >= len(r.lesson.Steps) {
		return false
	}
	r.step, r.phase = i, PhaseLive
	r.bumpAll()
	return true
}

// Pause pauses the session: followers see a calm pause, the projector
// too, and no answer is taken.
func (r *Room) Pause() { r.setPhase(PhasePaused) }

// Resume goes on from a pause, at the same step.
func (r *Room) Resume() { r.setPhase(PhaseLive) }

func (r *Room) setPhase(p Phase) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.phase == PhaseEnded || r.phase == p {
		return
	}
	r.phase = p
	r.bumpAll()
}

// Reveal shows the room's answers to the current question on the
// projector (counts only, never who); false if the step takes no answer.
func (r *Room) Reveal() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.lesson.Steps[r.step]
	if r.phase == PhaseEnded || !s.Kind.Question() {
		return false
	}
	if !r.revealed[s.ID] {
		r.revealed[s.ID] = true
		r.bump()
	}
	return true
}

// Summary is what a session leaves behind for the trainer.
type Summary struct {
	Lesson         string
	Started, Ended time.Time
	// Followers counts the followers who ever joined (app or page).
	Followers int
	// Attendees are the members whose attendance is recorded, sorted:
	// only those the roster accepted.
	Attendees []string
}

// End ends the session for everyone and returns its summary. Ending
// twice returns the same summary.
func (r *Room) End() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.phase != PhaseEnded {
		r.phase, r.ended = PhaseEnded, r.now()
		r.bumpAll()
	}
	return r.summary()
}

func (r *Room) summary() Summary {
	s := Summary{Lesson: r.lesson.ID, Started: r.started, Ended: r.ended, Followers: r.joined}
	for m := range r.attended {
		s.Attendees = append(s.Attendees, m)
	}
	sort.Strings(s.Attendees)
	return s
}

// Join adds a follower with the join code. A follower coming back (after
// losing the Wi-Fi, or reloading the page) gives its token as again and
// is the same follower, with its answers; an unknown again joins as new.
// claim, from a learner's app, names the learner's group memberships for
// the roster (group.JoinClaims); "" for none.
func (r *Room) Join(code, claim string, again Token) (Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if code != r.code {
		return "", ErrCode
	}
	if r.phase == PhaseEnded {
		return "", ErrEnded
	}
	now := r.now()
	if f := r.followers[again]; f != nil && again != "" {
		f.seen = now
		r.attend(claim)
		return again, nil
	}
	if len(r.followers) >= MaxFollowers {
		return "", ErrFull
	}
	t := newToken()
	r.followers[t] = &follower{seen: now}
	r.joined++
	r.attend(claim)
	r.bump() // the trainer's count of followers changed
	return t, nil
}

// attend records the member of each of the claim's parts (a learner in
// several groups claims each: group.JoinClaims) that the roster accepts.
// r.mu is held.
func (r *Room) attend(claim string) {
	for _, c := range group.SplitClaims(claim) {
		if m, ok := r.roster.Attendee(r.code, c); ok {
			r.attended[m] = true
		}
	}
}

// Leave takes a follower out (their answers stay counted).
func (r *Room) Leave(t Token) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.followers[t]; ok {
		delete(r.followers, t)
		r.bump()
	}
}

func newToken() Token {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return Token(base64.RawURLEncoding.EncodeToString(b[:]))
}

// Answer records a follower's answer to the current step, replacing the
// one they gave before: however many times they answer (or come back and
// answer again), they count once. The ids must be the step's choices.
func (r *Room) Answer(t Token, step string, answer []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.followers[t]
	if f == nil {
		return ErrUnknown
	}
	f.seen = r.now()
	switch r.phase {
	case PhaseEnded:
		return ErrEnded
	case PhasePaused:
		return ErrPaused
	}
	s := r.lesson.Steps[r.step]
	if s.ID != step {
		return ErrNotCurrent
	}
	if !s.Kind.Question() || len(answer) == 0 || len(answer) > MaxAnswer {
		return ErrInvalid
	}
	if _, err := learn.Grade(s, answer); err != nil {
		return ErrInvalid
	}
	byStep := r.answers[s.ID]
	if byStep == nil {
		byStep = map[Token][]string{}
		r.answers[s.ID] = byStep
	}
	if slices.Equal(byStep[t], answer) {
		return nil
	}
	byStep[t] = slices.Clone(answer)
	r.bump()
	return nil
}

// View is what one follower sees: where the session is and their own
// answer to the step, nothing of anyone else's. Version counts the
// changes followers see (WaitView). Content is by id: the
// app shows the step from its own course, the join page gets it rendered
// in the learner's language by internal/roomserver.
type View struct {
	Version uint64
	Phase   Phase
	Lesson  string
	Step    string
	// Index is the step's place (from 0) among Total.
	Index, Total int
	// Mine is this follower's answer to the step, if they gave one.
	Mine []string
}

// View returns what follower t sees now, and counts them as following.
func (r *Room) View(t Token) (View, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.followers[t]
	if f == nil {
		return View{}, ErrUnknown
	}
	f.seen = r.now()
	s := r.lesson.Steps[r.step]
	return View{Version: r.seen, Phase: r.phase, Lesson: r.lesson.ID, Step: s.ID, Index: r.step,
		Total: len(r.lesson.Steps), Mine: slices.Clone(r.answers[s.ID][t])}, nil
}

// Wait returns once the session has changed in any way after version
// after (Projection's), or when ctx ends; it returns the version then.
func (r *Room) Wait(ctx context.Context, after uint64) uint64 {
	return r.wait(ctx, after, func() (uint64, chan struct{}) { return r.version, r.changed })
}

// WaitView returns once what followers see has changed after version
// after (View's): a move, a pause, the end. Others joining or answering
// do not wake it.
func (r *Room) WaitView(ctx context.Context, after uint64) uint64 {
	return r.wait(ctx, after, func() (uint64, chan struct{}) { return r.seen, r.moved })
}

func (r *Room) wait(ctx context.Context, after uint64, at func() (uint64, chan struct{})) uint64 {
	for {
		r.mu.Lock()
		v, ch := at()
		r.mu.Unlock()
		if v > after {
			return v
		}
		select {
		case <-ctx.Done():
			return v
		case <-ch:
		}
	}
}

// Version is the session's version: it grows at every change.
func (r *Room) Version() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.version
}

// Count is one choice of a question and how many chose it.
type Count struct {
	Choice string
	N      int
	// Right marks a right choice (shown with the counts, once revealed).
	Right bool
}

// Projection is what the projector shows: the step, and, once the
// trainer revealed them, how many chose each answer. No names, no
// tokens, nothing that tells who answered what.
type Projection struct {
	Version uint64
	Phase   Phase
	Lesson  string
	Step    string
	Index   int
	Total   int
	// Following is how many followers were heard from lately.
	Following int
	// Answered is how many followers answered the step.
	Answered int
	// Revealed says the trainer revealed the counts; Counts are then
	// set for a step with choices (in the step's order), and empty for
	// one whose answers are not choices (a simulation): Answered says
	// how many then.
	Revealed bool
	Counts   []Count
}

// countable reports whether a step's answers are choices to count one by
// one on the projector.
func countable(k learn.StepKind) bool {
	switch k {
	case learn.KindChoice, learn.KindTrueFalse, learn.KindMulti, learn.KindSpot, learn.KindAdvert, learn.KindPrivacy:
		return true
	}
	return false
}

// Projection returns what the projector shows now.
func (r *Room) Projection() Projection {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.lesson.Steps[r.step]
	byStep := r.answers[s.ID]
	p := Projection{Version: r.version, Phase: r.phase, Lesson: r.lesson.ID, Step: s.ID, Index: r.step,
		Total: len(r.lesson.Steps), Following: r.following(), Answered: len(byStep), Revealed: r.revealed[s.ID]}
	if !p.Revealed || !countable(s.Kind) {
		return p
	}
	n := map[string]int{}
	for _, a := range byStep {
		seen := map[string]bool{}
		for _, id := range a {
			if !seen[id] { // a multi answer counts each choice once
				seen[id] = true
				n[id]++
			}
		}
	}
	right := s.Right()
	for _, c := range s.Choices() {
		p.Counts = append(p.Counts, Count{Choice: c, N: n[c], Right: slices.Contains(right, c)})
	}
	return p
}

// following counts followers heard from within Fresh. r.mu is held.
func (r *Room) following() int {
	since := r.now().Add(-Fresh)
	n := 0
	for _, f := range r.followers {
		if f.seen.After(since) {
			n++
		}
	}
	return n
}

// Status is the trainer's window's line about the room: how many follow,
// how many answered the step, how many attend so far. Counts only.
type Status struct {
	Following, Answered, Attending int
}

// Status returns the trainer's counts now.
func (r *Room) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.lesson.Steps[r.step]
	return Status{Following: r.following(), Answered: len(r.answers[s.ID]), Attending: len(r.attended)}
}
