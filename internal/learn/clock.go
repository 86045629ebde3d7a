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

// MaxDrift bounds how far ahead of this device's wall clock another
// device's clock can pull this one. A phone whose clock is a year ahead
// would otherwise drag every device that syncs with it a year ahead, and
// its edits, and theirs, would win every later edit.
const MaxDrift = time.Hour

// Clock hands out HLC readings. It is safe for concurrent use.
type Clock struct {
	now    func() time.Time
	mu     sync.Mutex
	last   HLC
	offset time.Duration
}

// NewClock returns a clock reading wall time from now (time.Now if nil).
func NewClock(now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now}
}

// wall returns the corrected wall time as a reading.
func (c *Clock) wall() HLC { return NewHLC(c.now().Add(c.offset).UnixMilli(), 0) }

// Tick returns a reading later than every reading handed out or observed.
func (c *Clock) Tick() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := c.wall(); w > c.last {
		c.last = w
	} else {
		c.last++
	}
	return c.last
}

// Observe makes every later Tick come after h, as when a stored or synced
// event is seen, but never more than MaxDrift ahead of the wall clock: a
// reading from a clock far ahead is kept (its event keeps it) without
// pulling this clock along.
func (c *Clock) Observe(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if limit := NewHLC(c.wall().Millis()+MaxDrift.Milliseconds(), 0); h > limit {
		h = limit
	}
	if h > c.last {
		c.last = h
	}
}

// Restore makes every later Tick come after h, with no bound: for this
// device's own latest reading, kept on disk, so that its own edits stay in
// order even after its wall clock was set back.
func (c *Clock) Restore(h HLC) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h > c.last {
		c.last = h
	}
}

// Correct sets how far this device's wall clock is behind a trusted one
// (a sync server's), so that readings follow the trusted time. Offsets
// under a minute are ignored: they do not matter for last-writer-wins.
func (c *Clock) Correct(offset time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if offset > -time.Minute && offset < time.Minute {
		offset = 0
	}
	c.offset = offset
}

// Last returns the latest reading handed out or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
