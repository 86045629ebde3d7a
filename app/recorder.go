package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

// recorder writes to the store on its own goroutine, in order, so that no
// write ever runs on the UI goroutine. A failed write is retried with a
// growing pause until it succeeds or the app closes; later writes wait
// behind it, so order is kept.
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
	name string // for the log: what kind of write, never its content
	run  func(ctx context.Context) error
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
	r.push(job{name: "record " + string(events[0].Kind), run: func(ctx context.Context) error {
		_, err := r.store.Record(ctx, events...)
		return err
	}})
}

func (r *recorder) setPrefs(prefs map[string]string) {
	copied := make(map[string]string, len(prefs))
	name := "set"
	for k, v := range prefs {
		copied[k] = v
		name += " " + k
	}
	r.push(job{name: name, run: func(ctx context.Context) error {
		return r.store.SetPrefs(ctx, copied)
	}})
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

func (r *recorder) push(j job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		r.log.Warn("write after close dropped", "write", j.name)
		return
	}
	r.queue = append(r.queue, j)
	r.cond.Broadcast()
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
