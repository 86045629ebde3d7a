//go:build !probe

// Package probe holds the modes the benchmarks and the smoke test run the
// real app in. Built without the tag probe, as the app a learner runs is,
// it adds no flags and does nothing.
package probe

import (
	"flag"
	"time"

	"fyne.io/fyne/v2"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/learn"
)

// Modes are the probe modes asked for on the command line: none.
type Modes struct{}

// Flags adds nothing.
func Flags(*flag.FlagSet) *Modes { return &Modes{} }

// FrameProbe is nil.
func (*Modes) FrameProbe() func() { return nil }

// Start does nothing.
func (*Modes) Start(fyne.App, *app.UI, *learn.Course, time.Duration) {}
