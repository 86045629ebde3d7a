package syncserver

import (
	"math"
	"sync"
	"time"
)

// limiter is a set of token buckets, one per key (a device or an address):
// perMinute tokens a minute, up to burst at once. Buckets left full are
// forgotten by sweep, so memory follows the active keys, not all keys
// ever seen.
type limiter struct {
	perMinute float64
	burst     float64
	mu        sync.Mutex
	buckets   map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newLimiter returns a limiter; perMinute 0 means no limit (nil).
func newLimiter(perMinute, burst int) *limiter {
	if perMinute <= 0 {
		return nil
	}
	return &limiter{perMinute: float64(perMinute), burst: float64(max(burst, 1)), buckets: map[string]*bucket{}}
}

// allow takes a token for key at now, or says how long until one is free.
func (l *limiter) allow(key string, now time.Time) (ok bool, wait time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if dt := now.Sub(b.last); dt > 0 {
		b.tokens = math.Min(l.burst, b.tokens+dt.Minutes()*l.perMinute)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	need := (1 - b.tokens) / l.perMinute // minutes
	return false, time.Duration(need * float64(time.Minute))
}

// sweep forgets buckets that have refilled.
func (l *limiter) sweep(now time.Time) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Minutes()*l.perMinute >= l.burst {
			delete(l.buckets, k)
		}
	}
}
