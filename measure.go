package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/learn"
)

// measure is the benchmark mode (-measure): it reports, on standard
// output, when the first screen was drawn, how long loading the course
// took, then opens the first N lessons one after another, each drawn, and
// reports the peak resident memory before it quits. cmd/waymark-bench
// runs it; it changes nothing a learner sees.
type measure struct {
	a       fyne.App
	u       *app.UI
	course  *learn.Course
	lessons int
	drawn   chan struct{} // made before the app, so the first screen is caught
}

// probe is the app's Deps.FrameProbe: it notes that a new screen was
// drawn.
func (m *measure) probe() {
	select {
	case m.drawn <- struct{}{}:
	default:
	}
}

func (m *measure) run(loaded time.Duration) {
	<-m.drawn
	fmt.Printf("drawn %d\n", time.Now().UnixNano())
	fmt.Printf("load_ms %.3f\n", float64(loaded.Microseconds())/1000)
	var ids []string
	for _, t := range m.course.Tracks {
		ids = append(ids, t.Lessons...) // the interface reads them as it opens them
	}
	for i := 0; i < m.lessons && len(ids) > 0; i++ {
		id := ids[i%len(ids)]
		fyne.Do(func() { m.u.Open(id) })
		select {
		case <-m.drawn:
		case <-time.After(10 * time.Second):
			fmt.Println("error lesson not drawn", id)
			os.Exit(1)
		}
	}
	fmt.Printf("peak_rss_kb %d\n", peakRSS())
	fmt.Printf("opened %d\n", m.lessons)
	fyne.Do(m.a.Quit)
}

// peakRSS reads the peak resident set size (VmHWM) of this process, in
// KiB, from /proc; 0 where there is no /proc.
func peakRSS() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb
		}
	}
	return 0
}
