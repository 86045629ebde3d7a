//go:build probe

package probe

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/footprint"
	"github.com/waymark-app/waymark/internal/learn"
)

// settle is how long the first screen is left alone before the memory
// at start is read: as long as the benchmarks wait for the screen to stay
// the same.
const settle = 1500 * time.Millisecond

// measure is the benchmark mode (-measure N): it reports, on standard
// output, when the first screen was drawn, how long loading the course
// took and the memory once the first screen has settled; then it opens
// the first N lessons one after another, each drawn, and reports the
// median time from asking for a lesson to its first step drawn, and the
// memory again, before it quits. With -memprofile it also writes a heap
// profile at both points. cmd/waymark-bench runs it; it changes nothing a
// learner sees.
type measure struct {
	a          fyne.App
	u          *app.UI
	course     *learn.Course
	lessons    int
	memprofile string
	drawn      chan struct{} // made before the app, so the first screen is caught
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
	time.Sleep(settle)
	footprint.Read().Print("start")
	m.heapProfile("start")
	var ids []string
	for _, t := range m.course.Tracks {
		ids = append(ids, t.Lessons...) // the interface reads them as it opens them
	}
	var took []time.Duration
	for i := 0; i < m.lessons && len(ids) > 0; i++ {
		id := ids[i%len(ids)]
		start := time.Now()
		fyne.Do(func() { m.u.Open(id) })
		select {
		case <-m.drawn:
			took = append(took, time.Since(start))
		case <-time.After(10 * time.Second):
			fmt.Println("error lesson not drawn", id)
			os.Exit(1)
		}
	}
	if len(took) > 0 {
		slices.Sort(took)
		fmt.Printf("lesson_ms %.3f\n", float64(took[len(took)/2].Microseconds())/1000)
	}
	footprint.Read().Print("lessons")
	m.heapProfile("lessons")
	fmt.Printf("opened %d\n", m.lessons)
	fyne.Do(m.a.Quit)
}

// heapProfile writes the live heap to -memprofile's path with -when
// added, after a collection, when -memprofile is set.
func (m *measure) heapProfile(when string) {
	if m.memprofile == "" {
		return
	}
	runtime.GC()
	f, err := os.Create(m.memprofile + "-" + when + ".pprof")
	if err != nil {
		fmt.Println("error", err)
		return
	}
	defer f.Close()
	pprof.WriteHeapProfile(f)
}
