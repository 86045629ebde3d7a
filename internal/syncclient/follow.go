package syncclient

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/roomserver"
)

// Follower follows a trainer's live session from a learner's app: it
// joins the room on the trainer's hub (over TLS, trusting the hub by the
// fingerprint in the app code the learner typed), waits for the trainer
// to move, and sends the learner's answers. The room knows it by a random
// token, and by a claim only if the app gives one (group attendance). A
// Follower that loses the Wi-Fi joins again with the same token when it
// comes back: it is at the current step, and its answers count once.
type Follower struct {
	conn  *Conn
	code  string // the room code
	claim string
	// svc, when the follower was made by a Service, syncs through the hub
	// while following; joined is closed once it has tried.
	svc    *Service
	joined chan struct{}

	mu  sync.Mutex
	tok room.Token
}

// FollowConfig says where and how to follow.
type FollowConfig struct {
	// Address is the hub's address as the learner typed it
	// (192.168.43.1), Code the app code (room.AppCode).
	Address, Code string
	// Claim names the learner's group membership for attendance (""
	// for none; see room.Roster).
	Claim string
	// Timeout bounds each call (a minute if 0): a wait for the next step
	// is held up to the hub's poll time.
	Timeout time.Duration
}

// Problems following, as ids the interface translates.
const (
	FollowAddress   = "address"    // the address is not one
	FollowCode      = "code"       // the code is wrong (or not an app code)
	FollowOffline   = "offline"    // the hub cannot be reached
	FollowNotHub    = "not_hub"    // the machine there is not the hub the code names
	FollowNoSession = "no_session" // no session is running yet
	FollowFull      = "full"       // the session is full
	FollowEnded     = "ended"      // the session has ended
	FollowBusy      = "busy"       // too many tries: wait
)

// FollowProblem says what went wrong following, as one of the ids above.
func FollowProblem(err error) string {
	var e *Error
	switch {
	case errors.Is(err, ErrAddress):
		return FollowAddress
	case errors.Is(err, room.ErrAppCode):
		return FollowCode
	case errors.Is(err, ErrPinMismatch):
		return FollowNotHub
	case !errors.As(err, &e):
		return FollowOffline
	}
	switch roomserver.Code(e.Code) {
	case roomserver.CodeRoomCode:
		return FollowCode
	case roomserver.CodeNoSession:
		return FollowNoSession
	case roomserver.CodeFull:
		return FollowFull
	case roomserver.CodeEnded:
		return FollowEnded
	case roomserver.CodeRateLimited:
		return FollowBusy
	}
	return FollowOffline
}

