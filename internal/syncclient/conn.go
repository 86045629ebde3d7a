// Package syncclient is the device's side of the sync protocol's
// transport: a Conn that talks to a server over HTTP(S) (enrolment,
// pairing, one sync round trip, devices, deleting the learner), with an
// optional pinned certificate for hubs, timeouts, typed errors that say
// whether to retry, and a meter of every byte on the wire. It holds no
// state of its own beyond the device token: the sync engine decides what
// to push and keeps what is pulled.
package syncclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// Config says how to reach a server.
type Config struct {
	// URL is the server's base URL, https://host[:port] (http:// only for
	// tests and trusted local links).
	URL string
	// Pin, when set, is the server's public key pin as the server prints
	// it: "sha256/" and the base64 of the SHA-256 of its certificate's
	// SubjectPublicKeyInfo. The pin then replaces the check against
	// certificate authorities (a hub's certificate is self-signed).
	Pin string
	// Fingerprint, when set, is a hub's fingerprint from the code a
	// learner typed (room.SplitAppCode): the first 60 bits of its key's
	// SHA-256. Like Pin, it replaces the check against certificate
	// authorities.
	Fingerprint string
	// Token is the device token, once enrolled or paired.
	Token string
	// Timeout bounds each call from dialling to the last byte (30 s if
	// zero). A call that runs out of time is an error, never a success.
	Timeout time.Duration
	// Meter counts the bytes; a new one if nil.
	Meter *Meter
	// Took, if set, is told how long each call took, from sending to the
	// last byte of the answer (a load test's round-trip times).
	Took func(op string, d time.Duration)
}

// Conn is a connection to one server. Its methods are safe for concurrent
// use; idle connections are kept for reuse until Close.
type Conn struct {
	base    *url.URL
	client  *http.Client
	meter   *Meter
	took    func(op string, d time.Duration)
	timeout time.Duration
	mu      sync.Mutex
	token   string
	// offset is how far this device's clock is behind the server's, from
	// the last Date header seen (sync answers carry none, to save bytes).
	offset   time.Duration
	haveDate bool
}

// Dial checks cfg and returns a Conn. It sends nothing: the first call
// opens the first connection.
func Dial(cfg Config) (*Conn, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("dial: %q is not a server address (https://host:port)", cfg.URL)
	}
	u.Path = ""
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Meter == nil {
		cfg.Meter = &Meter{}
	}
	tlsConfig := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ClientSessionCache: tls.NewLRUClientSessionCache(4), // resumed handshakes send no certificate
		// X25519 alone: Go's default post-quantum hybrid key share costs
		// about 2.3 KB more per new connection (BENCHMARKS.md), a lot on a
		// prepaid bundle, while what it would protect from a future quantum
		// computer is only metadata and revocable tokens: the events are
		// sealed end to end under a symmetric key.
		CurvePreferences: []tls.CurveID{tls.X25519},
	}
	if cfg.Pin != "" || cfg.Fingerprint != "" {
		var match func([32]byte) bool
		if cfg.Pin != "" {
			want, err := ParsePin(cfg.Pin)
			if err != nil {
				return nil, fmt.Errorf("dial: %w", err)
			}
			match = func(got [32]byte) bool { return subtle.ConstantTimeCompare(got[:], want[:]) == 1 }
		} else {
			match = func(got [32]byte) bool { return room.FingerprintMatches(got, cfg.Fingerprint) }
		}
		// The pin is the check: the chain is not verified against CAs, the
		// leaf's key must hash to the pin (on resumed sessions too).
		tlsConfig.InsecureSkipVerify = true
		tlsConfig.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the server sent no certificate")
			}
			if !match(sha256.Sum256(cs.PeerCertificates[0].RawSubjectPublicKeyInfo)) {
				return ErrPinMismatch
			}
			return nil
		}
	}
	dialer := &net.Dialer{Timeout: min(cfg.Timeout, 15*time.Second), KeepAlive: 30 * time.Second}
	meter := cfg.Meter
	tr := &http.Transport{
		Proxy: nil, // never through a proxy from the environment
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &meteredConn{Conn: c, m: meter}, nil
		},
		TLSClientConfig:        tlsConfig,
		TLSHandshakeTimeout:    min(cfg.Timeout, 15*time.Second),
		ResponseHeaderTimeout:  cfg.Timeout,
		DisableCompression:     true, // no Accept-Encoding: bodies are sealed
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 16 << 10,
	}
	return &Conn{base: u, client: &http.Client{Transport: tr, Timeout: cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		meter: meter, took: cfg.Took, timeout: cfg.Timeout, token: cfg.Token}, nil
}

// Close closes idle connections.
func (c *Conn) Close() { c.client.CloseIdleConnections() }

// Token returns the device token (empty before enrolment).
func (c *Conn) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// SetToken sets the device token.
func (c *Conn) SetToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = tok
}

// Meter returns the Conn's byte meter.
func (c *Conn) Meter() *Meter { return c.meter }

// ErrPinMismatch means the server's key is not the pinned one: someone
// may be in the middle, or the hub made a new certificate.
var ErrPinMismatch = errors.New("the server's certificate does not match the pin")

