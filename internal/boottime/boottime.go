// Package boottime reads a clock that no one can set: the time since the
// device started, and an id of that start. The app lock measures waits on
// it (internal/safety), so that moving the wall clock neither skips a wait
// nor extends one.
package boottime

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/waymark-app/waymark/internal/safety"
)

// processBoot stands in for a boot id where the platform has none: each
// run of the app is then its own "boot", and a wait that began in an
// earlier run restarts (never longer than it was set for).
var (
	processBoot  = newProcessBoot()
	processStart = time.Now()
)

func newProcessBoot() string {
	var b [8]byte
	rand.Read(b[:])
	return "run-" + hex.EncodeToString(b[:])
}

// fallback reads the process's own monotonic clock.
func fallback() safety.Instant {
	return safety.Instant{Boot: processBoot, Mono: time.Since(processStart)}
}
