// Package hub is the trainer's laptop as a hub, for a room with no
// internet: on the local network (a phone's hotspot or the hall's
// router) it serves the sync server to learners' apps over TLS, trusted
// by a fingerprint in the code they type; a live session (internal/room)
// to those apps and, over plain HTTP, to any phone's browser through the
// join page; and later, when the laptop reaches the internet, it passes
// each learner's chunks on to their own server with the courier their
// device handed it, under the chunks' own ids and still sealed, and
// forgets them (docs/sync-protocol.md, "Hubs").
//
// It reads nothing of any learner's: chunks are sealed under keys only
// the learners' devices hold. It composes the sync server
// (internal/syncserver) and client (internal/syncclient) over a store it
// is given (internal/sqlite's Relay, in the app).
package hub

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/roomserver"
	"github.com/waymark-app/waymark/internal/selfsigned"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// Store is what a hub keeps: the sync server's store, and where each
// learner's chunks go on to (internal/sqlite's Relay).
type Store interface {
	relay.Store
	// SetUpstream keeps where a learner's chunks are passed on.
	SetUpstream(ctx context.Context, u relay.Upstream) error
	// Upstreams lists them.
	Upstreams(ctx context.Context) ([]relay.Upstream, error)
	// Learners lists the learners held, with how many chunks each has.
	Learners(ctx context.Context) (map[relay.ID]int, error)
	// DeleteChunks deletes chunks once they are passed on.
	DeleteChunks(ctx context.Context, learner relay.ID, chunks []relay.Chunk) error
}

// Options make a Hub.
type Options struct {
	// Store is the hub's store; the hub closes it.
	Store Store
	// Dir is where the hub keeps its certificate.
	Dir string
	// AppAddr and PageAddr are where it listens for apps (TLS) and for
	// browsers (plain HTTP): ":8443" and ":8080" if empty, or any free
	// port where those are taken.
	AppAddr, PageAddr string
	// Facts, Words and Languages are for the join page
	// (roomserver.Options).
	Facts     map[string]learn.Fact
	Words     roomserver.Words
	Languages []roomserver.Language
	// Roster says who attends (room.NoRoster if nil).
	Roster room.Roster
	// Key, if set, seals the couriers' tokens in the store, so that a copy
	// of the hub's files can push nothing anywhere without it.
	Key *lockbox.Key
	// Limits are the sync server's (syncserver.DefaultLimits if zero);
	// JoinRate and RequestRate the room's (roomserver.Options).
	Limits                syncserver.Limits
	JoinRate, RequestRate int
	// Poll is how long a follower's wait is held open (20 s if zero).
	Poll time.Duration
	Now  func() time.Time
	Log  *slog.Logger
}

// Hub is a trainer's hub. Open it, Listen while in the room, Begin and
// End sessions, Forward when online, Close.
type Hub struct {
	opt   Options
	store Store
	tls   *tls.Config
	pin   string
	hash  [32]byte
	sync  *syncserver.Server
	rooms *roomserver.Server

	mu      sync.Mutex
	servers []*http.Server
	app     net.Addr
	page    net.Addr
	session *room.Room
	code    string // the session's app code, normalised
	stop    context.CancelFunc
	wg      sync.WaitGroup
	fwd     sync.Mutex // one Forward at a time
}