// ParsePin decodes "sha256/<base64>" (standard or URL alphabet, padded or
// not) into the 32-byte hash.
func ParsePin(pin string) ([32]byte, error) {
	var out [32]byte
	rest, ok := strings.CutPrefix(pin, "sha256/")
	if !ok {
		return out, fmt.Errorf("pin %q: want sha256/<base64>", pin)
	}
	rest = strings.TrimRight(rest, "=")
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(rest)
	}
	if err != nil || len(b) != len(out) {
		return out, fmt.Errorf("pin %q: want sha256/<base64 of 32 bytes>", pin)
	}
	copy(out[:], b)
	return out, nil
}

// Meter counts bytes on the wire, both ways: TCP payload, so HTTP
// headers, bodies and TLS records (handshakes included) all count.
type Meter struct {
	sent, received atomic.Int64
}

// Sent returns the bytes written to the network so far.
func (m *Meter) Sent() int64 { return m.sent.Load() }

// Received returns the bytes read from the network so far.
func (m *Meter) Received() int64 { return m.received.Load() }

// Total returns both directions together.
func (m *Meter) Total() int64 { return m.Sent() + m.Received() }

type meteredConn struct {
	net.Conn
	m *Meter
}

func (c *meteredConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.m.received.Add(int64(n))
	return n, err
}

func (c *meteredConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.m.sent.Add(int64(n))
	return n, err
}

// Error is a failed call. Temporary says whether to try again later (the
// network, a timeout, the server's failure or a rate limit) or not (the
// request itself is refused: retrying it unchanged would fail again).
type Error struct {
	// Op is the call: "enrol", "sync", ...
	Op string
	// Status is the HTTP status; 0 when no answer came.
	Status int
	// Code and Message are the server's, when it sent an error body.
	Code    syncapi.Code
	Message string
	// RetryAfter is the server's Retry-After, if any.
	RetryAfter time.Duration
	// Err is the underlying error when no answer came.
	Err error
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("%s: %v", e.Op, e.Err)
	case e.Code != "":
		return fmt.Sprintf("%s: %d %s: %s", e.Op, e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("%s: HTTP %d", e.Op, e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether the same call may succeed later.
func (e *Error) Temporary() bool {
	switch {
	case errors.Is(e.Err, ErrPinMismatch):
		return false
	case e.Err != nil:
		// No usable answer: the network failed, the time ran out, or what
		// came was cut short or not the protocol (a captive portal).
		return true
	case e.Status == http.StatusTooManyRequests, e.Status == http.StatusRequestTimeout, e.Status >= 500:
		return true
	}
	return false
}

// Temporary reports whether err is an Error that may go away by itself.
func Temporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary()
}

// CodeOf returns the server's error code in err, or "".
func CodeOf(err error) syncapi.Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// RetryAfter returns how long the server asked to wait, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// call makes one request and returns the body of a 2xx answer.
func (c *Conn) call(ctx context.Context, op, method, path string, body []byte, contentType string, auth bool) ([]byte, error) {
	return c.request(ctx, op, method, path, body, contentType, "", auth)
}

// callEncoded makes one authenticated request with a body in encoding
// (Content-Encoding).
func (c *Conn) callEncoded(ctx context.Context, op, method, path string, body []byte, contentType, encoding string) ([]byte, error) {
	return c.request(ctx, op, method, path, body, contentType, encoding, true)
}

// jsonBody encodes a request's JSON body.
func jsonBody(v any) ([]byte, error) { return json.Marshal(v) }

func (c *Conn) request(ctx context.Context, op, method, path string, body []byte, contentType, encoding string, auth bool) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return nil, &Error{Op: op, Err: err}
	}
	req.Header["User-Agent"] = []string{""} // none: bytes, and nothing to fingerprint
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	if auth {
		tok := c.Token()
		if tok == "" {
			return nil, &Error{Op: op, Status: http.StatusUnauthorized, Code: syncapi.CodeUnauthorized, Message: "no device token: enrol or pair first"}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	sent := time.Now()
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, &Error{Op: op, Err: err}
	}
	defer resp.Body.Close()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		// The server's second, against the middle of the round trip.
		local := sent.Add(time.Since(sent) / 2)
		c.mu.Lock()
		c.offset, c.haveDate = d.Add(500*time.Millisecond).Sub(local), true
		c.mu.Unlock()
	}
	limit := int64(syncapi.MaxSyncBody)
	out, err := syncapi.ReadBody(io.LimitReader(resp.Body, limit+1), resp.Header.Get("Content-Encoding"), limit)
	if c.took != nil {
		c.took(op, time.Since(sent))
	}
	if err != nil {
		// A body cut short or refused is never success.
		return nil, &Error{Op: op, Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode/100 == 2 {
		return out, nil
	}
	e := &Error{Op: op, Status: resp.StatusCode}
	var body2 syncapi.Error
	if json.Unmarshal(out, &body2) == nil {
		e.Code, e.Message = body2.Code, body2.Message
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return nil, e
}

func (c *Conn) callJSON(ctx context.Context, op, method, path string, in, out any, auth bool) error {
	var body []byte
	ct := ""
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return &Error{Op: op, Err: err}
		}
		ct = syncapi.ContentJSON
	}
	resp, err := c.call(ctx, op, method, path, body, ct, auth)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(resp, out); err != nil {
			return &Error{Op: op, Status: http.StatusOK, Err: fmt.Errorf("the server's answer does not decode: %w", err)}
		}
	}
	return nil
}

