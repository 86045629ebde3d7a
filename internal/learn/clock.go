package learn

import (
	"sync"
	"time"
)

// HLC is a hybrid logical clock reading: the upper 48 bits are Unix
// milliseconds, the lower 16 a counter that orders events within one
// millisecond or when a wall clock runs behind one already seen. Readings
// from one device only grow, even if its wall clock is set back.
type HLC uint64

const hlcCounterBits = 16

// NewHLC builds a reading from a wall time in Unix milliseconds and a counter.
func NewHLC(ms int64, counter uint16) HLC {
	if ms < 0 {
		ms = 0
	}
	return HLC(uint64(ms)<<hlcCounterBits | uint64(counter))
}

// Millis returns the wall-clock part in Unix milliseconds.
func (h HLC) Millis() int64 { return int64(h >> hlcCounterBits) }

// Time returns the wall-clock part as a time.
func (h HLC) Time() time.Time { return time.UnixMilli(h.Millis()).UTC() }

// Clock hands out HLC readings. It is safe for concurrent use.
type Clock struct {
	now  func() time.Time
	mu   sync.Mutex
	last HLC
}

// NewClock returns a clock reading wall time from now (time.Now if nil).
func NewClock(now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now}
}

// Tick returns a reading later than every reading handed out or observed.
func (c *Clock) Tick() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := NewHLC(c.now().UnixMilli(), 0)
	if wall > c.last {
		c.last = wall
	} else {
		c.last++
	}
	return c.last
}

// Observe makes every later Tick come after h, as when a stored or synced
// event is seen.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h > c.last {
		c.last = h
	}
}
