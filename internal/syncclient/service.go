package syncclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// Account is how this device reaches its learner's server. It is kept
// sealed with the record, never in plain text: the token opens the
// learner's (sealed) data on the server.
type Account struct {
	Server string `json:"s"`
	Pin    string `json:"p,omitempty"`
	Device string `json:"d"`
	Token  string `json:"t"`
}

// Sealed values the service keeps in the store.
const (
	sealedAccount = "sync.account"
	sealedKey     = "sync.key" // the learner key, sealed under the data key like the record
	sealedStatus  = "sync.status"
)

// ServiceStore is what the service needs from the device's store: the
// engine's needs, how much is waiting, and the progress a share with a
// group is built from.
type ServiceStore interface {
	Store
	// Waiting counts this device's events not yet acknowledged.
	Waiting(ctx context.Context) (int, error)
	// Progress returns the derived state of the whole record.
	Progress(ctx context.Context) (*learn.Progress, error)
}

// Service runs sync for the app while the record is open: the account,
// when to sync (at start, when nudged after a lesson, when asked, and
// again after a failure, waiting longer each time, with jitter), the data
// meter and the monthly limit, pairing and unlinking devices. Nothing goes
// over the network until the learner sets sync up (Join or Pair).
type Service struct {
	Store ServiceStore
	// Clock is the store's clock: corrected to the server's time.
	Clock *learn.Clock
	Log   *slog.Logger
	// Now is the wall clock (time.Now if nil).
	Now func() time.Time
	// Label is this device's name for the learner's list of devices
	// ("Phone", "Laptop"); sealed under the learner key before it leaves.
	Label string
	// Applied receives the events a sync brought that were new here, to
	// show them; called on the service's goroutine.
	Applied func([]learn.Event)
	// Changed is called, on the service's goroutine, when the status
	// changes.
	Changed func(learn.SyncStatus)
	// Timeout bounds one sync (a minute if 0).
	Timeout time.Duration
	// Backoff is the first wait after a failure (30 s if 0); it doubles up
	// to an hour, with jitter.
	Backoff time.Duration
	// PendingPath is where Erase keeps a deletion it could not send (see
	// SavePending); "" keeps none.
	PendingPath string

	mu sync.Mutex
	// groupsMu serialises changes to the learner's groups.
	groupsMu sync.Mutex
	acct     *Account
	key      lockbox.Key
	status   learn.SyncStatus
	conn     *Conn
	// hub is the trainer's hub while the device follows a session through
	// it: syncs go there instead (hub.go). Kept in memory only: a device
	// restarted after the session is back with its own server.
	hub *Conn
	// syncing is held by one sync at a time (the loop's, or leaving a
	// hub's last one).
	syncing sync.Mutex
	kick    chan bool // true: asked for by the learner
	cancel  context.CancelFunc
	done    chan struct{}
	dated   bool // the clock was corrected this session
	failing int  // failures in a row
	// meterMonth is the month the monthly counts are for.
	meterMonth string
}

// stored is the status kept between sessions.
type stored struct {
	LastSuccess  time.Time `json:"ok,omitzero"`
	Problem      string    `json:"p,omitempty"`
	LastSent     int64     `json:"ls,omitempty"`
	LastReceived int64     `json:"lr,omitempty"`
	Month        string    `json:"m,omitempty"`
	MonthSent    int64     `json:"ms,omitempty"`
	MonthRecv    int64     `json:"mr,omitempty"`
	Limit        int64     `json:"l,omitempty"`
}

// Start reads the account from the store (which must be open) and, if
// sync is set up, syncs now and then whenever nudged, until Stop.
func (s *Service) Start(ctx context.Context) error {
	on, err := s.start(ctx)
	if err == nil && on {
		s.nudge(false) // sync at start
	}
	return err
}

// start does Start's work under the lock, and reports whether sync is set
// up.
func (s *Service) start(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done != nil {
		return false, nil
	}
	var acct Account
	on, err := s.Store.LoadSealed(ctx, sealedAccount, &acct)
	if err != nil {
		return false, err
	}
	var st stored
	if _, err := s.Store.LoadSealed(ctx, sealedStatus, &st); err != nil {
		return false, err
	}
	s.status = learn.SyncStatus{On: on, LastSuccess: st.LastSuccess, Problem: learn.SyncProblem(st.Problem),
		LastSent: st.LastSent, LastReceived: st.LastReceived, MonthlyLimit: st.Limit}
	s.meterMonth = s.month()
	if st.Month == s.meterMonth {
		s.status.MonthSent, s.status.MonthReceived = st.MonthSent, st.MonthRecv
	}
	if on {
		var key []byte
		if _, err := s.Store.LoadSealed(ctx, sealedKey, &key); err != nil {
			return false, err
		}
		if len(key) != len(lockbox.Key{}) {
			return false, fmt.Errorf("sync: the learner key is missing: %w", learn.ErrDamaged)
		}
		copy(s.key[:], key)
		clear(key)
		if err := s.connect(acct); err != nil {
			return false, err
		}
	}
	s.status.Waiting, _ = s.Store.Waiting(ctx)
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done, s.kick = cancel, make(chan struct{}), make(chan bool, 1)
	go s.loop(runCtx, s.kick, s.done)
	return on, nil
}

