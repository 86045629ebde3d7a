package hub_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// The hub's own figures are measured in a process of its own (this test
// binary, started again as TestHubChild), so that the 30 clients' memory
// and CPU, in the benchmark's process, are not counted as the hub's.

const childEnv = "WAYMARK_HUB_CHILD"

// TestHubChild is the hub process of BenchmarkHub30Clients: it does
// nothing unless started by it. It prints its ports and codes, then reads
// commands on stdin: "next" moves the session on, "stats" prints the
// process's resident memory, Go heap and CPU time.
func TestHubChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("the hub process of BenchmarkHub30Clients")
	}
	lesson, facts := demoLesson(t)
	h, _ := startHub(t, facts, nil, nil)
	r, err := h.Begin(context.Background(), lesson)
	if err != nil {
		t.Fatal(err)
	}
	reach := h.Reach()
	fmt.Printf("hub %d %d %s %s\n", reach.AppPort, reach.PagePort, reach.AppCode, reach.RoomCode)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		switch in.Text() {
		case "next":
			if !r.Next() {
				r.Back()
			}
			fmt.Println("ok")
		case "stats":
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			var ru syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			fmt.Printf("stats %d %d %d %d\n", rss(), m.HeapInuse, cpu.Microseconds(), runtime.NumGoroutine())
		case "quit":
			return
		}
	}
}

// rss is the process's resident memory, in bytes (Linux).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// hubProcess is the hub running as a child process.
type hubProcess struct {
	cmd               *exec.Cmd
	in                io.WriteCloser
	out               *bufio.Scanner
	appPort, pagePort int
	appCode, roomCode string
}

func startHubProcess(b *testing.B) *hubProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHubChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Dir, _ = os.Getwd()
	in, _ := cmd.StdinPipe()
	outPipe, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &hubProcess{cmd: cmd, in: in, out: bufio.NewScanner(outPipe)}
	b.Cleanup(func() {
		fmt.Fprintln(in, "quit")
		in.Close()
		cmd.Wait()
	})
	line := p.expect(b, "hub ")
	if _, err := fmt.Sscanf(line, "hub %d %d %s %s", &p.appPort, &p.pagePort, &p.appCode, &p.roomCode); err != nil {
		b.Fatalf("hub process said %q: %v", line, err)
	}
	return p
}

func (p *hubProcess) expect(b *testing.B, prefix string) string {
	b.Helper()
	for p.out.Scan() {
		if strings.HasPrefix(p.out.Text(), prefix) {
			return p.out.Text()
		}
	}
	b.Fatalf("the hub process ended before saying %q", prefix)
	return ""
}

type hubStats struct {
	rss, heap  int64
	cpu        time.Duration
	goroutines int
}

func (p *hubProcess) stats(b *testing.B) hubStats {
	fmt.Fprintln(p.in, "stats")
	var s hubStats
	var cpu int64
	fmt.Sscanf(p.expect(b, "stats "), "stats %d %d %d %d", &s.rss, &s.heap, &cpu, &s.goroutines)
	s.cpu = time.Duration(cpu) * time.Microsecond
	return s
}

// follower is one of the 30: an app's Follower or a page's calls.
type benchFollower struct {
	version atomic.Uint64
	changed chan time.Time
}

// BenchmarkHub30Clients measures the hub with 30 followers connected (20
// apps over TLS with the real Follower, 10 browsers making the page's
// calls over plain HTTP), each waiting for the next step: the time from
// the trainer's "next" to every follower having the new step (p50 and
// p95 over the iterations, and p95 of each follower's own time), and the
// hub process's resident memory, Go heap and CPU time per "next".
//
//	go test -tags ci -run '^$' -bench Hub30Clients -benchtime 200x ./internal/hub/
func BenchmarkHub30Clients(b *testing.B) {
	p := startHubProcess(b)
	before := p.stats(b)
	fs := connect30(b, p)
	connected := p.stats(b)
	var all, each []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		fmt.Fprintln(p.in, "next")
		p.expect(b, "ok")
		var last time.Duration
		for _, f := range fs {
			at := <-f.changed
			d := at.Sub(start)
			each = append(each, d)
			last = max(last, d)
		}
		all = append(all, last)
	}
	b.StopTimer()
	after := p.stats(b)
	q := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(q(all, 0.5), "all_p50_ms")
	b.ReportMetric(q(all, 0.95), "all_p95_ms")
	b.ReportMetric(q(each, 0.95), "each_p95_ms")
	b.ReportMetric(float64(connected.rss)/(1<<20), "hub_rss_MiB")
	b.ReportMetric(float64(connected.heap)/(1<<20), "hub_heap_MiB")
	b.ReportMetric(float64(connected.rss-before.rss)/(1<<10)/30, "rss_KiB/client")
	b.ReportMetric(float64((after.cpu-connected.cpu).Microseconds())/float64(b.N)/1000, "hub_cpu_ms/next")
	b.ReportMetric(float64(connected.goroutines), "hub_goroutines")
}

