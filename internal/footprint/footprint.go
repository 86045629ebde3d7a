// Package footprint reads how much memory this process uses, and what
// for, as the benchmarks report it: resident memory from /proc (split into
// anonymous pages and pages of mapped files, such as the binary and the
// graphics libraries) and the Go runtime's own accounting from
// runtime/metrics. Both the app (in its -measure mode) and the floor the
// benchmarks compare it with report through it, so the two are read the
// same way.
package footprint

import (
	"fmt"
	"os"
	"runtime/metrics"
	"strings"
)

// Report is the process's memory at one moment, in bytes.
type Report struct {
	RSS     uint64 // resident now (VmRSS)
	PeakRSS uint64 // the most resident so far (VmHWM)
	Anon    uint64 // resident anonymous memory (RssAnon): heaps, Go's and C's
	File    uint64 // resident pages of mapped files (RssFile): code, fonts, libraries

	GoTotal   uint64 // all memory the Go runtime has mapped (/memory/classes/total)
	GoHeap    uint64 // live and not yet swept heap objects (/memory/classes/heap/objects)
	GoFree    uint64 // heap kept for reuse and not returned (heap/free + heap/unused)
	GoStacks  uint64 // goroutine stacks
	GoRuntime uint64 // the runtime's own structures (metadata, profiling, other)
	// GoReleased is heap returned to the system: mapped, not resident.
	GoReleased uint64
}

// Read reads the report now. On a system without /proc the resident
// figures are zero.
func Read() Report {
	var r Report
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			name, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			var kb uint64
			fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb)
			switch name {
			case "VmRSS":
				r.RSS = kb << 10
			case "VmHWM":
				r.PeakRSS = kb << 10
			case "RssAnon":
				r.Anon = kb << 10
			case "RssFile":
				r.File = kb << 10
			}
		}
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
		{Name: "/memory/classes/os-stacks:bytes"},
		{Name: "/memory/classes/metadata/other:bytes"},
		{Name: "/memory/classes/metadata/mspan/inuse:bytes"},
		{Name: "/memory/classes/metadata/mspan/free:bytes"},
		{Name: "/memory/classes/metadata/mcache/inuse:bytes"},
		{Name: "/memory/classes/metadata/mcache/free:bytes"},
		{Name: "/memory/classes/profiling/buckets:bytes"},
		{Name: "/memory/classes/other:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	v := func(i int) uint64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return samples[i].Value.Uint64()
	}
	r.GoTotal, r.GoHeap = v(0), v(1)
	r.GoFree = v(2) + v(3)
	r.GoStacks = v(4) + v(5)
	r.GoRuntime = v(6) + v(7) + v(8) + v(9) + v(10) + v(11) + v(12)
	r.GoReleased = v(13)
	return r
}

// Fields lists the report as name and bytes pairs, in a fixed order, for
// a benchmark to print one a line.
func (r Report) Fields() []Field {
	return []Field{
		{"rss", r.RSS}, {"peak_rss", r.PeakRSS}, {"anon", r.Anon}, {"file", r.File},
		{"go_total", r.GoTotal}, {"go_heap", r.GoHeap}, {"go_free", r.GoFree},
		{"go_stacks", r.GoStacks}, {"go_runtime", r.GoRuntime}, {"go_released", r.GoReleased},
	}
}

// Field is one figure of a report.
type Field struct {
	Name  string
	Bytes uint64
}

// Print writes the report to standard output, one "mem_WHEN_NAME BYTES"
// line a figure, for cmd/waymark-bench to read.
func (r Report) Print(when string) {
	for _, f := range r.Fields() {
		fmt.Printf("mem_%s_%s %d\n", when, f.Name, f.Bytes)
	}
}
