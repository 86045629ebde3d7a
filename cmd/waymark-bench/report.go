package main

import (
	"fmt"
	"strings"
)

const mib = 1 << 20

// markdown writes the tables BENCHMARKS.md shows, from r alone.
func markdown(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %s, %s; %d runs of each program, alternating, after one of each not counted; medians. Both built with `%s`.\n\n", r.Date, r.Machine, r.Go, r.Runs, r.Build)

	b.WriteString("**Start-up as a person sees it** (Xvfb at 412×915, the screen captured in a tight loop from process start until it has not changed for 1.5 s; memory once settled):\n\n")
	b.WriteString("| profile | HOME | first picture | settled | pictures | floor settled | settled ratio (target ≤ 1.15×) | memory once settled: app, floor, over |\n|---|---|---|---|---|---|---|---|\n")
	for _, c := range r.Seen {
		a, f := c.AppMedian, c.FloorMedian
		fmt.Fprintf(&b, "| %s | %s | %.0f ms | %.0f ms | %d | %.0f ms | **%.2f×** | %.1f MB, %.1f MB, **+%.1f MB** (%.2f×) |\n",
			c.Profile, c.Home, a.FirstMS, a.SettledMS, a.Frames, f.SettledMS, c.SettledRatio, a.RSSMB, f.RSSMB, a.RSSMB-f.RSSMB, a.RSSMB/f.RSSMB)
	}

	for _, c := range r.Probe {
		a, f := c.AppMedian, c.FloorMedian
		fmt.Fprintf(&b, "\n**Memory, %s** (returning HOME; reported by the programs themselves, `-measure %d`; MB = 10⁶ bytes):\n\n", c.Profile, lessonsOpened)
		b.WriteString("| | at start: app | floor | over the floor | after 20 lessons: app | floor | over the floor |\n|---|---|---|---|---|---|---|\n")
		row := func(name string, v func(map[string]float64) float64) {
			as, fs, al, fl := v(a.Start), v(f.Start), v(a.Lessons), v(f.Lessons)
			fmt.Fprintf(&b, "| %s | %.1f | %.1f | %+.1f | %.1f | %.1f | %+.1f |\n", name, as, fs, as-fs, al, fl, al-fl)
		}
		key := func(k string) func(map[string]float64) float64 {
			return func(m map[string]float64) float64 { return m[k] }
		}
		row("**resident (VmRSS)**", key("rss"))
		row("peak resident (VmHWM)", key("peak_rss"))
		row("of which mapped files (code, libraries)", key("file"))
		row("of which anonymous", key("anon"))
		row("Go heap: live and unswept objects", key("go_heap"))
		row("Go heap: free, kept for reuse", key("go_free"))
		row("Go stacks and runtime", func(m map[string]float64) float64 { return m["go_stacks"] + m["go_runtime"] })
		row("anonymous, not Go's (C: Mesa, textures, glyphs)", func(m map[string]float64) float64 {
			return m["anon"] - (m["go_total"] - m["go_released"])
		})
		fmt.Fprintf(&b, "\nFirst frame with content, by the painter: app %.0f ms, floor %.0f ms. A lesson, from asking for it to its first step drawn: %.1f ms (median of %d each run). Reading the lessons at start-up: %.2f ms.",
			a.DrawnMS, f.DrawnMS, a.LessonMS, lessonsOpened, a.LoadMS)
		if a.CgroupPeakMB > 0 {
			fmt.Fprintf(&b, " The cgroup's peak (page cache included): app %.1f MB, floor %.1f MB; times the limit was hit: app %.0f, floor %.0f.", a.CgroupPeakMB, f.CgroupPeakMB, a.CgroupFails, f.CgroupFails)
		}
		b.WriteString("\n")
	}
	if n := r.Notes["low_end"]; n != "" {
		fmt.Fprintf(&b, "\nLow-end profile: %s\n", n)
	}

	b.WriteString("\n| size | | target |\n|---|---|---|\n")
	row := func(name, key, target string) {
		v, ok := r.Sizes[key]
		val := fmt.Sprintf("%.2f MB (%.2f MiB)", float64(v)/1e6, float64(v)/mib)
		if !ok || v < 0 {
			val = r.Notes[key]
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, val, target)
	}
	over := float64(r.Sizes["linux_binary"]-r.Sizes["floor_sqlite_binary"]) / mib
	row("Linux binary (release build)", "linux_binary", fmt.Sprintf("≤ %.0f MiB over the floor with SQLite: **%.2f MiB over**", targetLinuxOverMiB, over))
	row("the same with the probe modes (tag probe; not shipped)", "linux_binary_probe", "–")
	row("Linux binary inside the archive (fyne package)", "linux_binary_archive", "–")
	row("floor binary (Fyne hello, same flags)", "floor_binary", "–")
	row("floor binary with modernc.org/sqlite linked in", "floor_sqlite_binary", "–")
	if _, ok := r.Sizes["floor_net_binary"]; ok {
		row("the same with Go's HTTP client and server over TLS linked in (what sync and the hub need)", "floor_net_binary",
			fmt.Sprintf("the app is %.2f MiB over it", float64(r.Sizes["linux_binary"]-r.Sizes["floor_net_binary"])/mib))
	}
	row("Windows executable (fyne package --os windows, mingw-w64)", "windows_binary", "–")
	row("Linux archive (fyne package, tar.xz)", "linux_archive", "–")
	row("lessons, all languages (files on disk)", "lessons_all_languages", "–")
	row("lessons, English and structure", "lessons_english", "–")
	row("interface translations", "locales", "–")
	row("bundled fonts (Ethiopic, Arabic; regular and bold)", "fonts_bundled", "–")
	row("all of these, packed as release builds embed them", "packed_content", "–")

	if len(r.Growth) > 0 {
		b.WriteString("\n| content | lessons | settled start-up (returning) | memory at start | after 20 lessons | reading lessons at start-up | binary (with probe) |\n|---|---|---|---|---|---|---|\n")
		for _, g := range r.Growth {
			fmt.Fprintf(&b, "| %d× | %d | %.0f ms | %.1f MB | %.1f MB | %.2f ms | %.2f MB |\n", g.Factor, g.Lessons, g.SettledMS, g.StartRSSMB, g.LessonsMB, g.LoadMS, float64(g.BinaryBytes)/1e6)
		}
	}
	return b.String()
}