// Follow joins the session at cfg.Address with cfg.Code and returns the
// follower and what to show first.
func Follow(ctx context.Context, cfg FollowConfig) (*Follower, room.View, error) {
	u, err := HubURL(cfg.Address)
	if err != nil {
		return nil, room.View{}, err
	}
	rc, fp, err := room.SplitAppCode(cfg.Code)
	if err != nil {
		return nil, room.View{}, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	conn, err := Dial(Config{URL: u, Fingerprint: fp, Timeout: cfg.Timeout})
	if err != nil {
		return nil, room.View{}, err
	}
	f := &Follower{conn: conn, code: rc, claim: cfg.Claim}
	v, err := f.join(ctx)
	if err != nil {
		conn.Close()
		return nil, room.View{}, err
	}
	return f, v, nil
}

// Conn is the follower's connection to the hub (its meter counts the
// bytes).
func (f *Follower) Conn() *Conn { return f.conn }

// Token is the follower's token in the room.
func (f *Follower) Token() room.Token {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tok
}

func (f *Follower) join(ctx context.Context) (room.View, error) {
	var out roomserver.Joined
	err := f.conn.callJSON(ctx, "join room", http.MethodPost, roomserver.PathJoin,
		roomserver.JoinRequest{Code: f.code, Token: f.Token(), Claim: f.claim}, &out, false)
	if err != nil {
		return room.View{}, err
	}
	f.mu.Lock()
	f.tok = out.Token
	f.mu.Unlock()
	return view(out.State), nil
}

func view(s roomserver.State) room.View {
	return room.View{Version: s.Version, Phase: s.Phase, Lesson: s.Lesson, Step: s.Step, Index: s.Index, Total: s.Total, Mine: s.Mine}
}

// call makes one room call, joining again (same token) if the hub no
// longer knows the follower.
func (f *Follower) call(ctx context.Context, op, path string, in func() any) (room.View, error) {
	var out roomserver.State
	err := f.conn.callJSON(ctx, op, http.MethodPost, path, in(), &out, false)
	if CodeOf(err) == "unknown" {
		if _, err := f.join(ctx); err != nil {
			return room.View{}, err
		}
		err = f.conn.callJSON(ctx, op, http.MethodPost, path, in(), &out, false)
	}
	if err != nil {
		return room.View{}, err
	}
	return view(out), nil
}

// Next waits for the session to move after version after (a long poll:
// the hub answers as soon as the trainer moves, or after its poll time
// with the same view).
func (f *Follower) Next(ctx context.Context, after uint64) (room.View, error) {
	return f.call(ctx, "room state", roomserver.PathState, func() any {
		return roomserver.StateRequest{Token: f.Token(), Version: after}
	})
}

// Answer sends the learner's answer to the step showing; it replaces any
// answer they gave it before.
func (f *Follower) Answer(ctx context.Context, step string, answer []string) (room.View, error) {
	return f.call(ctx, "room answer", roomserver.PathAnswer, func() any {
		return roomserver.AnswerRequest{Token: f.Token(), Step: step, Answer: answer}
	})
}

// Leave leaves the session and closes the connection; a follower made by
// a Service syncs with the hub a last time and goes back to its own
// server.
func (f *Follower) Leave(ctx context.Context) error {
	defer f.conn.Close()
	err := f.conn.callJSON(ctx, "room leave", http.MethodPost, roomserver.PathLeave, roomserver.LeaveRequest{Token: f.Token()}, nil, false)
	if f.svc != nil {
		select {
		case <-f.joined:
		case <-ctx.Done():
		}
		if herr := f.svc.LeaveHub(ctx, 15*time.Second); herr != nil {
			err = errors.Join(err, herr)
		}
	}
	return err
}

// Follow follows a session as the app does: it joins the room (see
// Follow), and with sync on syncs through the hub too, in the
// background, until the follower leaves. claim names the learner's group
// membership for attendance ("" for none).
func (s *Service) Follow(ctx context.Context, address, code, claim string) (*Follower, room.View, error) {
	f, v, err := Follow(ctx, FollowConfig{Address: address, Code: code, Claim: claim})
	if err != nil {
		return nil, v, err
	}
	f.svc, f.joined = s, make(chan struct{})
	u, _ := HubURL(address)
	_, fp, _ := room.SplitAppCode(code)
	go func() {
		defer close(f.joined)
		err := s.JoinHub(context.Background(), u, fp, code)
		switch {
		case errors.Is(err, ErrNotLinked):
			// Sync is off: nothing of the learner's record goes anywhere.
		case errors.Is(err, ErrNoCourier):
			s.log().Info("following without syncing through the hub: no courier yet")
		case err != nil:
			s.log().Warn("following without syncing through the hub", "err", err)
		}
	}()
	return f, v, nil
}

// Run follows the session until ctx ends or the session does: show is
// called with every new view (the first one too), problem with what went
// wrong while the hub could not be reached ("" once it can again). It
// tries again after a failure, waiting longer each time up to 8 seconds,
// and joins again with its token: the learner is back at the current
// step. It returns the last view.
func (f *Follower) Run(ctx context.Context, first room.View, show func(room.View), problem func(string)) room.View {
	v := first
	show(v)
	wait, failing := time.Duration(0), false
	for ctx.Err() == nil && v.Phase != room.PhaseEnded {
		next, err := f.Next(ctx, v.Version)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if p := FollowProblem(err); p == FollowEnded {
				v.Phase = room.PhaseEnded
				show(v)
				break
			} else {
				problem(p)
			}
			failing = true
			wait = min(max(wait*2, 500*time.Millisecond), 8*time.Second)
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			continue
		}
		if failing {
			failing, wait = false, 0
			problem("")
		}
		if next.Version != v.Version || next.Phase != v.Phase {
			v = next
			show(v)
		}
	}
	return v
}