// Stop ends the background work and forgets the keys. It waits for a
// sync under way to end (it is cancelled).
func (s *Service) Stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel, s.done = nil, nil
	s.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	if s.hub != nil {
		s.hub.Close()
		s.hub = nil
	}
	clear(s.key[:])
	s.acct = nil
}

func (s *Service) connect(acct Account) error {
	conn, err := Dial(Config{URL: acct.Server, Pin: acct.Pin, Token: acct.Token})
	if err != nil {
		return err
	}
	if s.conn != nil {
		s.conn.Close()
	}
	s.acct, s.conn = &acct, conn
	s.status.On, s.status.Server = true, acct.Server
	return nil
}

// SetHandlers sets Applied and Changed; call it before Start.
func (s *Service) SetHandlers(applied func([]learn.Event), changed func(learn.SyncStatus)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Applied, s.Changed = applied, changed
}

// Status returns what the learner is told about sync.
func (s *Service) Status() learn.SyncStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Nudge asks for an automatic sync (after a lesson): skipped while the
// monthly data limit is reached.
func (s *Service) Nudge() { s.nudge(false) }

// SyncNow asks for a sync the learner asked for: it runs even past the
// monthly limit.
func (s *Service) SyncNow() { s.nudge(true) }

func (s *Service) nudge(manual bool) {
	s.mu.Lock()
	kick := s.kick
	on := s.status.On
	s.mu.Unlock()
	if kick == nil || !on {
		return
	}
	select {
	case kick <- manual:
	default:
		if manual {
			// An automatic sync is already queued; make it the learner's.
			select {
			case <-kick:
			default:
			}
			select {
			case kick <- true:
			default:
			}
		}
	}
}

// SetLimit sets the monthly data limit in bytes (0: none).
func (s *Service) SetLimit(ctx context.Context, bytes int64) error {
	s.mu.Lock()
	s.status.MonthlyLimit = bytes
	s.mu.Unlock()
	return s.save(ctx)
}

func (s *Service) loop(ctx context.Context, kick <-chan bool, done chan<- struct{}) {
	defer close(done)
	var retry <-chan time.Time
	for {
		manual := false
		select {
		case <-ctx.Done():
			return
		case manual = <-kick:
		case <-retry:
		}
		retry = nil
		if wait, again := s.once(ctx, manual); again {
			retry = time.After(wait)
		}
	}
}

