package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/postgres"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/selfsigned"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// DefaultDB is the database used with no --db: a SQLite file in the
// working directory.
const DefaultDB = "waymark-server.db"

// Main is the server program: NewMain, set fields (or ParseFlags), Run,
// and Close. Tests run the real thing on 127.0.0.1:0.
type Main struct {
	// Addr is the address to listen on.
	Addr string
	// DB is a SQLite file path or a postgres:// URL.
	DB string
	// TLSCert and TLSKey are PEM files; SelfSigned makes (once) and keeps
	// a certificate beside the database instead.
	TLSCert, TLSKey string
	SelfSigned      bool
	// OpenEnrolment lets devices enrol without an invite.
	OpenEnrolment bool
	// TrustProxy takes client addresses from X-Forwarded-For.
	TrustProxy bool
	// Limits are the rate limits and quota.
	Limits syncserver.Limits
	// Now is the clock (time.Now if nil): tests move it.
	Now func() time.Time
	// Log receives the server's lines.
	Log *slog.Logger
	// Timeouts bound a request's headers, its whole reading, the
	// response's writing, and an idle connection (DefaultTimeouts if zero).
	Timeouts Timeouts

	store  relay.Store
	server *syncserver.Server
	http   *http.Server
	ln     net.Listener
	url    string
	pin    string
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Timeouts are the HTTP server's timeouts.
type Timeouts struct {
	Header, Read, Write, Idle time.Duration
}

// DefaultTimeouts: headers in 10 s (a slow client holds nothing for long),
// a whole request in 60 s (2 MiB on a slow link), idle connections 2 min.
var DefaultTimeouts = Timeouts{Header: 10 * time.Second, Read: 60 * time.Second, Write: 60 * time.Second, Idle: 2 * time.Minute}

// NewMain returns a Main with the defaults of a command with no flags.
func NewMain() *Main {
	return &Main{Addr: "127.0.0.1:8080", DB: DefaultDB, Limits: syncserver.DefaultLimits}
}

// Run opens the store, listens and serves in the background. It returns
// once the server accepts connections (or failed to start).
func (m *Main) Run(ctx context.Context) error {
	if m.Now == nil {
		m.Now = time.Now
	}
	if m.Log == nil {
		m.Log = quietLog()
	}
	if m.Timeouts == (Timeouts{}) {
		m.Timeouts = DefaultTimeouts
	}
	store, err := openStore(ctx, m.DB)
	if err != nil {
		return err
	}
	m.store = store
	var tlsConfig *tls.Config
	switch {
	case m.SelfSigned:
		tlsConfig, err = selfsigned.Keep(selfsigned.In(certDir(m.DB), "waymark-server"), "waymark-server")
	case m.TLSCert != "":
		tlsConfig, err = selfsigned.Load(selfsigned.Files{Cert: m.TLSCert, Key: m.TLSKey})
	}
	if err != nil {
		store.Close()
		return err
	}
	if tlsConfig != nil {
		leaf, err := selfsigned.Leaf(tlsConfig)
		if err != nil {
			store.Close()
			return err
		}
		m.pin = selfsigned.Pin(leaf)
	}
	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		store.Close()
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
		scheme = "https"
	}
	m.ln = ln
	m.url = scheme + "://" + ln.Addr().String()
	m.server = syncserver.New(store, syncserver.Options{OpenEnrolment: m.OpenEnrolment, Now: m.Now, Log: m.Log, Limits: m.Limits, TrustProxy: m.TrustProxy})
	m.http = &http.Server{
		Handler:           m.server,
		ReadHeaderTimeout: m.Timeouts.Header,
		ReadTimeout:       m.Timeouts.Read,
		WriteTimeout:      m.Timeouts.Write,
		IdleTimeout:       m.Timeouts.Idle,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          log.New(redactWriter{m.Log}, "", 0),
	}
	bg, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.wg.Add(2)
	go func() {
		defer m.wg.Done()
		if err := m.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("serve", "error", err.Error())
		}
	}()
	go func() { // maintenance: forget idle rate buckets, purge expired offers
		defer m.wg.Done()
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-bg.Done():
				return
			case <-t.C:
				if err := m.server.Maintain(bg); err != nil && bg.Err() == nil {
					m.Log.Error("maintain", "error", err.Error())
				}
			}
		}
	}()
	return nil
}

// URL is the server's base URL, once running.
func (m *Main) URL() string { return m.url }

// Pin is the TLS certificate's pin for devices ("" without TLS).
func (m *Main) Pin() string { return m.pin }

// Store is the server's store, once running.
func (m *Main) Store() relay.Store { return m.store }

// Close stops accepting, lets requests in flight finish (10 s at most),
// and closes the store.
func (m *Main) Close() error {
	if m.http == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := m.http.Shutdown(ctx)
	m.cancel()
	m.wg.Wait()
	m.http = nil
	return errors.Join(err, m.store.Close())
}

// openStore opens the SQLite file or PostgreSQL database that db names.
func openStore(ctx context.Context, db string) (relay.Store, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return postgres.Open(ctx, db)
	}
	return sqlite.OpenRelay(ctx, db)
}

// certDir is where --self-signed keeps its certificate: beside a SQLite
// file, or in the working directory with PostgreSQL.
func certDir(db string) string {
	if strings.Contains(db, "://") {
		return "."
	}
	return filepath.Dir(db)
}

// addrPattern matches network addresses, which net/http's own error lines
// carry ("TLS handshake error from 203.0.113.5:4242").
var addrPattern = regexp.MustCompile(`(\[[0-9a-fA-F:.]+\]|[0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]+)(:[0-9]+)?`)

// redactWriter passes net/http's error lines to the log without client
// addresses.
type redactWriter struct{ log *slog.Logger }

func (w redactWriter) Write(p []byte) (int, error) {
	w.log.Warn("http", "message", addrPattern.ReplaceAllString(strings.TrimSpace(string(p)), "[address]"))
	return len(p), nil
}
