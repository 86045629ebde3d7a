//go:build !linux

package boottime

import "github.com/waymark-app/waymark/internal/safety"

// Now reads the process's monotonic clock: on this platform a wait that
// began in an earlier run of the app restarts in full.
func Now() safety.Instant { return fallback() }