// Open opens a hub: its store and certificate (made once and kept, so
// that the code a trainer prints stays good). Nothing listens yet.
func Open(opt Options) (*Hub, error) {
	if opt.Store == nil {
		return nil, errors.New("hub: no store")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Roster == nil {
		opt.Roster = room.NoRoster{}
	}
	if opt.AppAddr == "" {
		opt.AppAddr = ":" + strconv.Itoa(room.AppPort)
	}
	if opt.PageAddr == "" {
		opt.PageAddr = ":" + strconv.Itoa(room.PagePort)
	}
	cfg, err := selfsigned.Keep(selfsigned.In(opt.Dir, "hub"), "waymark-hub")
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	leaf, err := selfsigned.Leaf(cfg)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	h := &Hub{opt: opt, store: opt.Store, tls: cfg, pin: selfsigned.Pin(leaf), hash: selfsigned.Hash(leaf)}
	h.sync = syncserver.New(opt.Store, syncserver.Options{Now: opt.Now, Log: opt.Log, Limits: opt.Limits})
	h.rooms = roomserver.New(roomserver.Options{Facts: opt.Facts, Words: opt.Words, Languages: opt.Languages,
		Poll: opt.Poll, JoinRate: opt.JoinRate, RequestRate: opt.RequestRate, Now: opt.Now, Log: opt.Log})
	return h, nil
}

// Pin is the hub's certificate pin (sha256/...), for a QR code.
func (h *Hub) Pin() string { return h.pin }

// Rooms is the room server (the join page's bytes are measured on it).
func (h *Hub) Rooms() *roomserver.Server { return h.rooms }

// Listen starts serving on the local network: apps at the app address
// over TLS (sync, the room, couriers), browsers at the page address over
// plain HTTP (the join page and the room; never sync, whose tokens must
// not cross the Wi-Fi in the clear). Listening twice does nothing.
func (h *Hub) Listen() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.servers != nil {
		return nil
	}
	appLn, err := listen(h.opt.AppAddr)
	if err != nil {
		return err
	}
	pageLn, err := listen(h.opt.PageAddr)
	if err != nil {
		appLn.Close()
		return err
	}
	h.app, h.page = appLn.Addr(), pageLn.Addr()
	appMux := http.NewServeMux()
	appMux.HandleFunc("PUT "+syncapi.PathHubCourier, h.handleCourier)
	appMux.Handle("/v1/", h.sync)
	appMux.Handle(syncapi.PathHealth, h.sync)
	appMux.Handle("/", h.rooms)
	pageMux := http.NewServeMux()
	pageMux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Sync is served over TLS only.", http.StatusNotFound)
	})
	pageMux.Handle("/", h.rooms)
	errLog := log.New(discard{h.opt.Log}, "", 0)
	for _, s := range []struct {
		ln net.Listener
		h  http.Handler
	}{{tls.NewListener(appLn, h.tls), appMux}, {pageLn, pageMux}} {
		srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
			WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10, ErrorLog: errLog}
		h.servers = append(h.servers, srv)
		h.wg.Add(1)
		go func(ln net.Listener) {
			defer h.wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				h.opt.Log.Error("hub serve", "error", err.Error())
			}
		}(s.ln)
	}
	bg, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	h.wg.Add(1)
	go func() { // forget idle rate buckets, purge expired offers
		defer h.wg.Done()
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-bg.Done():
				return
			case <-t.C:
				h.rooms.Sweep()
				if err := h.sync.Maintain(bg); err != nil && bg.Err() == nil {
					h.opt.Log.Error("hub maintain", "error", err.Error())
				}
			}
		}
	}()
	return nil
}

// listen listens at addr, or at any free port of its host when addr's
// port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, _, _ := net.SplitHostPort(addr)
	ln, err2 := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err2 != nil {
		return nil, fmt.Errorf("hub: listen %s: %w", addr, err)
	}
	return ln, nil
}

// discard passes net/http's own error lines (which name addresses) to the
// log without them.
type discard struct{ log *slog.Logger }

func (d discard) Write(p []byte) (int, error) {
	d.log.Warn("hub http", "message", "a connection failed")
	return len(p), nil
}

// Stop stops listening; followers' waits are answered at once. The store
// stays open (Forward still works).
func (h *Hub) Stop() {
	h.mu.Lock()
	servers, cancel := h.servers, h.stop
	h.servers, h.stop = nil, nil
	h.mu.Unlock()
	if servers == nil {
		return
	}
	cancel()
	h.rooms.Close()
	ctx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	for _, s := range servers {
		s.Shutdown(ctx)
	}
	h.wg.Wait()
}

// Close stops listening, closes the store and clears the key.
func (h *Hub) Close() error {
	h.Stop()
	err := h.store.Close()
	if h.opt.Key != nil {
		// The key leaves memory with the hub (a copy of trainer mode's).
		clear(h.opt.Key[:])
	}
	return err
}

// Reach returns how devices reach the hub now.
func (h *Hub) Reach() room.Reach {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := room.Reach{Pin: h.pin, Hosts: hosts()}
	if h.app != nil {
		r.AppPort = h.app.(*net.TCPAddr).Port
		r.PagePort = h.page.(*net.TCPAddr).Port
		if ip := h.app.(*net.TCPAddr).IP; !ip.IsUnspecified() {
			r.Hosts = []string{ip.String()}
		}
	}
	if h.session != nil {
		r.RoomCode = h.session.Code()
		r.AppCode = room.AppCode(r.RoomCode, h.hash)
	}
	return r
}

