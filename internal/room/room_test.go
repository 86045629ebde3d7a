package room_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
)

// lesson is a lesson with a read step, a choice question, a multi
// question and a simulation (an order step stands in).
func lesson() *learn.Lesson {
	return &learn.Lesson{ID: "spot-scams", Steps: []learn.Step{
		{ID: "intro", Kind: learn.KindRead},
		{ID: "q1", Kind: learn.KindChoice, Options: []string{"a", "b", "c"}, Correct: []string{"b"}},
		{ID: "q2", Kind: learn.KindMulti, Options: []string{"x", "y", "z"}, Correct: []string{"x", "z"}},
		{ID: "order", Kind: learn.KindOrder, Items: []string{"one", "two"}},
	}}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newRoom(t *testing.T, roster room.Roster) (*room.Room, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	return room.New(room.Options{Lesson: lesson(), Code: "7K2M", Roster: roster, Now: c.now}), c
}

func join(t *testing.T, r *room.Room, claim string) room.Token {
	t.Helper()
	tok, err := r.Join("7K2M", claim, "")
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	return tok
}

func counts(p room.Projection) map[string]int {
	out := map[string]int{}
	for _, c := range p.Counts {
		out[c.Choice] = c.N
	}
	return out
}

func TestFollowersFollowTheTrainer(t *testing.T) {
	r, _ := newRoom(t, nil)
	a := join(t, r, "")
	v, err := r.View(a)
	if err != nil || v.Step != "intro" || v.Index != 0 || v.Total != 4 || v.Phase != room.PhaseLive {
		t.Fatalf("first view: %+v, %v", v, err)
	}
	for range 2 {
		if !r.Next() {
			t.Fatal("next refused")
		}
	}
	if v, _ := r.View(a); v.Step != "q2" || v.Index != 2 {
		t.Errorf("after two nexts the follower sees %q (%d), want q2 (2)", v.Step, v.Index)
	}
	r.Back()
	if v, _ := r.View(a); v.Step != "q1" {
		t.Errorf("after back: %q, want q1", v.Step)
	}
	for r.Next() {
	}
	if v, _ := r.View(a); v.Step != "order" {
		t.Errorf("at the end: %q", v.Step)
	}
	if r.Next() {
		t.Error("next past the last step")
	}
	r.Pause()
	if v, _ := r.View(a); v.Phase != room.PhasePaused || v.Step != "order" {
		t.Errorf("paused: %+v", v)
	}
	if err := r.Answer(a, "order", []string{"one", "two"}); !errors.Is(err, room.ErrPaused) {
		t.Errorf("an answer while paused: %v, want ErrPaused", err)
	}
	r.Resume()
	if v, _ := r.View(a); v.Phase != room.PhaseLive {
		t.Errorf("resumed: %+v", v)
	}
	s := r.End()
	if v, _ := r.View(a); v.Phase != room.PhaseEnded {
		t.Errorf("ended: %+v", v)
	}
	if r.Next() || r.Back() {
		t.Error("moved after the end")
	}
	if _, err := r.Join("7K2M", "", ""); !errors.Is(err, room.ErrEnded) {
		t.Errorf("join after the end: %v", err)
	}
	if s.Followers != 1 || s.Lesson != "spot-scams" {
		t.Errorf("summary: %+v", s)
	}
}

func TestCountsOncePerFollowerAndOnlyWhenRevealed(t *testing.T) {
	r, _ := newRoom(t, nil)
	var toks []room.Token
	for range 5 {
		toks = append(toks, join(t, r, ""))
	}
	r.Next() // q1
	answers := []string{"a", "b", "b", "c", "b"}
	for i, tok := range toks {
		if err := r.Answer(tok, "q1", []string{answers[i]}); err != nil {
			t.Fatal(err)
		}
	}
	// The first follower changes their mind, twice: still one answer.
	r.Answer(toks[0], "q1", []string{"c"})
	r.Answer(toks[0], "q1", []string{"b"})
	p := r.Projection()
	if p.Answered != 5 || p.Revealed || p.Counts != nil {
		t.Errorf("before the reveal: answered %d, revealed %v, counts %v; want 5, no counts", p.Answered, p.Revealed, p.Counts)
	}
	if !r.Reveal() {
		t.Fatal("reveal refused on a question")
	}
	p = r.Projection()
	if got, want := counts(p), map[string]int{"a": 0, "b": 4, "c": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	if p.Counts[1].Choice != "b" || !p.Counts[1].Right || p.Counts[0].Right {
		t.Errorf("the right choice is not marked: %+v", p.Counts)
	}
	// A multi answer counts each choice once, however often it is named.
	r.Next() // q2
	r.Answer(toks[0], "q2", []string{"x", "z"})
	r.Answer(toks[1], "q2", []string{"x", "x", "x"})
	r.Reveal()
	if got, want := counts(r.Projection()), map[string]int{"x": 2, "y": 0, "z": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("multi counts %v, want %v", got, want)
	}
	// Going back shows q1's answers as they were.
	r.Back()
	if got := counts(r.Projection()); got["b"] != 4 {
		t.Errorf("back at q1: %v", got)
	}
	// A simulation's answers are counted, not split by choice.
	r.Next()
	r.Next()
	r.Answer(toks[2], "order", []string{"two", "one"})
	r.Reveal()
	if p := r.Projection(); p.Answered != 1 || len(p.Counts) != 0 || !p.Revealed {
		t.Errorf("simulation: %+v", p)
	}
}

func TestAnswersOnlyToTheCurrentStepAndOnlyRealChoices(t *testing.T) {
	r, _ := newRoom(t, nil)
	a := join(t, r, "")
	for _, tc := range []struct {
		name   string
		tok    room.Token
		step   string
		answer []string
		want   error
	}{
		{"a read step", a, "intro", []string{"a"}, room.ErrInvalid},
		{"a step not showing", a, "q1", []string{"a"}, room.ErrNotCurrent},
		{"an unknown follower", "forged", "intro", []string{"a"}, room.ErrUnknown},
	} {
		if err := r.Answer(tc.tok, tc.step, tc.answer); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	r.Next()
	for _, bad := range [][]string{nil, {}, {"d"}, {"a", "b"}, {"<script>"}} {
		if err := r.Answer(a, "q1", bad); !errors.Is(err, room.ErrInvalid) {
			t.Errorf("answer %q: %v, want ErrInvalid", bad, err)
		}
	}
	if p := r.Projection(); p.Answered != 0 {
		t.Errorf("refused answers were counted: %d", p.Answered)
	}
}

func TestRejoinKeepsTheFollowerAndTheirAnswer(t *testing.T) {
	r, c := newRoom(t, nil)
	a := join(t, r, "")
	r.Next()
	r.Answer(a, "q1", []string{"a"})
	// The Wi-Fi goes: the trainer moves on, and the follower is no
	// longer counted as following.
	c.t = c.t.Add(2 * room.Fresh)
	r.Back()
	r.Next()
	r.Next()
	if p := r.Projection(); p.Following != 0 {
		t.Errorf("following while away: %d", p.Following)
	}
	again, err := r.Join("7K2M", "", a)
	if err != nil || again != a {
		t.Fatalf("rejoin: %v, %v; want the same token", again, err)
	}
	v, _ := r.View(a)
	if v.Step != "q2" {
		t.Errorf("rejoined at %q, want the current step q2", v.Step)
	}
	r.Back()
	if v, _ := r.View(a); !reflect.DeepEqual(v.Mine, []string{"a"}) {
		t.Errorf("their answer to q1 after rejoining: %v", v.Mine)
	}
	r.Answer(a, "q1", []string{"a"})
	r.Reveal()
	if got := counts(r.Projection()); got["a"] != 1 {
		t.Errorf("answered before and after a drop, counted %d times", got["a"])
	}
	if s := r.End(); s.Followers != 1 {
		t.Errorf("a rejoin counted as another follower: %d", s.Followers)
	}
}

func TestAttendanceOnlyForConsentingMembers(t *testing.T) {
	roster := room.StaticRoster{"claim-amira": "member-1", "claim-bo": "member-2"}
	r, _ := newRoom(t, roster)
	join(t, r, "claim-amira")
	join(t, r, "claim-amira") // the same member on two devices
	join(t, r, "claim-unknown")
	join(t, r, "")
	bo := join(t, r, "")
	r.Join("7K2M", "claim-bo", bo) // claims on coming back
	if got := r.Status().Attending; got != 2 {
		t.Errorf("attending %d, want 2", got)
	}
	s := r.End()
	if want := []string{"member-1", "member-2"}; !reflect.DeepEqual(s.Attendees, want) {
		t.Errorf("attendees %v, want %v", s.Attendees, want)
	}
	r2, _ := newRoom(t, nil)
	join(t, r2, "claim-amira")
	if s := r2.End(); len(s.Attendees) != 0 {
		t.Errorf("with no roster, attendees %v", s.Attendees)
	}
}

func TestJoinCodeAndLimit(t *testing.T) {
	r, _ := newRoom(t, nil)
	if _, err := r.Join("7K2N", "", ""); !errors.Is(err, room.ErrCode) {
		t.Errorf("wrong code: %v", err)
	}
	for range room.MaxFollowers {
		join(t, r, "")
	}
	if _, err := r.Join("7K2M", "", ""); !errors.Is(err, room.ErrFull) {
		t.Errorf("past the limit: %v", err)
	}
}

func TestWaitWakesEveryFollowerAtOnce(t *testing.T) {
	r, _ := newRoom(t, nil)
	a := join(t, r, "")
	v0 := r.Version()
	view, _ := r.View(a)
	var wg sync.WaitGroup
	got := make([]uint64, 30)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				got[i] = r.Wait(context.Background(), v0)
			} else {
				got[i] = r.WaitView(context.Background(), view.Version)
			}
		}()
	}
	// Joining and answering do not move followers; the trainer does.
	ctx, stop := context.WithTimeout(context.Background(), 20*time.Millisecond)
	join(t, r, "")
	if v := r.WaitView(ctx, view.Version); v != view.Version {
		t.Errorf("a join woke followers: view version %d after %d", v, view.Version)
	}
	stop()
	r.Next()
	wg.Wait()
	for i, v := range got {
		if i%2 == 0 && v <= v0 || i%2 == 1 && v <= view.Version {
			t.Errorf("waiter %d woke with version %d, not after", i, v)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if v := r.Wait(ctx, r.Version()); v != r.Version() {
		t.Errorf("a cancelled wait returned %d", v)
	}
}

func TestAppCode(t *testing.T) {
	var h [32]byte
	for i := range h {
		h[i] = byte(i * 37)
	}
	code := room.AppCode("7K2M", h)
	if len(code) != 19 || code[4] != '-' || code[:4] != "7K2M" {
		t.Fatalf("app code %q", code)
	}
	rc, fp, err := room.SplitAppCode(" " + strings.ToLower(strings.ReplaceAll(code, "-", " ")) + " ")
	if err != nil || rc != "7K2M" || !room.FingerprintMatches(h, fp) {
		t.Errorf("split %q: %q %q %v", code, rc, fp, err)
	}
	other := h
	other[7] ^= 0x10 // a bit within the 60
	if room.FingerprintMatches(other, fp) {
		t.Error("another key matches the fingerprint")
	}
	for _, bad := range []string{"", "7K2M", code + "A", "7K2M-UUUU-UUUU-UUUU"} {
		if _, _, err := room.SplitAppCode(bad); err == nil {
			t.Errorf("%q split", bad)
		}
	}
	if c := room.NewRoomCode(); len(c) != 4 || room.Normalise(c) != c {
		t.Errorf("room code %q", c)
	}
}
