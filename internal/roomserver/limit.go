package roomserver

import (
	"sync"
	"time"
)

// limiter is a token bucket per address: rate a minute, in bursts of half
// a minute's worth. A rate below 0 is no limit.
type limiter struct {
	rate    float64 // tokens a second
	burst   float64
	off     bool
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(perMinute int) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: max(float64(perMinute)/2, 1), off: perMinute < 0, buckets: map[string]*bucket{}}
}

// allow takes a token for key, if there is one.
func (l *limiter) allow(key string, now time.Time) bool {
	if l.off {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep forgets buckets that have filled up again.
func (l *limiter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}