// BenchmarkHub30ClientsIdle measures the hub's CPU while 30 followers are
// connected and nobody moves: each wait for the next step is held 20 s
// and asked again, so this runs 30 s a time.
//
//	go test -tags ci -run '^$' -bench Hub30ClientsIdle -benchtime 1x ./internal/hub/
func BenchmarkHub30ClientsIdle(b *testing.B) {
	p := startHubProcess(b)
	connect30(b, p)
	b.ResetTimer()
	var cpu time.Duration
	for range b.N {
		s0 := p.stats(b)
		time.Sleep(30 * time.Second)
		s1 := p.stats(b)
		cpu += s1.cpu - s0.cpu
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N)*2, "hub_cpu_ms/min")
}

// connect30 connects 30 followers to the hub process: 20 apps (the real
// Follower, TLS) and 10 browsers (the page's calls, plain HTTP), each
// waiting for the next step; each follower's channel gets the time it saw
// a change.
func connect30(b *testing.B, p *hubProcess) []*benchFollower {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	var fs []*benchFollower
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p.appPort))
	for range 20 {
		f, first, err := syncclient.Follow(ctx, syncclient.FollowConfig{Address: addr, Code: p.appCode})
		if err != nil {
			b.Fatal(err)
		}
		bf := &benchFollower{changed: make(chan time.Time, 1<<16)}
		bf.version.Store(first.Version)
		fs = append(fs, bf)
		go f.Run(ctx, first, func(v room.View) {
			if v.Version != bf.version.Load() {
				bf.version.Store(v.Version)
				bf.changed <- time.Now()
			}
		}, func(string) {})
	}
	page := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(p.pagePort))
	for i := range 10 {
		br := newBrowser(b, page, p.roomCode, []string{"en", "ar"}[i%2])
		br.open()
		br.join()
		bf := &benchFollower{changed: make(chan time.Time, 1<<16)}
		bf.version.Store(br.State().Version)
		fs = append(fs, bf)
		go func() {
			for ctx.Err() == nil {
				if v := br.State().Version; v != bf.version.Load() {
					bf.version.Store(v)
					bf.changed <- time.Now()
				}
				time.Sleep(200 * time.Microsecond)
			}
		}()
		b.Cleanup(br.drop)
	}
	time.Sleep(200 * time.Millisecond) // every follower is waiting
	return fs
}

// BenchmarkJoinPageBytes reports the join page's size: what a phone
// downloads to join (one response, nothing else loaded), plain and
// gzipped, with and without the HTTP headers, in English and Arabic.
//
//	go test -tags ci -run '^$' -bench JoinPageBytes -benchtime 1x ./internal/hub/
func BenchmarkJoinPageBytes(b *testing.B) {
	_, facts := demoLesson(b)
	h, _ := startHub(b, facts, nil, nil)
	reach := h.Reach()
	for _, lang := range []string{"en", "ar"} {
		for _, gz := range []bool{false, true} {
			name := lang + "/plain"
			if gz {
				name = lang + "/gzip"
			}
			b.Run(name, func(b *testing.B) {
				var wire int64
				for range b.N {
					c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.PagePort)))
					if err != nil {
						b.Fatal(err)
					}
					req := "GET /?l=" + lang + " HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n"
					if gz {
						req += "Accept-Encoding: gzip\r\n"
					}
					fmt.Fprint(c, req+"\r\n")
					n, _ := io.Copy(io.Discard, c)
					c.Close()
					wire = n
				}
				body := h.Rooms().Page(lang)
				if gz {
					body = h.Rooms().PageGzip(lang)
				}
				b.ReportMetric(float64(len(body)), "body_bytes")
				b.ReportMetric(float64(wire), "response_bytes")
			})
		}
	}
}
