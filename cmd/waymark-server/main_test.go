package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// clock is a clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// start runs the real server on 127.0.0.1:0 with a SQLite file in a
// temporary folder (or db), with rate limits off unless set.
func start(t testing.TB, setup func(m *Main)) *Main {
	t.Helper()
	m := NewMain()
	m.Addr = "127.0.0.1:0"
	m.DB = filepath.Join(t.TempDir(), "server.db")
	m.OpenEnrolment = true
	m.Limits = syncserver.Limits{Quota: 64 << 20}
	m.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if setup != nil {
		setup(m)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return m
}

func dial(t testing.TB, m *Main, token string) *syncclient.Conn {
	t.Helper()
	c, err := syncclient.Dial(syncclient.Config{URL: m.URL(), Pin: m.Pin(), Token: token, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// device is a simulated learner device: a Conn, its stream, a cursor and
// the learner key it seals with.
type device struct {
	conn   *syncclient.Conn
	id     string
	self   syncapi.Stream
	cursor []byte
	key    lockbox.Key
	seq    uint64
	got    []syncapi.Chunk
}

func newStream() syncapi.Stream {
	return syncapi.Stream{Device: syncapi.ID(relay.NewID()), Epoch: syncapi.ID(relay.NewID())}
}

// enrol enrols a new learner with open enrolment.
func enrol(t testing.TB, m *Main) *device {
	t.Helper()
	c := dial(t, m, "")
	e, err := c.Enrol(context.Background(), "", []byte("sealed label"))
	if err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return &device{conn: c, id: e.Device, self: newStream(), key: lockbox.NewKey()}
}

// seal makes a chunk of the next n events, sealing plaintext as the
// engine would: the server gets only the sealed body.
func (d *device) seal(n uint64, plaintext string) syncapi.Chunk {
	c := syncapi.Chunk{Stream: d.self, From: d.seq + 1, To: d.seq + n, Body: lockbox.Seal(d.key, []byte(plaintext), nil)}
	d.seq += n
	return c
}

// sync makes one round trip, keeping what it pulled and the cursor.
func (d *device) sync(t testing.TB, push ...syncapi.Chunk) syncapi.SyncResponse {
	t.Helper()
	resp, err := d.conn.Sync(context.Background(), syncapi.SyncRequest{Self: d.self, Cursor: d.cursor, Push: push})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	d.cursor = resp.Cursor
	d.got = append(d.got, resp.Pull...)
	return resp
}

// drain syncs until nothing more comes.
func (d *device) drain(t testing.TB) {
	t.Helper()
	for range 1000 {
		if !d.sync(t).More {
			return
		}
	}
	t.Fatal("drain: more pages than ever pushed")
}

// open unseals what the device pulled, in order.
func (d *device) open(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, c := range d.got {
		b, err := lockbox.Open(d.key, c.Body, nil)
		if err != nil {
			t.Fatalf("a pulled chunk does not open: %v", err)
		}
		out = append(out, fmt.Sprintf("%d-%d %s", c.From, c.To, b))
	}
	return out
}

func TestHealthAndUnknownPaths(t *testing.T) {
	m := start(t, nil)
	if err := dial(t, m, "").Health(context.Background()); err != nil {
		t.Fatalf("health: %v", err)
	}
	status, code := rawCall(t, m, "GET", "/v1/nothing", "", nil, nil)
	if status != 404 || code != syncapi.CodeNotFound {
		t.Errorf("unknown path: got %d %s, want 404 not_found", status, code)
	}
	status, code = rawCall(t, m, "GET", "/v1/sync", "", nil, nil)
	if status != 405 || code != syncapi.CodeMethodNotAllowed {
		t.Errorf("wrong method: got %d %s, want 405 method_not_allowed", status, code)
	}
}

// TestTwoDevicesEndToEnd: a phone enrols and pushes, a laptop pairs with
// the phone's code and gets the learner key and the phone's chunks, the
// laptop pushes and the phone gets that; a device restored from a backup
// (a new epoch) gets back what its old epoch pushed.
func TestTwoDevicesEndToEnd(t *testing.T) {
	ctx := context.Background()
	m := start(t, nil)
	phone := enrol(t, m)
	first := phone.seal(3, "phone: lesson passcodes started")
	second := phone.seal(2, "phone: note edited")
	resp := phone.sync(t, first, second)
	if !slices.Equal(resp.Acks, []syncapi.ChunkStatus{syncapi.StatusStored, syncapi.StatusStored}) {
		t.Fatalf("acks: %v", resp.Acks)
	}
	// Sent again (the answer was lost): acknowledged, not stored twice.
	if resp := phone.sync(t, first); resp.Acks[0] != syncapi.StatusDuplicate {
		t.Errorf("a resent chunk: %v, want duplicate", resp.Acks[0])
	}
	offer, err := phone.conn.CreatePairing(ctx, phone.key[:])
	if err != nil {
		t.Fatalf("create pairing: %v", err)
	}
	if d := time.Until(offer.Expires); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("the offer expires in %v, want about 10 minutes", d)
	}
	laptop := &device{conn: dial(t, m, ""), self: newStream()}
	paired, err := laptop.conn.Pair(ctx, strings.ToLower(offer.Code), []byte("laptop label"))
	if err != nil {
		t.Fatalf("pair: %v", err)
	}
	copy(laptop.key[:], paired.Secret)
	if laptop.key != phone.key {
		t.Fatal("the laptop did not get the learner key")
	}
	laptop.drain(t)
	want := []string{"1-3 phone: lesson passcodes started", "4-5 phone: note edited"}
	if got := laptop.open(t); !slices.Equal(got, want) {
		t.Errorf("the laptop pulled %q, want %q", got, want)
	}
	laptop.sync(t, laptop.seal(1, "laptop: lesson done"))
	phone.drain(t)
	if got := phone.open(t); !slices.Equal(got, []string{"1-1 laptop: lesson done"}) {
		t.Errorf("the phone pulled %q", got)
	}
	// The phone restored from a backup: same device, new epoch, the old
	// cursor. It gets back its old epoch's chunks.
	restored := &device{conn: phone.conn, self: syncapi.Stream{Device: phone.self.Device, Epoch: newStream().Epoch}, key: phone.key}
	restored.drain(t)
	if got := restored.open(t); len(got) != 3 {
		t.Errorf("the restored phone pulled %q, want its old epoch's 2 chunks and the laptop's", got)
	}
	// Devices: both, each sees itself marked; the laptop unlinks the phone.
	list, err := laptop.conn.Devices(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("devices: %+v, %v", list, err)
	}
	if list[0].ID != phone.id || list[0].This || !list[1].This || string(list[1].Label) != "laptop label" {
		t.Errorf("devices: %+v", list)
	}
	if err := laptop.conn.SetLabel(ctx, phone.id, []byte("lost phone")); err != nil {
		t.Fatalf("set label: %v", err)
	}
	if err := laptop.conn.Unlink(ctx, phone.id); err != nil {
		t.Fatalf("unlink: %v", err)
	}
	if _, err := phone.conn.Devices(ctx); syncclient.CodeOf(err) != syncapi.CodeUnauthorized || syncclient.Temporary(err) {
		t.Errorf("the unlinked phone: got %v, want a permanent unauthorized", err)
	}
	if err := laptop.conn.DeleteLearner(ctx); err != nil {
		t.Fatalf("delete learner: %v", err)
	}
	if _, err := laptop.conn.Devices(ctx); syncclient.CodeOf(err) != syncapi.CodeUnauthorized {
		t.Errorf("after deleting the learner: got %v, want unauthorized", err)
	}
}

func TestInviteEnrolment(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "server.db")
	var out, errOut bytes.Buffer
	if rc := invite(ctx, []string{"--db", db, "--uses", "2", "--expires", "1h"}, &out, &errOut); rc != 0 {
		t.Fatalf("invite: exit %d: %s", rc, errOut.String())
	}
	code := strings.TrimSpace(out.String())
	if len(code) != 24 || strings.Count(code, "-") != 4 {
		t.Errorf("invite code %q: want 20 characters in groups of four", code)
	}
	m := start(t, func(m *Main) { m.DB = db; m.OpenEnrolment = false })
	if _, err := dial(t, m, "").Enrol(ctx, "", nil); syncclient.CodeOf(err) != syncapi.CodeInviteRequired {
		t.Errorf("enrol without an invite on a closed server: got %v, want invite_required", err)
	}
	for i := range 2 {
		if _, err := dial(t, m, "").Enrol(ctx, strings.ToLower(strings.ReplaceAll(code, "-", " ")), nil); err != nil {
			t.Fatalf("enrol %d with the invite: %v", i+1, err)
		}
	}
	_, err := dial(t, m, "").Enrol(ctx, code, nil)
	if syncclient.CodeOf(err) != syncapi.CodeInviteInvalid || syncclient.Temporary(err) {
		t.Errorf("a used-up invite: got %v, want a permanent invite_invalid", err)
	}
}

func TestSelfSignedPin(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "server.db")
	m := start(t, func(m *Main) { m.DB = db; m.SelfSigned = true })
	if !strings.HasPrefix(m.URL(), "https://") || !strings.HasPrefix(m.Pin(), "sha256/") {
		t.Fatalf("url %s, pin %s", m.URL(), m.Pin())
	}
	if _, err := dial(t, m, "").Enrol(ctx, "", nil); err != nil {
		t.Fatalf("enrol over TLS with the pin: %v", err)
	}
	wrong, _ := syncclient.Dial(syncclient.Config{URL: m.URL(), Pin: "sha256/" + strings.Repeat("A", 43) + "="})
	_, err := wrong.Enrol(ctx, "", nil)
	if !errors.Is(err, syncclient.ErrPinMismatch) || syncclient.Temporary(err) {
		t.Errorf("a wrong pin: got %v, want a permanent ErrPinMismatch", err)
	}
	nopin, _ := syncclient.Dial(syncclient.Config{URL: m.URL()})
	if _, err := nopin.Enrol(ctx, "", nil); err == nil {
		t.Error("a self-signed certificate was accepted without a pin")
	}
	// The certificate is kept: a restart has the same pin.
	pin := m.Pin()
	m.Close()
	again := start(t, func(m *Main) { m.DB = db; m.SelfSigned = true })
	if again.Pin() != pin {
		t.Errorf("pin after restart: %s, want %s", again.Pin(), pin)
	}
}

func TestParseFlags(t *testing.T) {
	m := NewMain()
	if err := m.ParseFlags(nil, io.Discard); err != nil {
		t.Fatal(err)
	}
	if m.Addr != "127.0.0.1:8080" || m.DB != DefaultDB || m.OpenEnrolment || m.SelfSigned {
		t.Errorf("defaults: %+v", m)
	}
	for _, bad := range [][]string{{"--tls-cert", "c.pem"}, {"--self-signed", "--tls-cert", "c", "--tls-key", "k"}, {"extra"}} {
		if err := NewMain().ParseFlags(bad, io.Discard); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

// proxy is a TCP relay in front of the server that keeps every byte a
// client sent: what the server received.
type proxy struct {
	ln  net.Listener
	mu  sync.Mutex
	got bytes.Buffer
}

func newProxy(t testing.TB, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(c, s)
				buf := make([]byte, 32<<10)
				for {
					n, err := c.Read(buf)
					if n > 0 {
						p.mu.Lock()
						p.got.Write(buf[:n])
						p.mu.Unlock()
						s.Write(buf[:n])
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}

func (p *proxy) received() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.got.Bytes())
}
