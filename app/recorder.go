package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

// recorder writes to the store on its own goroutine, in order, so that no
// write ever runs on the UI goroutine. A write that fails for a passing
// reason (a busy or full disk) is retried with a growing pause until it
// succeeds or the app closes; later writes wait behind it, so order is
// kept. A write that can never succeed (invalid, or the record locked or
// damaged) is logged, without its content, and dropped, so that it never
// holds up the writes behind it.
type recorder struct {
	store   Store
	log     *slog.Logger
	onError func(error) // called once per failing write, off the UI goroutine

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []job
	closed  bool
	done    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	backoff func(try int) time.Duration
}

type job struct {
	name string // for the log: what kind of write, never its content or what it is about
	run  func(ctx context.Context) error
	once bool // not retried: the caller learns the result
}

func newRecorder(store Store, log *slog.Logger, onError func(error)) *recorder {
	ctx, cancel := context.WithCancel(context.Background())
	r := &recorder{store: store, log: log, onError: onError, done: make(chan struct{}), ctx: ctx, cancel: cancel}
	r.cond = sync.NewCond(&r.mu)
	r.backoff = func(try int) time.Duration { return min(time.Duration(try)*time.Second, 30*time.Second) }
	go r.loop()
	return r
}

func (r *recorder) record(events ...learn.Event) {
	r.push(job{name: "progress", run: func(ctx context.Context) error {
		_, err := r.store.Record(ctx, events...)
		return err
	}})
}

func (r *recorder) setPrefs(prefs map[string]string) {
	copied := make(map[string]string, len(prefs))
	for k, v := range prefs {
		copied[k] = v
	}
	r.push(job{name: "settings", run: func(ctx context.Context) error {
		return r.store.SetPrefs(ctx, copied)
	}})
}

// setStore points the recorder at a new store (a fresh start after a
// damaged one).
func (r *recorder) setStore(s Store) {
	r.mu.Lock()
	r.store = s
	r.mu.Unlock()
}

// do queues fn after every write queued so far, without waiting for it.
// It is tried once.
func (r *recorder) do(name string, fn func(ctx context.Context) error) {
	r.push(job{name: name, run: fn, once: true})
}

// run queues fn after every write queued so far and waits for its result.
// It must not be called on the interface goroutine.
func (r *recorder) run(name string, fn func(ctx context.Context) error) error {
	result := make(chan error, 1)
	if !r.push(job{name: name, once: true, run: func(ctx context.Context) error {
		err := fn(ctx)
		result <- err
		return err
	}}) {
		return errClosed
	}
	return <-result
}

// errClosed means the app is closing and takes no more writes.
var errClosed = errors.New("closed")

// permanent reports an error that no retry can mend.
func permanent(err error) bool {
	return errors.Is(err, learn.ErrInvalid) || errors.Is(err, learn.ErrLocked) ||
		errors.Is(err, learn.ErrDamaged) || errors.Is(err, learn.ErrConflict)
}

// wipe erases everything, after every write already queued, and calls
// done with the result. Writes queued after it go to the new, empty store.
func (r *recorder) wipe(erase func(context.Context) error, done func(error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.queue = append(r.queue, job{name: "erase everything", run: func(ctx context.Context) error {
		var err error
		if erase != nil {
			err = erase(ctx)
		}
		done(err)
		return nil
	}})
	r.cond.Broadcast()
}

func (r *recorder) push(j job) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.store == nil {
		r.log.Warn("write after close dropped", "write", j.name)
		return false
	}
	r.queue = append(r.queue, j)
	r.cond.Broadcast()
	return true
}

func (r *recorder) loop() {
	defer close(r.done)
	for {
		r.mu.Lock()
		for len(r.queue) == 0 && !r.closed {
			r.cond.Wait()
		}
		if len(r.queue) == 0 {
			r.mu.Unlock()
			return
		}
		j := r.queue[0]
		r.mu.Unlock()

		r.runWithRetry(j)

		r.mu.Lock()
		r.queue = r.queue[1:]
		r.cond.Broadcast()
		r.mu.Unlock()
	}
}

func (r *recorder) runWithRetry(j job) {
	for try := 1; ; try++ {
		err := j.run(r.ctx)
		if err == nil {
			return
		}
		if j.once {
			r.log.Error("write failed", "write", j.name, "err", err)
			return
		}
		if permanent(err) {
			r.log.Error("write failed and was dropped: it cannot succeed", "write", j.name, "err", err)
			if r.onError != nil {
				r.onError(err)
			}
			return
		}
		r.log.Error("write failed", "write", j.name, "try", try, "err", err)
		if try == 1 && r.onError != nil {
			r.onError(err)
		}
		select {
		case <-r.ctx.Done():
			r.log.Error("write given up at close", "write", j.name)
			return
		case <-time.After(r.backoff(try)):
		}
	}
}

// Flush waits until every queued write has been done, or timeout has
// passed (a failing disk must never freeze the interface). It reports
// whether the queue is empty.
func (r *recorder) Flush(timeout time.Duration) bool {
	expired := false
	t := time.AfterFunc(timeout, func() {
		r.mu.Lock()
		expired = true
		r.cond.Broadcast()
		r.mu.Unlock()
	})
	defer t.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.queue) > 0 && !expired {
		r.cond.Wait()
	}
	return len(r.queue) == 0
}

// Close writes what is queued, then stops. A write still failing after
// five seconds is given up, so the app can always close. It is safe to
// call more than once.
func (r *recorder) Close() {
	r.mu.Lock()
	already := r.closed
	r.closed = true
	r.cond.Broadcast()
	r.mu.Unlock()
	if already {
		<-r.done
		return
	}
	stop := time.AfterFunc(5*time.Second, r.cancel)
	<-r.done
	stop.Stop()
	r.cancel()
}