// once runs one sync and says whether, and when, to try again.
func (s *Service) once(ctx context.Context, manual bool) (time.Duration, bool) {
	s.mu.Lock()
	if !s.status.On || s.conn == nil {
		s.mu.Unlock()
		return 0, false
	}
	s.rollMonth()
	if !manual && s.status.Paused() {
		s.status.Problem = learn.SyncLimit
		st := s.status
		s.mu.Unlock()
		s.changed(st)
		return 0, false
	}
	s.status.Running = true
	conn, key := s.conn, s.key
	cursor, toHub := sealedCursor, s.hub != nil
	if toHub {
		conn, cursor = s.hub, sealedHubCursor
	}
	st := s.status
	s.mu.Unlock()
	s.changed(st)
	s.syncing.Lock()
	defer s.syncing.Unlock()

	timeout := s.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	before := conn.Meter()
	sent0, recv0 := before.Sent(), before.Received()
	if !s.dated {
		// Once a session: the server's time, to keep this device's clock
		// honest (sync answers carry no Date, to save bytes).
		if conn.Health(cctx) == nil {
			if off, ok := conn.ClockOffset(); ok {
				s.Clock.Correct(off)
				s.dated = true
			}
		}
	}
	eng := &Engine{Store: s.Store, Conn: conn, Key: key, Log: s.Log, Cursor: cursor}
	res, err := eng.Sync(cctx)
	clear(key[:])
	if err == nil && !toHub {
		s.ensureCourier(cctx)
		// What the learner shares with their groups follows their record
		// (its bytes are counted with the sync's). Not through a hub: the
		// hub carries chunks only.
		s.shareGroups(cctx, conn)
	}
	sent, recv := before.Sent()-sent0, before.Received()-recv0

	s.mu.Lock()
	s.status.Running = false
	s.status.LastSent, s.status.LastReceived = sent, recv
	s.status.MonthSent += sent
	s.status.MonthReceived += recv
	s.status.Waiting, _ = s.Store.Waiting(context.Background())
	var wait time.Duration
	again := false
	switch {
	case err == nil && toHub:
		// On the hub, not yet on the learner's server: the status says
		// what the learner's server has.
	case err != nil && toHub:
		// The hub is not the learner's server: what goes wrong with it
		// is not theirs to worry about. A hub that no longer knows the
		// device (the session is over) is left; the device's own
		// server takes over, and what the hub lacks goes there.
		s.log().Warn("sync with the hub did not finish", "err", err)
		if CodeOf(err) == syncapi.CodeUnauthorized && s.hub == conn {
			s.hub.Close()
			s.hub = nil
			wait, again = time.Second, true
		} else if Temporary(err) && ctx.Err() == nil {
			wait, again = 5*time.Second, true
		}
	case err == nil:
		s.failing = 0
		s.status.LastSuccess = s.now()
		s.status.Problem = learn.SyncOK
		if res.OverQuota {
			s.status.Problem = learn.SyncFull
		} else if res.Unreadable > 0 {
			s.status.Problem = learn.SyncUnreadable
		}
	default:
		s.status.Problem = problemOf(err)
		s.log().Warn("sync did not finish", "problem", string(s.status.Problem), "err", err)
		if Temporary(err) && ctx.Err() == nil {
			s.failing++
			wait, again = s.backoff(RetryAfter(err)), true
		}
	}
	st = s.status
	s.mu.Unlock()
	if saveErr := s.save(context.Background()); saveErr != nil {
		s.log().Error("the sync status could not be saved", "err", saveErr)
	}
	if len(res.Applied) > 0 && s.Applied != nil {
		s.Applied(res.Applied)
	}
	s.changed(st)
	return wait, again
}

// backoff is the wait before the next try after a failure: doubling from
// Backoff up to an hour, with up to half of it again as jitter, so many
// devices that lost the same Wi-Fi do not all come back at once; never
// less than the server asked for.
func (s *Service) backoff(retryAfter time.Duration) time.Duration {
	base := s.Backoff
	if base <= 0 {
		base = 30 * time.Second
	}
	d := base << min(s.failing-1, 7)
	d = min(d, time.Hour)
	d += time.Duration(rand.Int64N(int64(d)/2 + 1))
	return max(d, retryAfter)
}

// Problem says, as an id the interface translates, what the learner is
// told about this error.
func (e *Error) Problem() learn.SyncProblem { return problemOf(e) }

// problemOf turns an error into what the learner is told.
func problemOf(err error) learn.SyncProblem {
	var e *Error
	if !errors.As(err, &e) {
		if errors.Is(err, context.DeadlineExceeded) {
			return learn.SyncOffline
		}
		return learn.SyncServer
	}
	switch {
	case e.Code == syncapi.CodeUnauthorized || e.Status == http.StatusUnauthorized:
		return learn.SyncUnlinked
	case e.Code == syncapi.CodePairingFailed || e.Code == syncapi.CodeInviteInvalid || e.Code == syncapi.CodeInviteRequired ||
		e.Code == syncapi.CodeJoinFailed || e.Code == syncapi.CodeNotTrainer:
		return learn.SyncCode
	case e.Status == 0:
		return learn.SyncOffline
	}
	return learn.SyncServer
}

func (s *Service) month() string { return s.now().Format("2006-01") }

// rollMonth starts a new month's meter when the month has turned. s.mu
// is held.
func (s *Service) rollMonth() {
	if m := s.month(); m != s.meterMonth {
		s.meterMonth = m
		s.status.MonthSent, s.status.MonthReceived = 0, 0
	}
}

func (s *Service) save(ctx context.Context) error {
	s.mu.Lock()
	st := stored{LastSuccess: s.status.LastSuccess, Problem: string(s.status.Problem), LastSent: s.status.LastSent,
		LastReceived: s.status.LastReceived, Month: s.meterMonth, MonthSent: s.status.MonthSent, MonthRecv: s.status.MonthReceived,
		Limit: s.status.MonthlyLimit}
	s.mu.Unlock()
	return s.Store.SaveSealed(ctx, sealedStatus, st)
}

func (s *Service) changed(st learn.SyncStatus) {
	if s.Changed != nil {
		s.Changed(st)
	}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}
