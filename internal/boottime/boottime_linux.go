//go:build linux

package boottime

import (
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/waymark-app/waymark/internal/safety"
)

// bootID is the kernel's id of this boot (Linux and Android).
var bootID = func() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}()

// Now reads CLOCK_BOOTTIME, which counts from the device's start, keeps
// counting while it sleeps, and cannot be set.
func Now() safety.Instant {
	var ts unix.Timespec
	if bootID == "" || unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		return fallback()
	}
	return safety.Instant{Boot: bootID, Mono: time.Duration(ts.Nano())}
}
