package hub_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waymark-app/waymark/internal/chrometest"

	"github.com/waymark-app/waymark/internal/hub"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/roomserver"
	"github.com/waymark-app/waymark/internal/selfsigned"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
	"github.com/waymark-app/waymark/locales"
)

// noLimits turns the sync server's rate limits off: every client of these
// tests comes from 127.0.0.1.
var noLimits = syncserver.Limits{Quota: 64 << 20}

// central is the learners' own (organisation's) sync server: the real
// syncserver on a real SQLite store, over TLS with a self-signed
// certificate that devices pin.
type central struct {
	url, pin string
	addr     string
	store    *sqlite.Relay
	cfg      *tls.Config
	mu       sync.Mutex
	srv      *http.Server
}

// start serves at c.addr (again).
func (c *central) start(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", c.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.addr = ln.Addr().String()
	srv := &http.Server{Handler: syncserver.New(c.store, syncserver.Options{OpenEnrolment: true, Limits: noLimits, Log: slog.New(slog.DiscardHandler)})}
	go srv.Serve(tls.NewListener(ln, c.cfg))
	c.mu.Lock()
	c.srv = srv
	c.mu.Unlock()
}

// stop stops serving: the server is out of reach.
func (c *central) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.srv != nil {
		c.srv.Close()
		c.srv = nil
	}
}

