package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// compareSeen starts the app and the floor alternately, runs times each
// after one of each that is not counted, and watches the screen.
func compareSeen(s *screen, display, work string, b binaries, p profile, home string, runs int) (SeenCompare, error) {
	c := SeenCompare{Profile: p.name, Home: home}
	homes := map[string]string{}
	for i := -1; i < runs; i++ {
		for _, prog := range []struct {
			name, bin string
			out       *[]seen
		}{{"app", b.app, &c.App}, {"floor", b.floor, &c.Floor}} {
			h := filepath.Join(work, fmt.Sprintf("home-%s-%s-%s-%d", p.name, home, prog.name, i))
			if home == "returning" {
				if homes[prog.name] == "" {
					homes[prog.name] = filepath.Join(work, fmt.Sprintf("home-%s-returning-%s", p.name, prog.name))
					if prog.name == "app" {
						if err := returningHome(homes[prog.name]); err != nil {
							return c, err
						}
					}
				}
				h = homes[prog.name]
			}
			r, err := watchStart(s, command(p, prog.bin, h, display), "")
			if err != nil {
				return c, fmt.Errorf("%s, %s HOME, %s run %d: %w", p.name, home, prog.name, i+1, err)
			}
			if home == "fresh" {
				os.RemoveAll(h)
			}
			if i >= 0 { // the first of each fills the system's caches
				*prog.out = append(*prog.out, r)
			}
		}
	}
	c.AppMedian, c.FloorMedian = medianSeen(c.App), medianSeen(c.Floor)
	c.FirstRatio = c.AppMedian.FirstMS / c.FloorMedian.FirstMS
	c.SettledRatio = c.AppMedian.SettledMS / c.FloorMedian.SettledMS
	return c, nil
}

func medianSeen(rs []seen) seen {
	var first, settled, frames, rss []float64
	for _, r := range rs {
		first, settled = append(first, r.FirstMS), append(settled, r.SettledMS)
		frames, rss = append(frames, float64(r.Frames)), append(rss, r.RSSMB)
	}
	return seen{FirstMS: median(first), SettledMS: median(settled), Frames: int(median(frames)), RSSMB: median(rss)}
}

// probeRun is what one -measure run reported. Memory is in MB (10^6
// bytes), by the names footprint.Report.Print uses.
type probeRun struct {
	DrawnMS  float64            `json:"drawn_ms"` // process start to the first frame with content, by the painter
	LoadMS   float64            `json:"load_lessons_ms"`
	LessonMS float64            `json:"lesson_ms"` // median, asking for a lesson to its first step drawn
	Start    map[string]float64 `json:"start_mb"`
	Lessons  map[string]float64 `json:"after_lessons_mb"`
	// CgroupPeakMB is the cgroup's peak usage in the low-end profile
	// (page cache included), and CgroupFails how often it hit the limit.
	CgroupPeakMB float64 `json:"cgroup_peak_mb,omitempty"`
	CgroupFails  float64 `json:"cgroup_limit_hits,omitempty"`
}

// compareProbe runs the app and floor with -measure, alternately, with a
// returning HOME.
func compareProbe(display, work string, b binaries, p profile, runs int) (ProbeCompare, error) {
	c := ProbeCompare{Profile: p.name}
	appHome := filepath.Join(work, "home-probe-"+p.name+"-app")
	floorHome := filepath.Join(work, "home-probe-"+p.name+"-floor")
	if err := returningHome(appHome); err != nil {
		return c, err
	}
	for i := -1; i < runs; i++ {
		for _, prog := range []struct {
			name, bin, home string
			out             *[]probeRun
		}{{"app", b.appProbe, appHome, &c.App}, {"floor", b.floor, floorHome, &c.Floor}} {
			r, err := measure(p, prog.bin, prog.home, display)
			if err != nil {
				return c, fmt.Errorf("%s %s run %d: %w", p.name, prog.name, i+1, err)
			}
			if i >= 0 {
				*prog.out = append(*prog.out, r)
			}
		}
	}
	c.AppMedian, c.FloorMedian = medianProbe(c.App), medianProbe(c.Floor)
	return c, nil
}

func medianProbe(rs []probeRun) probeRun {
	m := probeRun{Start: map[string]float64{}, Lessons: map[string]float64{}}
	col := func(f func(probeRun) float64) float64 {
		var xs []float64
		for _, r := range rs {
			xs = append(xs, f(r))
		}
		return median(xs)
	}
	m.DrawnMS = col(func(r probeRun) float64 { return r.DrawnMS })
	m.LoadMS = col(func(r probeRun) float64 { return r.LoadMS })
	m.LessonMS = col(func(r probeRun) float64 { return r.LessonMS })
	m.CgroupPeakMB = col(func(r probeRun) float64 { return r.CgroupPeakMB })
	m.CgroupFails = col(func(r probeRun) float64 { return r.CgroupFails })
	if len(rs) > 0 {
		for k := range rs[0].Start {
			m.Start[k] = col(func(r probeRun) float64 { return r.Start[k] })
		}
		for k := range rs[0].Lessons {
			m.Lessons[k] = col(func(r probeRun) float64 { return r.Lessons[k] })
		}
	}
	return m
}

// measure runs a program with -measure and reads what it reports.
func measure(p profile, bin, home, display string) (probeRun, error) {
	cmd := command(p, bin, home, display, "-measure", strconv.Itoa(lessonsOpened))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return probeRun{}, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if p.before != nil {
		p.before()
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return probeRun{}, err
	}
	r := probeRun{Start: map[string]float64{}, Lessons: map[string]float64{}}
	var drawn time.Time
	var opened bool
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 2 {
				continue
			}
			v, _ := strconv.ParseFloat(f[1], 64)
			switch name := f[0]; {
			case name == "drawn":
				ns, _ := strconv.ParseInt(f[1], 10, 64)
				drawn = time.Unix(0, ns)
			case name == "load_ms":
				r.LoadMS = v
			case name == "lesson_ms":
				r.LessonMS = v
			case strings.HasPrefix(name, "mem_start_"):
				r.Start[strings.TrimPrefix(name, "mem_start_")] = v / 1e6
			case strings.HasPrefix(name, "mem_lessons_"):
				r.Lessons[strings.TrimPrefix(name, "mem_lessons_")] = v / 1e6
			case name == "opened":
				opened = true
			}
		}
		close(done)
	}()
	timer := time.AfterFunc(90*time.Second, func() { cmd.Process.Kill() })
	<-done
	err = cmd.Wait()
	timer.Stop()
	if p.after != nil {
		r.CgroupPeakMB, r.CgroupFails = p.after()
	}
	if drawn.IsZero() || !opened || r.Lessons["peak_rss"] == 0 {
		return r, fmt.Errorf("%s did not report a drawn screen and its memory (%v): %s", filepath.Base(bin), err, lastLines(stderr.String()))
	}
	r.DrawnMS = float64(drawn.Sub(start).Microseconds()) / 1000
	return r, nil
}
