package syncclient_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

func dial(t *testing.T, url string, timeout time.Duration) *syncclient.Conn {
	t.Helper()
	c, err := syncclient.Dial(syncclient.Config{URL: url, Token: strings.Repeat("T", 43), Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func idleOK(t *testing.T) []byte {
	b, err := syncapi.SyncResponse{Cursor: []byte{1}}.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestErrorsSayWhetherToRetry: the engine must tell "later" from "never",
// and a timeout or a cut answer is never success.
func TestErrorsSayWhetherToRetry(t *testing.T) {
	release := make(chan struct{})
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		temporary bool
		code      syncapi.Code
		retry     time.Duration
	}{
		{"server failed", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"code":"internal","message":"x"}`, 500)
		}, true, syncapi.CodeInternal, 0},
		{"shutting down", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }, true, "", 0},
		{"rate limited", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
			w.Write([]byte(`{"code":"rate_limited","message":"wait"}`))
		}, true, syncapi.CodeRateLimited, 7 * time.Second},
		{"revoked", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(401)
			w.Write([]byte(`{"code":"unauthorized","message":"no"}`))
		}, false, syncapi.CodeUnauthorized, 0},
		{"malformed", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			w.Write([]byte(`{"code":"bad_request","message":"no"}`))
		}, false, syncapi.CodeBadRequest, 0},
		{"a code from a newer server", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(409)
			w.Write([]byte(`{"code":"something_new","message":"?"}`))
		}, false, "something_new", 0},
		{"hangs", func(w http.ResponseWriter, r *http.Request) {
			<-release
		}, true, "", 0},
		{"cut short", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.Write([]byte{1, 0})
		}, true, "", 0},
		{"wrong number of acks", func(w http.ResponseWriter, r *http.Request) {
			b, _ := syncapi.SyncResponse{Cursor: []byte{1}, Acks: []syncapi.ChunkStatus{0, 0}}.AppendBinary(nil)
			w.Write(b)
		}, true, "", 0},
		{"not a sync body", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>captive portal</html>")) }, true, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			if tc.name == "hangs" {
				defer func() { release <- struct{}{} }()
			}
			c := dial(t, srv.URL, 300*time.Millisecond)
			_, err := c.Sync(context.Background(), syncapi.SyncRequest{Push: []syncapi.Chunk{{From: 1, To: 1, Body: []byte("x")}}})
			if err == nil {
				t.Fatal("no error: counted as success")
			}
			if got := syncclient.Temporary(err); got != tc.temporary {
				t.Errorf("temporary: got %v, want %v (%v)", got, tc.temporary, err)
			}
			if got := syncclient.CodeOf(err); got != tc.code {
				t.Errorf("code: got %q, want %q", got, tc.code)
			}
			if got := syncclient.RetryAfter(err); got != tc.retry {
				t.Errorf("retry after: got %v, want %v", got, tc.retry)
			}
		})
	}
	// Nobody listening.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := dial(t, "http://"+addr, time.Second).Sync(context.Background(), syncapi.SyncRequest{})
	if err == nil || !syncclient.Temporary(err) {
		t.Errorf("no server: got %v, want a temporary error", err)
	}
}

// TestMeterCountsEveryByte: the meter counts request and response lines,
// headers and bodies, and sends no User-Agent or Accept-Encoding.
func TestMeterCountsEveryByte(t *testing.T) {
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header = r.Header.Clone()
		w.Write(idleOK(t))
	}))
	defer srv.Close()
	c := dial(t, srv.URL, time.Second)
	req := syncapi.SyncRequest{Cursor: []byte{1}}
	body, _ := req.AppendBinary(nil)
	if _, err := c.Sync(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if header.Get("User-Agent") != "" || header.Get("Accept-Encoding") != "" {
		t.Errorf("headers sent: %v", header)
	}
	head := len("POST /v1/sync HTTP/1.1\r\nHost: ") + len(strings.TrimPrefix(srv.URL, "http://")) + len("\r\nAuthorization: Bearer ") + 43 + len("\r\nContent-Length: 37\r\n\r\n")
	if got, want := c.Meter().Sent(), int64(head+len(body)); got != want {
		t.Errorf("sent: %d bytes, want %d (request line, headers, body)", got, want)
	}
	if got := c.Meter().Received(); got < int64(len(idleOK(t))+len("HTTP/1.1 200 OK\r\n\r\n")) {
		t.Errorf("received: %d bytes, less than the status line and body", got)
	}
}

func TestDialRefusesBadAddresses(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "https://", "https://host/path", "https://u:p@host", "https://host?q=1", "host:8080"} {
		if _, err := syncclient.Dial(syncclient.Config{URL: u}); err == nil {
			t.Errorf("Dial(%q) accepted", u)
		}
	}
	if _, err := syncclient.Dial(syncclient.Config{URL: "https://host", Pin: "md5/abc"}); err == nil {
		t.Error("a pin that is not sha256/ was accepted")
	}
	if _, err := syncclient.ParsePin("sha256/" + strings.Repeat("A", 43) + "="); err != nil {
		t.Errorf("a good pin: %v", err)
	}
}

func TestPairingCodes(t *testing.T) {
	code := syncclient.NewPairingCode()
	if len(code) != 19 || strings.Count(code, "-") != 3 {
		t.Fatalf("code %q: want XXXX-XXXX-XXXX-XXXX", code)
	}
	lookup, secret, err := syncclient.SplitPairingCode(strings.ToLower(strings.ReplaceAll(code, "-", " ")))
	if err != nil || len(lookup) != syncapi.LookupLen || len(secret) != 10 || lookup+secret != strings.ReplaceAll(code, "-", "") {
		t.Fatalf("split %q: %q %q %v", code, lookup, secret, err)
	}
	for _, bad := range []string{"", "ABCD", code + "A", "ABCD-EFGH-JKMN-PQR!"} {
		if _, _, err := syncclient.SplitPairingCode(bad); !errors.Is(err, syncclient.ErrPairingCode) {
			t.Errorf("split %q: got %v", bad, err)
		}
	}
	// Look-alikes typed for their digits give the same keys.
	a, err := syncclient.DerivePairing("0011-2345-6789-ABCD")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := syncclient.DerivePairing("OoIl 2345 6789 abcd")
	if a != b {
		t.Error("O/o for 0 and I/l for 1 give other keys")
	}
	if a.Verifier != sha256.Sum256(a.Proof[:]) || a.Proof == a.Key || bytes.Equal(a.Verifier[:], a.Key[:]) {
		t.Error("proof, verifier and key are not as documented")
	}
	secretKey := []byte("a learner key, 32 bytes long....")
	blob := a.Seal(secretKey)
	if got, err := b.Open(blob); err != nil || !bytes.Equal(got, secretKey) {
		t.Errorf("open: %q, %v", got, err)
	}
	other, _ := syncclient.DerivePairing("0011-2345-6789-ABCE")
	if _, err := other.Open(blob); !errors.Is(err, syncclient.ErrPairingBlob) {
		t.Errorf("another code opened the blob: %v", err)
	}
	sameSecret, _ := syncclient.DerivePairing("0011-2Z45-6789-ABCD")
	if _, err := sameSecret.Open(blob); err == nil {
		t.Error("a blob opened under another lookup")
	}
	blob[len(blob)-1] ^= 1
	if _, err := a.Open(blob); !errors.Is(err, syncclient.ErrPairingBlob) {
		t.Errorf("a changed blob opened: %v", err)
	}
}
