package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncserver"
)

func server(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	st, err := sqlite.OpenRelay(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = syncserver.New(st, syncserver.Options{OpenEnrolment: true, Log: slog.New(slog.DiscardHandler), Limits: syncserver.Limits{Quota: 1 << 30}})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	return srv.URL
}

func TestLoadDeliversExactlyOnce(t *testing.T) {
	rep, err := Run(context.Background(), Config{Server: server(t, nil), Learners: 3, Devices: 2, Events: 10, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Syncs != 12 || rep.BytesUp == 0 || rep.BytesDown == 0 || rep.P95ms <= 0 {
		t.Fatalf("report: %+v", rep)
	}
	var out bytes.Buffer
	report(&out, rep, true)
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bytes_up", "bytes_down", "p50_ms", "p95_ms", "lost", "duplicated", "converged"} {
		if _, ok := m[k]; !ok {
			t.Errorf("the JSON report has no %q", k)
		}
	}
}

// TestLoadFindsLoss runs against a server that says it stored pushed
// chunks and did not: the load reports them lost, and fails.
func TestLoadFindsLoss(t *testing.T) {
	liar := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != syncapi.PathSync {
				next.ServeHTTP(w, r)
				return
			}
			body, _ := io.ReadAll(r.Body)
			req, err := syncapi.DecodeSyncRequest(body)
			if err != nil {
				t.Fatal(err)
			}
			pushed := len(req.Push)
			req.Push = nil
			b, _ := req.AppendBinary(nil)
			r.Body = io.NopCloser(bytes.NewReader(b))
			r.ContentLength = int64(len(b))
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			resp, err := syncapi.DecodeSyncResponse(rec.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			resp.Acks = make([]syncapi.ChunkStatus, pushed) // "stored", all of them
			out, _ := resp.AppendBinary(nil)
			w.Write(out)
		})
	}
	rep, err := Run(context.Background(), Config{Server: server(t, liar), Learners: 2, Devices: 2, Events: 5, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || rep.Lost != 20 || rep.Converged {
		t.Fatalf("a server that loses everything: %+v", rep)
	}
}
