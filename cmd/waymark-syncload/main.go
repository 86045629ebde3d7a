// Command waymark-syncload puts a sync server under the load of many
// learners' devices, using the app's own client code (internal/syncclient's
// engine on real SQLite stores) over real HTTP(S), and checks the result:
// every event delivered exactly once, every device of a learner holding the
// same record.
//
//	waymark-syncload --server URL [--pin PIN] [--invite CODE]
//	                 [--learners L] [--devices D] [--events M] [--json]
//
// Start the server for a load with its per-address and per-device rate
// limits off (--rate-address 0 --rate-enrol 0 --rate-device 0): from one
// machine, every learner comes from one address.
//
// It enrols L learners (with an invite code from `waymark-server invite`,
// or none on a server with --open-enrolment), links D devices to each (the
// later ones by pairing, as the app does), has each device record M events,
// then every device syncs (pushing its events and pulling the others'),
// and every device syncs again. It prints the bytes on the wire for the
// syncs (headers and bodies, both ways), the syncs' p50 and p95 times, and
// how many events were lost or duplicated; it exits 1 when any was, or
// when the devices did not converge.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// Config is what a load run does.
type Config struct {
	Server, Pin, Invite       string
	Learners, Devices, Events int
	// Workers is how many devices sync at once.
	Workers int
	// Dir keeps the devices' stores (a temporary folder if "").
	Dir string

	took func(op string, d time.Duration)
}

// Report is what a load run measured. JSON names are stable: scripts read
// them.
type Report struct {
	Learners  int   `json:"learners"`
	Devices   int   `json:"devices"`
	Events    int   `json:"events"`
	BytesUp   int64 `json:"bytes_up"`
	BytesDown int64 `json:"bytes_down"`
	Setup     int64 `json:"setup_bytes"`
	Syncs     int   `json:"syncs"`
	// P50ms and P95ms are the sync round trips' times (request sent to
	// the answer's last byte); SyncP95ms is whole syncs', with the
	// device's own work on its store.
	P50ms     float64 `json:"p50_ms"`
	P95ms     float64 `json:"p95_ms"`
	SyncP95ms float64 `json:"sync_p95_ms"`
	Lost      int     `json:"lost"`
	Duplicate int     `json:"duplicated"`
	Converged bool    `json:"converged"`
	Seconds   float64 `json:"seconds"`
}

// OK reports whether nothing was lost or duplicated and every device
// converged.
func (r Report) OK() bool { return r.Lost == 0 && r.Duplicate == 0 && r.Converged }

func main() {
	var cfg Config
	var asJSON bool
	fs := flag.NewFlagSet("waymark-syncload", flag.ContinueOnError)
	fs.StringVar(&cfg.Server, "server", "", "the server's address, http(s)://host:port (required)")
	fs.StringVar(&cfg.Pin, "pin", "", "the server's certificate pin (a hub's self-signed certificate)")
	fs.StringVar(&cfg.Invite, "invite", "", "an invite code (none: the server must allow open enrolment)")
	fs.IntVar(&cfg.Learners, "learners", 10, "learners to enrol")
	fs.IntVar(&cfg.Devices, "devices", 2, "devices per learner")
	fs.IntVar(&cfg.Events, "events", 10, "events each device records")
	fs.IntVar(&cfg.Workers, "workers", 32, "devices syncing at once")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if cfg.Server == "" || cfg.Learners < 1 || cfg.Devices < 1 || cfg.Events < 0 {
		fmt.Fprintln(os.Stderr, "waymark-syncload: --server is required; learners and devices at least 1")
		os.Exit(2)
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "waymark-syncload:", err)
		os.Exit(1)
	}
	report(os.Stdout, rep, asJSON)
	if !rep.OK() {
		os.Exit(1)
	}
}

func report(w io.Writer, r Report, asJSON bool) {
	if asJSON {
		json.NewEncoder(w).Encode(r)
		return
	}
	fmt.Fprintf(w, "%d learners × %d devices × %d events, %d syncs in %.1f s\n", r.Learners, r.Devices/max(1, r.Learners), r.Events/max(1, r.Devices), r.Syncs, r.Seconds)
	fmt.Fprintf(w, "bytes on the wire (syncs, headers included): %d up, %d down, %d in all (setup: %d)\n", r.BytesUp, r.BytesDown, r.BytesUp+r.BytesDown, r.Setup)
	fmt.Fprintf(w, "sync round trips: p50 %.1f ms, p95 %.1f ms (whole syncs, with the device's own store: p95 %.1f ms)\n", r.P50ms, r.P95ms, r.SyncP95ms)
	fmt.Fprintf(w, "lost %d, duplicated %d, converged %v\n", r.Lost, r.Duplicate, r.Converged)
}