func startCentral(t testing.TB) *central {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.OpenRelay(context.Background(), filepath.Join(dir, "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := selfsigned.Keep(selfsigned.In(dir, "central"), "central")
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := selfsigned.Leaf(cfg)
	c := &central{addr: "127.0.0.1:0", pin: selfsigned.Pin(leaf), store: store, cfg: cfg}
	c.start(t)
	c.url = "https://" + c.addr
	t.Cleanup(func() {
		c.stop()
		store.Close()
	})
	return c
}

// startHub opens a hub on loopback with its own store, as the trainer's
// app does.
func startHub(t testing.TB, facts map[string]learn.Fact, roster room.Roster, key *lockbox.Key) (*hub.Hub, *sqlite.Relay) {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.OpenRelay(context.Background(), filepath.Join(dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	cat, ps := l10n.Load(locales.FS)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	words, langs := roomserver.FromCatalog(cat)
	h, err := hub.Open(hub.Options{Store: store, Dir: dir, AppAddr: "127.0.0.1:0", PageAddr: "127.0.0.1:0",
		Facts: facts, Words: words, Languages: langs, Roster: roster, Key: key,
		Limits: noLimits, JoinRate: -1, RequestRate: -1, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Listen(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, store
}

// device is a learner's app as far as sync goes: a real store and the
// real sync service.
type device struct {
	db  *sqlite.DB
	svc *syncclient.Service
}

func newDevice(t testing.TB) *device {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "waymark.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unlock(ctx, lockbox.NewBox(lockbox.NewKey())); err != nil {
		t.Fatal(err)
	}
	d := &device{db: db, svc: &syncclient.Service{Store: db, Clock: db.Clock(), Label: "phone", Backoff: 50 * time.Millisecond}}
	if err := d.svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.svc.Stop()
		db.Close()
	})
	return d
}

// record records events as the app's player does.
func (d *device) record(t testing.TB, events ...learn.Event) {
	t.Helper()
	for i := range events {
		events[i].Clock = d.db.Clock().Tick()
		events[i].ID.Device, _ = d.db.Device()
	}
	if _, err := d.db.Record(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
}

// ownEvents are the events this device recorded itself.
func (d *device) ownEvents(t testing.TB) map[learn.EventID]bool {
	t.Helper()
	all, err := d.db.Events(context.Background(), learn.EventID{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	dev, _ := d.db.Device()
	out := map[learn.EventID]bool{}
	for _, e := range all {
		if e.ID.Device == dev {
			out[e.ID] = true
		}
	}
	return out
}

// hasCourier reports whether the device made its courier.
func (d *device) hasCourier(t testing.TB) bool {
	var c syncclient.Account
	ok, err := d.db.LoadSealed(context.Background(), "sync.courier", &c)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// onServer returns how many times each event of the device's learner is
// in the server's store, opened with the learner key as another of the
// learner's devices would.
func (d *device) onServer(t testing.TB, store relay.Store) map[learn.EventID]int {
	t.Helper()
	ctx := context.Background()
	var acct syncclient.Account
	if ok, err := d.db.LoadSealed(ctx, "sync.account", &acct); err != nil || !ok {
		t.Fatalf("the device has no account: %v", err)
	}
	var raw []byte
	if _, err := d.db.LoadSealed(ctx, "sync.key", &raw); err != nil {
		t.Fatal(err)
	}
	var key lockbox.Key
	copy(key[:], raw)
	dev, err := store.Authenticate(ctx, relay.HashOf(acct.Token), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	page, err := store.Pull(ctx, relay.Query{Learner: dev.Learner, MaxCount: 100000, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	out := map[learn.EventID]int{}
	for _, c := range page.Chunks {
		evs, err := syncclient.OpenChunk(key, toWire(c))
		if err != nil {
			t.Fatalf("a chunk on the server does not open with the learner key: %v", err)
		}
		for _, e := range evs {
			out[e.ID]++
		}
	}
	return out
}

// waitFor polls cond until it holds (a minute at most: this is liveness,
// not speed).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// browser is a phone's browser on the join page, at the HTTP level: it
// makes the calls the page's script makes, in the same order.
type browser struct {
	t    testing.TB
	base string
	lang string
	code string

	mu    sync.Mutex
	tok   room.Token
	state roomserver.State
	stop  context.CancelFunc
	done  chan struct{}
}

func newBrowser(t testing.TB, base, code, lang string) *browser {
	return &browser{t: t, base: base, code: code, lang: lang}
}

// post makes one call; status 0 when the network failed.
func (b *browser) post(ctx context.Context, path string, in, out any) int {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, "POST", b.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 && out != nil {
		json.Unmarshal(data, out)
	}
	return resp.StatusCode
}

// open loads the page, as a phone does first.
func (b *browser) open() {
	resp, err := http.Get(b.base + "/?l=" + b.lang)
	if err != nil {
		b.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.t.Fatalf("page: %d", resp.StatusCode)
	}
}

// join joins (or comes back with its token) and starts following.
func (b *browser) join() {
	var j roomserver.Joined
	if st := b.post(context.Background(), roomserver.PathJoin, roomserver.JoinRequest{Code: b.code, Token: b.token(), Lang: b.lang}, &j); st != 200 {
		b.t.Fatalf("browser join: %d", st)
	}
	b.mu.Lock()
	b.tok, b.state = j.Token, j.State
	b.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	b.stop, b.done = cancel, make(chan struct{})
	go b.follow(ctx)
}

func (b *browser) token() room.Token {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tok
}

// State returns what the page shows now.
func (b *browser) State() roomserver.State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// follow long-polls, as the page does, until dropped.
func (b *browser) follow(ctx context.Context) {
	defer close(b.done)
	for ctx.Err() == nil {
		var s roomserver.State
		st := b.post(ctx, roomserver.PathState, roomserver.StateRequest{Token: b.token(), Version: b.State().Version, Lang: b.lang}, &s)
		switch st {
		case 200:
			b.mu.Lock()
			b.state = s
			b.mu.Unlock()
			if s.Phase == room.PhaseEnded {
				return
			}
		case 0:
			if ctx.Err() == nil {
				time.Sleep(100 * time.Millisecond)
			}
		default:
			return
		}
	}
}

// drop is the Wi-Fi going: the page stops hearing from the hub.
func (b *browser) drop() {
	b.stop()
	<-b.done
}

// answer sends an answer to the step showing.
func (b *browser) answer(ids ...string) {
	var s roomserver.State
	if st := b.post(context.Background(), roomserver.PathAnswer, roomserver.AnswerRequest{Token: b.token(), Step: b.State().Step, Answer: ids, Lang: b.lang}, &s); st != 200 {
		b.t.Errorf("browser answer %v: %d", ids, st)
	}
}

// proxy stands between a client and the hub: cut is the Wi-Fi going
// (every connection broken, none taken), restore its coming back.
type proxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newProxy(t testing.TB, target string) *proxy {
	p := &proxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *proxy) restore(t testing.TB) {
	var ln net.Listener
	var err error
	for range 50 { // the port was just closed: it may take a moment to free
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("restore the proxy: %v", err)
	}
	p.serve(ln)
}

// newChromium starts a headless Chromium (chrometest: the flags the
// brief gives, a fresh profile) with a phone's viewport, 360×640. It
// returns a context for chromedp, open on a first tab.
func newChromium(t testing.TB) context.Context {
	t.Helper()
	ctx := chrometest.Browser(t, 10*time.Minute)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 640, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("a phone's viewport: %v", err)
	}
	return ctx
}

// pageText returns the text of the page's step view (#v) and note (#m).
func pageText(t testing.TB, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('m').innerText + '\n' + document.getElementById('v').innerText`))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return s
}

// waitPage waits until the page's text holds s.
func waitPage(t testing.TB, ctx context.Context, s string) {
	t.Helper()
	var last string
	deadline := time.Now().Add(time.Minute)
	for {
		if last = pageText(t, ctx); strings.Contains(last, s) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page never showed %q; it shows:\n%s", s, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shot saves a screenshot of the page to WAYMARK_SHOTS (if set) as name.
func shot(t testing.TB, ctx context.Context, name string) []byte {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if dir := os.Getenv("WAYMARK_SHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return png
}

func toWire(c relay.Chunk) syncapi.Chunk {
	return syncapi.Chunk{Stream: syncapi.Stream{Device: syncapi.ID(c.Stream.Device), Epoch: syncapi.ID(c.Stream.Epoch)}, From: c.From, To: c.To, Body: c.Body}
}
