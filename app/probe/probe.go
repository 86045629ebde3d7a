//go:build probe

// Package probe holds the modes the benchmarks and the smoke test run the
// real app in: -measure reports when the first screen is drawn and the
// memory used after opening lessons, -smoke prints what the first screen
// says. They are built in only with the build tag probe (scripts/bench
// and scripts/test add it to the release tags); without it the package
// adds no flags and does nothing, so the app a learner runs has neither.
package probe

import (
	"flag"
	"time"

	"fyne.io/fyne/v2"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/learn"
)

// Modes are the probe modes asked for on the command line.
type Modes struct {
	smoke      *bool
	measure    *measure
	n          *int
	memprofile *string
}

// Flags adds -smoke and -measure to fs.
func Flags(fs *flag.FlagSet) *Modes {
	return &Modes{
		smoke:      fs.Bool("smoke", false, "for tests: print what the first screen shows"),
		n:          fs.Int("measure", 0, "for benchmarks: report start-up and memory, then open this many lessons and report memory again"),
		memprofile: fs.String("memprofile", "", "for benchmarks, with -measure: write heap profiles to this path with -start and -lessons added"),
	}
}

// FrameProbe is the app's Deps.FrameProbe: nil unless -measure is on.
func (m *Modes) FrameProbe() func() {
	if *m.n <= 0 {
		return nil
	}
	if m.measure == nil {
		m.measure = &measure{lessons: *m.n, memprofile: *m.memprofile, drawn: make(chan struct{}, 1)}
	}
	return m.measure.probe
}

// Start runs the modes asked for in the background once u is built;
// loaded is how long reading the course took.
func (m *Modes) Start(a fyne.App, u *app.UI, course *learn.Course, loaded time.Duration) {
	if *m.smoke {
		go smokeTest(u.Window())
	}
	if m.FrameProbe() != nil {
		m.measure.a, m.measure.u, m.measure.course = a, u, course
		go m.measure.run(loaded)
	}
}