// device is one device of a load learner.
type device struct {
	learner int
	db      *sqlite.DB
	eng     *syncclient.Engine
	conn    *syncclient.Conn
}

// Run enrols, records, syncs and checks, as the package comment says.
func Run(ctx context.Context, cfg Config) (Report, error) {
	start := time.Now()
	if cfg.Workers <= 0 {
		cfg.Workers = 32
	}
	dir := cfg.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "waymark-syncload-")
		if err != nil {
			return Report{}, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	rep := Report{Learners: cfg.Learners, Devices: cfg.Learners * cfg.Devices, Events: cfg.Learners * cfg.Devices * cfg.Events}
	var tmu sync.Mutex
	var trips []time.Duration
	measuring := false
	cfg.took = func(op string, d time.Duration) {
		tmu.Lock()
		defer tmu.Unlock()
		if measuring && op == "sync" {
			trips = append(trips, d)
		}
	}
	keys := make([]lockbox.Key, cfg.Learners)
	var devices []*device
	defer func() {
		for _, d := range devices {
			d.conn.Close()
			d.db.Close()
		}
	}()
	// Set-up: enrol and pair, as the app does; its bytes are counted apart.
	setup := &syncclient.Meter{}
	for l := range cfg.Learners {
		keys[l] = lockbox.NewKey()
		first, err := dial(cfg, "", setup)
		if err != nil {
			return rep, err
		}
		e, err := first.Enrol(ctx, cfg.Invite, nil)
		if err != nil {
			first.Close()
			return rep, fmt.Errorf("enrol: %w", err)
		}
		first.SetToken(e.Token)
		tokens := []string{e.Token}
		for range cfg.Devices - 1 {
			offer, err := first.CreatePairing(ctx, keys[l][:])
			if err != nil {
				first.Close()
				return rep, fmt.Errorf("pairing: %w", err)
			}
			nc, err := dial(cfg, "", setup)
			if err != nil {
				first.Close()
				return rep, err
			}
			p, err := nc.Pair(ctx, offer.Code, nil)
			nc.Close()
			if err != nil {
				first.Close()
				return rep, fmt.Errorf("pair: %w", err)
			}
			tokens = append(tokens, p.Token)
		}
		first.Close()
		for i, tok := range tokens {
			d, err := openDevice(ctx, cfg, filepath.Join(dir, fmt.Sprintf("l%d-d%d.db", l, i)), tok, keys[l])
			if err != nil {
				return rep, err
			}
			d.learner = l
			devices = append(devices, d)
			if err := record(ctx, d.db, cfg.Events); err != nil {
				return rep, err
			}
		}
	}
	rep.Setup = setup.Total()

	// Two rounds: every device pushes its events and pulls what is there;
	// then again, to pull what the others pushed after it.
	tmu.Lock()
	measuring = true
	tmu.Unlock()
	var times []time.Duration
	for range 2 {
		took, err := syncAll(ctx, devices, cfg.Workers)
		if err != nil {
			return rep, err
		}
		times = append(times, took...)
	}
	for _, d := range devices {
		rep.BytesUp += d.conn.Meter().Sent()
		rep.BytesDown += d.conn.Meter().Received()
	}
	tmu.Lock()
	measuring = false
	tmu.Unlock()
	rep.Syncs = len(times)
	rep.SyncP95ms = ms(percentile(times, 95))
	rep.P50ms, rep.P95ms = ms(percentile(trips, 50)), ms(percentile(trips, 95))

	if err := check(ctx, cfg, devices, keys, &rep); err != nil {
		return rep, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// percentile returns the p-th percentile of ds (sorting ds).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, len(ds)*p/100)]
}

func dial(cfg Config, token string, m *syncclient.Meter) (*syncclient.Conn, error) {
	return syncclient.Dial(syncclient.Config{URL: cfg.Server, Pin: cfg.Pin, Token: token, Meter: m, Timeout: time.Minute, Took: cfg.took})
}

// openDevice opens a device's store, sealed under its own data key.
func openDevice(ctx context.Context, cfg Config, path, token string, key lockbox.Key) (*device, error) {
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	if err := db.Unlock(ctx, lockbox.NewBox(lockbox.NewKey())); err != nil {
		db.Close()
		return nil, err
	}
	conn, err := dial(cfg, token, nil)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &device{db: db, conn: conn, eng: &syncclient.Engine{Store: db, Conn: conn, Key: key}}, nil
}

// record has a device record n events, as a learner doing lessons would:
// steps shown, answers, a lesson finished now and then, a journey note.
func record(ctx context.Context, db *sqlite.DB, n int) error {
	lessons := []string{"passcodes", "scam-messages", "register-gp", "write-cv", "online-banking"}
	var b [1]byte
	for i := range n {
		rand.Read(b[:])
		l := lessons[int(b[0])%len(lessons)]
		var e learn.Event
		switch i % 5 {
		case 0, 1:
			e = learn.Event{Kind: learn.EventStepShown, Lesson: l, Step: fmt.Sprint("s", i%9)}
		case 2, 3:
			e = learn.Event{Kind: learn.EventAnswered, Lesson: l, Step: fmt.Sprint("q", i%7), Answer: []string{"a"}, Correct: b[0]%2 == 0}
		default:
			e = learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: fmt.Sprint("note ", i)}
		}
		if _, err := db.Record(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// syncAll syncs every device once, workers at a time, and returns how long
// each sync took.
func syncAll(ctx context.Context, devices []*device, workers int) ([]time.Duration, error) {
	jobs := make(chan *device)
	var mu sync.Mutex
	var took []time.Duration
	var errs []error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				t0 := time.Now()
				_, err := d.eng.Sync(ctx)
				dt := time.Since(t0)
				mu.Lock()
				took = append(took, dt)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, d := range devices {
		jobs <- d
	}
	close(jobs)
	wg.Wait()
	return took, errors.Join(errs...)
}

// check counts what the server holds for each learner (every chunk,
// opened with the learner key) against what the learner's devices
// recorded, and compares the devices' records.
func check(ctx context.Context, cfg Config, devices []*device, keys []lockbox.Key, rep *Report) error {
	byLearner := map[int][]*device{}
	for _, d := range devices {
		byLearner[d.learner] = append(byLearner[d.learner], d)
	}
	rep.Converged = true
	for l, ds := range byLearner {
		recorded := map[learn.EventID]bool{}
		for _, d := range ds {
			dev, _ := d.db.Device()
			evs, err := d.db.Events(ctx, learn.EventID{}, 0)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if e.ID.Device == dev {
					recorded[e.ID] = true
				}
			}
		}
		held, err := serverHolds(ctx, cfg, ds[0].conn.Token(), keys[l])
		if err != nil {
			return err
		}
		for id := range recorded {
			switch held[id] {
			case 0:
				rep.Lost++
			case 1:
			default:
				rep.Duplicate += held[id] - 1
			}
		}
		var first *learn.Progress
		for _, d := range ds {
			n, err := countEvents(ctx, d.db)
			if err != nil {
				return err
			}
			p, err := d.db.Progress(ctx)
			if err != nil {
				return err
			}
			if n != len(recorded) {
				rep.Converged = false
			}
			if first == nil {
				first = p
			} else if !reflect.DeepEqual(p, first) {
				rep.Converged = false
			}
		}
	}
	return nil
}

func countEvents(ctx context.Context, db *sqlite.DB) (int, error) {
	evs, err := db.Events(ctx, learn.EventID{}, 0)
	return len(evs), err
}

// serverHolds pulls every chunk of the learner's log, from the start, as a
// device of no stream would, and counts each event id it holds.
func serverHolds(ctx context.Context, cfg Config, token string, key lockbox.Key) (map[learn.EventID]int, error) {
	conn, err := dial(cfg, token, nil)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var nobody syncapi.Stream
	rand.Read(nobody.Device[:])
	rand.Read(nobody.Epoch[:])
	out := map[learn.EventID]int{}
	var cursor []byte
	for range 100000 {
		resp, err := conn.Sync(ctx, syncapi.SyncRequest{Self: nobody, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, c := range resp.Pull {
			evs, err := syncclient.OpenChunk(key, c)
			if err != nil {
				return nil, fmt.Errorf("a stored chunk does not open: %w", err)
			}
			for _, e := range evs {
				out[e.ID]++
			}
		}
		cursor = resp.Cursor
		if !resp.More {
			return out, nil
		}
	}
	return nil, errors.New("the server's log did not end")
}