// hosts lists the machine's IPv4 addresses on local networks, the ones a
// hotspot or a hall's router gives first; loopback only if there is
// nothing else.
func hosts() []string {
	addrs, _ := net.InterfaceAddrs()
	type cand struct {
		ip   string
		rank int
	}
	var cs []cand
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip := n.IP.To4()
		if ip == nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
			continue
		}
		rank := 3
		switch {
		case ip[0] == 192 && ip[1] == 168:
			rank = 0
		case ip[0] == 10:
			rank = 1
		case ip[0] == 172 && ip[1]&0xf0 == 16:
			rank = 2
		}
		cs = append(cs, cand{ip.String(), rank})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.rank - b.rank })
	var out []string
	for _, c := range cs {
		out = append(out, c.ip)
	}
	if len(out) == 0 {
		out = []string{"127.0.0.1"}
	}
	return out
}

// Begin starts a live session on lesson, with a new room code, ending
// the one running. The lesson should be a copy of its own, with its
// texts in every language, as the join page reads them from other
// goroutines.
func (h *Hub) Begin(ctx context.Context, lesson *learn.Lesson) (*room.Room, error) {
	h.End()
	code := room.NewRoomCode()
	r := room.New(room.Options{Lesson: lesson, Code: code, Roster: h.opt.Roster, Now: h.opt.Now})
	appCode := room.Normalise(room.AppCode(code, h.hash))
	// The app code is also the sync server's invite for the session:
	// only a device in the room enrols with the hub.
	now := h.opt.Now()
	if err := h.store.CreateInvite(ctx, relay.Invite{Hash: relay.HashOf(appCode), Uses: room.MaxFollowers,
		Expires: now.Add(12 * time.Hour), Created: now}); err != nil {
		return nil, fmt.Errorf("begin session: %w", err)
	}
	h.mu.Lock()
	h.session, h.code = r, appCode
	h.mu.Unlock()
	h.rooms.SetRoom(r)
	return r, nil
}

// Session returns the session running, or nil.
func (h *Hub) Session() *room.Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.session
}

// End ends the session running, if any, and returns its summary. The
// room stays set, ended, so that followers are told it ended.
func (h *Hub) End() (room.Summary, bool) {
	h.mu.Lock()
	r := h.session
	h.mu.Unlock()
	if r == nil {
		return room.Summary{}, false
	}
	return r.End(), true
}

// handleCourier keeps the courier a learner's device hands over: PUT
// /v1/hub/courier, with the device's hub token.
func (h *Hub) handleCourier(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code syncapi.Code, msg string) {
		w.Header().Set("Content-Type", syncapi.ContentJSON)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code":%q,"message":%q}`, code, msg)
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || len(tok) != 43 {
		fail(http.StatusUnauthorized, syncapi.CodeUnauthorized, "The device token is missing, wrong or revoked.")
		return
	}
	d, err := h.store.Authenticate(r.Context(), relay.HashOf(tok), h.opt.Now())
	if err != nil {
		fail(http.StatusUnauthorized, syncapi.CodeUnauthorized, "The device token is missing, wrong or revoked.")
		return
	}
	body, err := syncapi.ReadBody(http.MaxBytesReader(w, r.Body, syncapi.MaxJSONBody), r.Header.Get("Content-Encoding"), syncapi.MaxJSONBody)
	var c syncapi.HubCourier
	if err != nil || jsonUnmarshal(body, &c) != nil || len(c.Token) != 43 || len(c.Server) > 512 || len(c.Pin) > 128 {
		fail(http.StatusBadRequest, syncapi.CodeBadRequest, "A courier needs a server and a 43-character token.")
		return
	}
	if err := checkUpstream(c.Server); err != nil {
		fail(http.StatusBadRequest, syncapi.CodeBadRequest, "The server must be an https:// address.")
		return
	}
	u := relay.Upstream{Learner: d.Learner, Server: c.Server, Pin: c.Pin, Token: h.sealToken(d.Learner, c.Token), Created: h.opt.Now()}
	if err := h.store.SetUpstream(r.Context(), u); err != nil {
		fail(http.StatusInternalServerError, syncapi.CodeInternal, "The hub failed. Try again later.")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
