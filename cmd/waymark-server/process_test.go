package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/postgres/pgtest"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// serverBinary builds the real waymark-server once per test run, pure Go.
func serverBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "waymark-server-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "waymark-server")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// process is a running waymark-server binary.
type process struct {
	cmd *exec.Cmd
	url string
}

// startProcess runs the binary with args on 127.0.0.1:0 and waits for it
// to say where it listens.
func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	cmd := exec.Command(serverBinary(t), append([]string{"--addr", "127.0.0.1:0", "--open-enrolment", "--rate-address", "0", "--rate-enrol", "0", "--rate-device", "0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd}
	t.Cleanup(func() { p.stop() })
	lines := bufio.NewScanner(stderr)
	found := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if u, ok := strings.CutPrefix(lines.Text(), "waymark-server: listening on "); ok {
				found <- u
			}
		}
	}()
	select {
	case p.url = <-found:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start in 30 s")
	}
	return p
}

// stop ends the process gracefully (SIGTERM) and waits for it.
func (p *process) stop() error {
	if p.cmd.ProcessState != nil {
		return nil
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	return p.cmd.Wait()
}

func (p *process) kill() {
	p.cmd.Process.Kill() // SIGKILL
	p.cmd.Wait()
}

func dialURL(t *testing.T, url, token string) *syncclient.Conn {
	t.Helper()
	c, err := syncclient.Dial(syncclient.Config{URL: url, Token: token, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

type ackedChunk struct {
	token string
	chunk syncapi.Chunk
}

// TestKillDuringIngest: devices push while the server is killed with
// SIGKILL; after a restart every acknowledged chunk is there, once, with
// its body, pushing the rest again loses and doubles nothing, and SQLite's
// integrity check passes.
func TestKillDuringIngest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "server.db")
	srv := startProcess(t, "--db", db)
	ctx := context.Background()
	const devices = 6
	type dev struct {
		token string
		self  syncapi.Stream
		sent  []syncapi.Chunk
	}
	devs := make([]*dev, devices)
	for i := range devs {
		c := dialURL(t, srv.url, "")
		e, err := c.Enrol(ctx, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		devs[i] = &dev{token: e.Token, self: newStream()}
	}
	var mu sync.Mutex
	var acked []ackedChunk
	var nacked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _ := syncclient.Dial(syncclient.Config{URL: srv.url, Token: d.token, Timeout: 5 * time.Second})
			defer c.Close()
			for seq := uint64(1); ; seq += 5 {
				select {
				case <-stop:
					return
				default:
				}
				ch := syncapi.Chunk{Stream: d.self, From: seq, To: seq + 4, Body: fmt.Appendf(nil, "sealed %x %d", d.self.Device[:4], seq)}
				d.sent = append(d.sent, ch)
				resp, err := c.Sync(ctx, syncapi.SyncRequest{Self: d.self, Push: []syncapi.Chunk{ch}})
				if err != nil {
					if !syncclient.Temporary(err) {
						t.Errorf("a permanent error while the server dies: %v", err)
					}
					return // the server is gone
				}
				if resp.Acks[0].Acknowledged() {
					mu.Lock()
					acked = append(acked, ackedChunk{d.token, ch})
					mu.Unlock()
					nacked.Add(1)
				}
			}
		}()
	}
	for nacked.Load() < 150 {
		time.Sleep(5 * time.Millisecond)
	}
	srv.kill()
	close(stop)
	wg.Wait()
	t.Logf("killed after %d acknowledged chunks", len(acked))

	srv = startProcess(t, "--db", db)
	want := map[string]map[uint64][32]byte{} // token → from → body hash
	for _, a := range acked {
		if want[a.token] == nil {
			want[a.token] = map[uint64][32]byte{}
		}
		want[a.token][a.chunk.From] = sha256.Sum256(a.chunk.Body)
	}
	for _, d := range devs {
		// Every chunk sent, pushed again: all acknowledged now.
		c := dialURL(t, srv.url, d.token)
		for i := 0; i < len(d.sent); i += 50 {
			batch := d.sent[i:min(i+50, len(d.sent))]
			resp, err := c.Sync(ctx, syncapi.SyncRequest{Self: d.self, Push: batch})
			if err != nil {
				t.Fatalf("push again: %v", err)
			}
			for j, st := range resp.Acks {
				if _, was := want[d.token][batch[j].From]; was && st != syncapi.StatusDuplicate {
					t.Errorf("an acknowledged chunk pushed again: %v, want duplicate (it was lost)", st)
				}
				if !st.Acknowledged() {
					t.Errorf("a chunk pushed again: %v", st)
				}
			}
		}
		// Pulled by another stream of the learner: each exactly once.
		var cursor []byte
		seen := map[uint64]int{}
		for {
			resp, err := c.Sync(ctx, syncapi.SyncRequest{Self: newStream(), Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range resp.Pull {
				seen[ch.From]++
				if h, ok := want[d.token][ch.From]; ok && h != sha256.Sum256(ch.Body) {
					t.Errorf("chunk %d came back with another body", ch.From)
				}
			}
			cursor = resp.Cursor
			if !resp.More {
				break
			}
		}
		for from := range want[d.token] {
			if seen[from] != 1 {
				t.Errorf("acknowledged chunk %d pulled %d times after the restart", from, seen[from])
			}
		}
		if len(seen) != len(d.sent) {
			t.Errorf("pulled %d chunks, pushed %d", len(seen), len(d.sent))
		}
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	s, err := sqlite.OpenRelay(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// TestTwoProcessesOnePostgres: two server processes on one PostgreSQL
// take pushes for the same learners at once (each batch through both, as
// a retry through a load balancer would), while readers pull through both
// in turn: every chunk is stored once and reaches each reader once, and
// no cursor skips one.
func TestTwoProcessesOnePostgres(t *testing.T) {
	dsn, _ := pgtest.URL(t)
	ctx := context.Background()
	procs := []*process{startProcess(t, "--db", dsn), startProcess(t, "--db", dsn)}
	const learners, writers, batches, per = 4, 3, 15, 2
	type learner struct {
		token  string
		reader syncapi.Stream
		got    map[string]int
		count  int
	}
	ls := make([]*learner, learners)
	for i := range ls {
		e, err := dialURL(t, procs[i%2].url, "").Enrol(ctx, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		ls[i] = &learner{token: e.Token, reader: newStream(), got: map[string]int{}}
	}
	conns := [2]map[string]*syncclient.Conn{{}, {}}
	for p := range procs {
		for _, l := range ls {
			conns[p][l.token] = dialURL(t, procs[p].url, l.token)
		}
	}
	var pushers, readers sync.WaitGroup
	done := make(chan struct{})
	pull := func(l *learner, c *syncclient.Conn, cursor []byte) ([]byte, bool) {
		resp, err := c.Sync(ctx, syncapi.SyncRequest{Self: l.reader, Cursor: cursor})
		if err != nil {
			t.Errorf("pull: %v", err)
			return cursor, false
		}
		for _, ch := range resp.Pull {
			l.got[fmt.Sprintf("%x/%d", ch.Stream.Device[:4], ch.From)]++
			l.count++
		}
		return resp.Cursor, resp.More
	}
	cursors := make([][]byte, learners)
	for i, l := range ls {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for n := 0; ; n++ {
				select {
				case <-done:
					return
				default:
				}
				cursors[i], _ = pull(l, conns[n%2][l.token], cursors[i])
			}
		}()
		for w := range writers {
			pushers.Add(1)
			go func() {
				defer pushers.Done()
				self := newStream()
				for b := range batches {
					var cs []syncapi.Chunk
					for k := range per {
						seq := uint64(b*per + k + 1)
						cs = append(cs, syncapi.Chunk{Stream: self, From: seq, To: seq, Body: fmt.Appendf(nil, "sealed %d/%d", w, seq)})
					}
					for p := range 2 {
						resp, err := conns[(w+p)%2][l.token].Sync(ctx, syncapi.SyncRequest{Self: self, Push: cs})
						if err != nil {
							t.Errorf("push: %v", err)
							return
						}
						for _, st := range resp.Acks {
							if want := []syncapi.ChunkStatus{syncapi.StatusStored, syncapi.StatusDuplicate}[p]; st != want {
								t.Errorf("push %d of a batch: status %v, want %v", p+1, st, want)
							}
						}
					}
				}
			}()
		}
	}
	pushers.Wait()
	close(done)
	readers.Wait()
	const total = writers * batches * per
	for i, l := range ls {
		for more := true; more; {
			cursors[i], more = pull(l, conns[0][l.token], cursors[i])
		}
		if l.count != total || len(l.got) != total {
			t.Errorf("learner %d: the reader got %d chunks (%d distinct), want %d exactly once", i, l.count, len(l.got), total)
		}
	}
	for _, p := range procs {
		if err := p.stop(); err != nil {
			t.Errorf("graceful stop: %v", err)
		}
	}
}