// ClockOffset returns how far this device's clock is behind the server's
// (negative: ahead), to within a second, from the last answer that said
// the time; ok is false before any did.
func (c *Conn) ClockOffset() (offset time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset, c.haveDate
}

// Health asks the server whether it is up.
func (c *Conn) Health(ctx context.Context) error {
	_, err := c.call(ctx, "health", http.MethodGet, syncapi.PathHealth, nil, "", false)
	return err
}

// Enrol enrols a new learner with its first device (this one). invite is
// an organisation's invite code, or "" on a server with open enrolment;
// label is the device's sealed label. On success the Conn uses the new
// token, which the caller must keep.
func (c *Conn) Enrol(ctx context.Context, invite string, label []byte) (syncapi.Enrolled, error) {
	var out syncapi.Enrolled
	if err := c.callJSON(ctx, "enrol", http.MethodPost, syncapi.PathEnrol, syncapi.EnrolRequest{Invite: invite, Label: label}, &out, false); err != nil {
		return syncapi.Enrolled{}, err
	}
	c.SetToken(out.Token)
	return out, nil
}

// Sync makes one round trip: it pushes req.Push and pulls what the
// learner's other streams pushed after req.Cursor. The answer has one
// status per pushed chunk; only acknowledged ones are on the server. A
// Sync that fails acknowledged nothing the caller may count on: push the
// same chunks again (the server ignores what it has).
func (c *Conn) Sync(ctx context.Context, req syncapi.SyncRequest) (syncapi.SyncResponse, error) {
	body, err := req.AppendBinary(nil)
	if err != nil {
		return syncapi.SyncResponse{}, &Error{Op: "sync", Status: http.StatusRequestEntityTooLarge, Code: syncapi.CodeTooLarge, Message: err.Error()}
	}
	if len(body) > syncapi.MaxSyncBody {
		return syncapi.SyncResponse{}, &Error{Op: "sync", Status: http.StatusRequestEntityTooLarge, Code: syncapi.CodeTooLarge, Message: "the request is over the sync body limit: push fewer chunks"}
	}
	out, err := c.call(ctx, "sync", http.MethodPost, syncapi.PathSync, body, "", true)
	if err != nil {
		return syncapi.SyncResponse{}, err
	}
	resp, err := syncapi.DecodeSyncResponse(out)
	if err == nil && len(resp.Acks) != len(req.Push) {
		err = fmt.Errorf("%d statuses for %d chunks", len(resp.Acks), len(req.Push))
	}
	if err != nil {
		// Not an answer to this request: nothing is acknowledged.
		return syncapi.SyncResponse{}, &Error{Op: "sync", Status: http.StatusOK, Err: fmt.Errorf("the server's answer does not decode: %w", err)}
	}
	return resp, nil
}

// Devices lists the learner's devices.
func (c *Conn) Devices(ctx context.Context) ([]syncapi.Device, error) {
	var out syncapi.Devices
	if err := c.callJSON(ctx, "devices", http.MethodGet, syncapi.PathDevices, nil, &out, true); err != nil {
		return nil, err
	}
	return out.Devices, nil
}

// SetLabel sets the sealed label of one of the learner's devices.
func (c *Conn) SetLabel(ctx context.Context, device string, label []byte) error {
	return c.callJSON(ctx, "label", http.MethodPut, syncapi.PathDevices+"/"+url.PathEscape(device), syncapi.LabelRequest{Label: label}, nil, true)
}

// Unlink revokes one of the learner's devices (this one too, to leave).
func (c *Conn) Unlink(ctx context.Context, device string) error {
	return c.callJSON(ctx, "unlink", http.MethodDelete, syncapi.PathDevices+"/"+url.PathEscape(device), nil, nil, true)
}

// DeleteLearner deletes everything the server holds of the learner:
// chunks, devices (this one's token stops working) and pairing offers.
func (c *Conn) DeleteLearner(ctx context.Context) error {
	return c.callJSON(ctx, "delete learner", http.MethodDelete, syncapi.PathLearner, nil, nil, true)
}

// CreateCourier makes a courier of this device on the server, replacing
// its earlier one: a token that may only push this learner's chunks. The
// device hands it to a hub it syncs with in a room with no internet, so
// that the hub can pass its chunks on later without being able to read
// or pull anything (docs/sync-protocol.md, "Hubs").
func (c *Conn) CreateCourier(ctx context.Context) (syncapi.Enrolled, error) {
	var out syncapi.Enrolled
	err := c.callJSON(ctx, "create courier", http.MethodPost, syncapi.PathCouriers, struct{}{}, &out, true)
	return out, err
}
