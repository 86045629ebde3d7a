package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/postgres/pgtest"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
	"github.com/waymark-app/waymark/internal/syncserver"
)

// rawCall sends a request as an attacker would, byte for byte, and returns
// the status and the error body's code.
func rawCall(t testing.TB, m *Main, method, path, token string, body []byte, header map[string]string) (int, syncapi.Code) {
	t.Helper()
	req, err := http.NewRequest(method, m.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var e syncapi.Error
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode >= 400 && e.Code == "" {
		t.Errorf("%s %s: %d without an error code", method, path, resp.StatusCode)
	}
	if resp.StatusCode >= 400 && e.Message == "" {
		t.Errorf("%s %s: %d without a sentence", method, path, resp.StatusCode)
	}
	return resp.StatusCode, e.Code
}

func idleBody(t testing.TB, self syncapi.Stream, cursor []byte) []byte {
	b, err := syncapi.SyncRequest{Self: self, Cursor: cursor}.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// storedChunks is every chunk the store holds for the device's learner.
func storedChunks(t testing.TB, m *Main, d *device) []relay.Chunk {
	t.Helper()
	l, err := m.Store().Authenticate(context.Background(), relay.HashOf(d.conn.Token()), time.Now())
	if err != nil {
		t.Fatalf("authenticate %s: %v", d.id, err)
	}
	p, err := m.Store().Pull(context.Background(), relay.Query{Learner: l.Learner, MaxCount: 1000, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	return p.Chunks
}

// TestAttackTokens: a missing, malformed, wrong or revoked token gets 401
// on every call that needs one, and changes nothing.
func TestAttackTokens(t *testing.T) {
	ctx := context.Background()
	m := start(t, nil)
	victim := enrol(t, m)
	victim.sync(t, victim.seal(1, "victim's progress"))
	gone := enrol(t, m)
	goneTok := gone.conn.Token()
	if err := gone.conn.Unlink(ctx, gone.id); err != nil {
		t.Fatal(err)
	}
	deleted := enrol(t, m)
	delTok := deleted.conn.Token()
	if err := deleted.conn.DeleteLearner(ctx); err != nil {
		t.Fatal(err)
	}
	hash := relay.HashOf(victim.conn.Token())
	tokens := map[string]string{
		"missing":              "",
		"empty bearer":         "Bearer ",
		"basic scheme":         "Basic " + victim.conn.Token(),
		"lower-case scheme":    "bearer " + victim.conn.Token(),
		"wrong":                "Bearer " + strings.Repeat("A", 43),
		"one character off":    "Bearer " + victim.conn.Token()[:42] + "x",
		"too long":             "Bearer " + victim.conn.Token() + "A",
		"the stored hash":      "Bearer " + base64.RawURLEncoding.EncodeToString(hash[:]),
		"revoked (unlinked)":   "Bearer " + goneTok,
		"of a deleted learner": "Bearer " + delTok,
	}
	calls := []struct {
		method, path string
		body         []byte
	}{
		{"POST", syncapi.PathSync, idleBody(t, newStream(), nil)},
		{"GET", syncapi.PathDevices, nil},
		{"PUT", syncapi.PathDevices + "/" + victim.id, []byte(`{"label":"eA=="}`)},
		{"DELETE", syncapi.PathDevices + "/" + victim.id, nil},
		{"POST", syncapi.PathPairings, []byte(`{"lookup":"ABCDEF","verifier":"` + base64.StdEncoding.EncodeToString(make([]byte, 32)) + `","blob":"eA=="}`)},
		{"DELETE", syncapi.PathLearner, nil},
	}
	for name, tok := range tokens {
		for _, c := range calls {
			status, code := rawCall(t, m, c.method, c.path, tok, c.body, nil)
			if status != http.StatusUnauthorized || code != syncapi.CodeUnauthorized {
				t.Errorf("%s token, %s %s: got %d %s, want 401 unauthorized", name, c.method, c.path, status, code)
			}
		}
	}
	// The victim is untouched.
	if list, err := victim.conn.Devices(ctx); err != nil || len(list) != 1 || string(list[0].Label) != "sealed label" {
		t.Errorf("the victim after the attempts: %+v, %v", list, err)
	}
	if got := storedChunks(t, m, victim); len(got) != 1 {
		t.Errorf("the victim's chunks: %d, want 1", len(got))
	}
}

// TestAttackOtherLearner: a learner's device never gets another learner's
// data, whatever cursor, stream or device id it forges, and cannot change
// or delete the other's devices.
func TestAttackOtherLearner(t *testing.T) {
	ctx := context.Background()
	m := start(t, nil)
	victim := enrol(t, m)
	var victimBodies [][]byte
	for range 5 {
		c := victim.seal(2, "victim's secret progress")
		victimBodies = append(victimBodies, c.Body)
		victim.sync(t, c)
	}
	attacker := enrol(t, m)
	attacker.sync(t, attacker.seal(1, "attacker's own"))
	cursors := [][]byte{nil, {0}, {1}, {2}, {3}, {5}, {0x7f}, binary.AppendUvarint(nil, 1<<40)}
	streams := []syncapi.Stream{newStream(), victim.self, {}, {Device: victim.self.Device}}
	for _, cur := range cursors {
		for _, st := range streams {
			resp, err := attacker.conn.Sync(ctx, syncapi.SyncRequest{Self: st, Cursor: cur})
			if err != nil {
				continue // a cursor the server refuses is fine
			}
			for _, c := range resp.Pull {
				for _, vb := range victimBodies {
					if bytes.Equal(c.Body, vb) {
						t.Fatalf("cursor %x, stream %v: the attacker got the victim's chunk", cur, st)
					}
				}
			}
		}
	}
	// Pushing under the victim's stream and ranges lands in the
	// attacker's own log, and the victim's stays as it was.
	forged := syncapi.Chunk{Stream: victim.self, From: 1, To: 2, Body: []byte("forged")}
	resp, err := attacker.conn.Sync(ctx, syncapi.SyncRequest{Self: newStream(), Push: []syncapi.Chunk{forged}})
	if err != nil || resp.Acks[0] != syncapi.StatusStored {
		t.Fatalf("forged push: %v, %v", resp, err)
	}
	got := storedChunks(t, m, victim)
	if len(got) != 5 || !bytes.Equal(got[0].Body, victimBodies[0]) {
		t.Errorf("the victim's log after the forged push: %d chunks", len(got))
	}
	// The victim's device, by its real id.
	if list, _ := attacker.conn.Devices(ctx); len(list) != 1 || list[0].ID != attacker.id {
		t.Errorf("the attacker lists %+v, want only its own device", list)
	}
	for _, call := range []func() error{
		func() error { return attacker.conn.SetLabel(ctx, victim.id, []byte("pwned")) },
		func() error { return attacker.conn.Unlink(ctx, victim.id) },
		func() error { return attacker.conn.Unlink(ctx, "not-an-id") },
	} {
		if err := call(); syncclient.CodeOf(err) != syncapi.CodeNotFound {
			t.Errorf("changing the victim's device: got %v, want not_found", err)
		}
	}
	if err := attacker.conn.DeleteLearner(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := victim.conn.Devices(ctx)
	if err != nil || len(list) != 1 || string(list[0].Label) != "sealed label" {
		t.Errorf("the victim after the attack: %+v, %v", list, err)
	}
	if got := storedChunks(t, m, victim); len(got) != 5 {
		t.Errorf("the victim's chunks after the attacker deleted itself: %d, want 5", len(got))
	}
}

func zstdBytes(b []byte) []byte {
	enc, _ := zstd.NewWriter(nil)
	return enc.EncodeAll(b, nil)
}

// TestAttackBadBodies: oversized, malformed, truncated and wrongly
// compressed bodies get a 4xx with a code, and nothing is stored.
func TestAttackBadBodies(t *testing.T) {
	m := start(t, nil)
	d := enrol(t, m)
	tok := "Bearer " + d.conn.Token()
	good, _ := syncapi.SyncRequest{Self: d.self, Push: []syncapi.Chunk{d.seal(3, "x")}}.AppendBinary(nil)
	huge := append(bytes.Clone(good[:34]), 0, 1, 0, 1, 0) // no pull cap, one chunk, own stream, 1-1
	huge = binary.AppendUvarint(huge, syncapi.MaxChunkBody+1)
	huge = append(huge, make([]byte, syncapi.MaxChunkBody+1)...)
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	for range 64 {
		zw.Write(make([]byte, 1<<20))
	}
	zw.Close()
	tests := []struct {
		name   string
		body   []byte
		header map[string]string
		status int
		code   syncapi.Code
	}{
		{"over the size limit", make([]byte, syncapi.MaxSyncBody+1), nil, 413, syncapi.CodeTooLarge},
		{"a chunk over its limit", huge, nil, 413, syncapi.CodeTooLarge},
		{"garbage", []byte("\x01GET / HTTP/1.1 hello"), nil, 400, syncapi.CodeBadRequest},
		{"not a sync body", []byte("GET / HTTP/1.1 hello"), nil, 400, syncapi.CodeUnsupportedVersion},
		{"empty", nil, nil, 400, syncapi.CodeBadRequest},
		{"another version", append([]byte{9}, good[1:]...), nil, 400, syncapi.CodeUnsupportedVersion},
		{"truncated", good[:len(good)-3], nil, 400, syncapi.CodeBadRequest},
		{"a byte too many", append(bytes.Clone(good), 0), nil, 400, syncapi.CodeBadRequest},
		{"plain but labelled gzip", good, map[string]string{"Content-Encoding": "gzip"}, 400, syncapi.CodeBadEncoding},
		{"truncated gzip", syncapi.Gzip(good)[:20], map[string]string{"Content-Encoding": "gzip"}, 400, syncapi.CodeBadEncoding},
		{"an encoding the server does not take", zstdBytes(good), map[string]string{"Content-Encoding": "zstd"}, 415, syncapi.CodeUnsupportedEncoding},
		{"an unknown encoding", good, map[string]string{"Content-Encoding": "br"}, 415, syncapi.CodeUnsupportedEncoding},
		{"a gzip bomb (64 MiB)", bomb.Bytes(), map[string]string{"Content-Encoding": "gzip"}, 413, syncapi.CodeTooLarge},
		{"a cursor the server did not make", append(append(bytes.Clone(good[:33]), 3, 0xff, 0xff, 0xff), good[34:]...), nil, 400, syncapi.CodeBadRequest},
	}
	for _, tc := range tests {
		status, code := rawCall(t, m, "POST", syncapi.PathSync, tok, tc.body, tc.header)
		if status != tc.status || code != tc.code {
			t.Errorf("%s: got %d %s, want %d %s", tc.name, status, code, tc.status, tc.code)
		}
	}
	if got := storedChunks(t, m, d); len(got) != 0 {
		t.Fatalf("bad bodies stored %d chunks", len(got))
	}
	// The same, compressed right, is taken.
	if status, _ := rawCall(t, m, "POST", syncapi.PathSync, tok, syncapi.Gzip(good), map[string]string{"Content-Encoding": "gzip"}); status != 200 {
		t.Errorf("a good gzip body: %d", status)
	}
	if got := storedChunks(t, m, d); len(got) != 1 {
		t.Errorf("a good body stored %d chunks, want 1", len(got))
	}
	jsonTests := []struct {
		name, method, path string
		body               []byte
		status             int
		code               syncapi.Code
	}{
		{"enrol: not JSON", "POST", syncapi.PathEnrol, []byte("{"), 400, syncapi.CodeBadRequest},
		{"enrol: a label too long", "POST", syncapi.PathEnrol, []byte(`{"label":"` + base64.StdEncoding.EncodeToString(make([]byte, syncapi.MaxLabel+1)) + `"}`), 413, syncapi.CodeTooLarge},
		{"enrol: over the size limit", "POST", syncapi.PathEnrol, make([]byte, syncapi.MaxJSONBody+1), 413, syncapi.CodeTooLarge},
		{"pairing: short verifier", "POST", syncapi.PathPairings, []byte(`{"lookup":"ABCDEF","verifier":"eA==","blob":"eA=="}`), 400, syncapi.CodeBadRequest},
		{"pairing: bad lookup", "POST", syncapi.PathPairings, []byte(`{"lookup":"AB!DEF","verifier":"` + base64.StdEncoding.EncodeToString(make([]byte, 32)) + `","blob":"eA=="}`), 400, syncapi.CodeBadRequest},
		{"pair: no proof", "POST", syncapi.PathPair, []byte(`{"lookup":"ABCDEF"}`), 400, syncapi.CodeBadRequest},
		{"label: wrong type", "PUT", syncapi.PathDevices + "/" + d.id, []byte(`{"label":7}`), 400, syncapi.CodeBadRequest},
	}
	for _, tc := range jsonTests {
		status, code := rawCall(t, m, tc.method, tc.path, tok, tc.body, map[string]string{"Content-Type": "application/json"})
		if status != tc.status || code != tc.code {
			t.Errorf("%s: got %d %s, want %d %s", tc.name, status, code, tc.status, tc.code)
		}
	}
	if list, _ := d.conn.Devices(context.Background()); len(list) != 1 || string(list[0].Label) != "sealed label" {
		t.Errorf("a refused label changed the device: %+v", list)
	}
}

// TestAttackPairing: a pairing code works once, expires after 10
// minutes, and dies after 3 wrong proofs; the answer to a wrong code
// never says which of these it was.
func TestAttackPairing(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	m := start(t, func(m *Main) { m.Now = clk.Now })
	phone := enrol(t, m)
	pair := func(code string) error {
		_, err := dial(t, m, "").Pair(ctx, code, nil)
		return err
	}
	offer, err := phone.conn.CreatePairing(ctx, phone.key[:])
	if err != nil {
		t.Fatal(err)
	}
	if err := pair(offer.Code); err != nil {
		t.Fatalf("the right code: %v", err)
	}
	if err := pair(offer.Code); syncclient.CodeOf(err) != syncapi.CodePairingFailed || syncclient.Temporary(err) {
		t.Errorf("the code again: got %v, want a permanent pairing_failed", err)
	}
	// Expiry.
	offer, _ = phone.conn.CreatePairing(ctx, phone.key[:])
	clk.Add(syncapi.PairingTTL + time.Second)
	if err := pair(offer.Code); syncclient.CodeOf(err) != syncapi.CodePairingFailed {
		t.Errorf("after 10 minutes: got %v, want pairing_failed", err)
	}
	// Wrong secrets for the right lookup destroy it.
	offer, _ = phone.conn.CreatePairing(ctx, phone.key[:])
	lookup, secret, _ := syncclient.SplitPairingCode(offer.Code)
	for i := range relay.PairingTries {
		wrong := lookup + strings.Repeat(string(syncapi.Alphabet[i]), len(secret))
		if wrong == lookup+secret {
			continue
		}
		if err := pair(wrong); syncclient.CodeOf(err) != syncapi.CodePairingFailed {
			t.Fatalf("wrong secret %d: got %v, want pairing_failed", i, err)
		}
	}
	if err := pair(offer.Code); syncclient.CodeOf(err) != syncapi.CodePairingFailed {
		t.Errorf("the right code after %d wrong ones: got %v, want pairing_failed", relay.PairingTries, err)
	}
	// A wrong code's blob never opens: the server holds nothing that does.
	offer, _ = phone.conn.CreatePairing(ctx, phone.key[:])
	k, _ := syncclient.DerivePairing(offer.Code)
	other, _ := syncclient.DerivePairing(lookup + "0000000000")
	if _, err := other.Open(k.Seal(phone.key[:])); err == nil {
		t.Error("a blob opened under another code")
	}
	if list, _ := phone.conn.Devices(ctx); len(list) != 2 {
		t.Errorf("devices: %d, want the phone and the one paired", len(list))
	}
}

// TestAttackRateLimits: guessing from one address and hammering from one
// device get 429 with Retry-After.
func TestAttackRateLimits(t *testing.T) {
	ctx := context.Background()
	m := start(t, func(m *Main) {
		m.Limits = syncserver.Limits{PerAddress: 1000, EnrolPerAddress: 10, PerDevice: 20, Quota: 1 << 20}
	})
	d := enrol(t, m)
	limited := false
	for i := range 30 {
		_, err := dial(t, m, "").Pair(ctx, "ABCD-EFGH-JKMN-PQRS", nil)
		if syncclient.CodeOf(err) == syncapi.CodeRateLimited {
			if ra := syncclient.RetryAfter(err); ra < time.Second || ra > time.Minute || !syncclient.Temporary(err) {
				t.Errorf("rate limited: Retry-After %v, temporary %v", ra, syncclient.Temporary(err))
			}
			if i < 3 {
				t.Errorf("limited after %d guesses: too soon for a person", i)
			}
			limited = true
			break
		}
	}
	if !limited {
		t.Error("30 pairing guesses in a row from one address were never limited")
	}
	limited = false
	for range 40 {
		if _, err := d.conn.Devices(ctx); syncclient.CodeOf(err) == syncapi.CodeRateLimited {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("40 requests in a row from one device were never limited")
	}
}

// secretForms are the ways a secret could appear in a file or a dump:
// raw, hex (PostgreSQL's bytea), base64 of both alphabets.
func secretForms(s []byte) map[string][]byte {
	return map[string][]byte{
		"raw":       s,
		"hex":       []byte(hex.EncodeToString(s)),
		"base64":    []byte(strings.TrimRight(base64.StdEncoding.EncodeToString(s), "=")),
		"base64url": []byte(base64.RawURLEncoding.EncodeToString(s)),
	}
}

// canaryRun is a learner's life on a server with canaries in everything
// the client seals: a nickname, a note, an answer; then a pairing. It
// returns the secrets that must never reach the server, by name, and the
// sealed label, which the server must hold (the scan's positive control).
func canaryRun(t *testing.T, m *Main, p *proxy) (map[string][]byte, []byte) {
	t.Helper()
	ctx := context.Background()
	c, err := syncclient.Dial(syncclient.Config{URL: "http://" + p.ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	label := lockbox.Seal(lockbox.NewKey(), []byte("label"), nil)
	e, err := c.Enrol(ctx, "", label)
	if err != nil {
		t.Fatal(err)
	}
	phone := &device{conn: c, id: e.Device, self: newStream(), key: lockbox.NewKey()}
	secrets := map[string][]byte{
		"nickname": []byte("CANARY-nick-Qz7wX"),
		"note":     []byte("CANARY-note-met-caseworker-Kp3"),
		"answer":   []byte("CANARY-answer-Vb9"),
	}
	for name, s := range secrets {
		plain := `{"kind":"` + name + `","data":"` + string(s) + `"}`
		phone.sync(t, phone.seal(1, plain))
	}
	offer, err := phone.conn.CreatePairing(ctx, phone.key[:])
	if err != nil {
		t.Fatal(err)
	}
	laptop, err := syncclient.Dial(syncclient.Config{URL: "http://" + p.ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	paired, err := laptop.Pair(ctx, offer.Code, nil)
	if err != nil || !bytes.Equal(paired.Secret, phone.key[:]) {
		t.Fatalf("pair: %v", err)
	}
	k, _ := syncclient.DerivePairing(offer.Code)
	_, secret, _ := syncclient.SplitPairingCode(offer.Code)
	secrets["learner key"] = phone.key[:]
	secrets["pairing secret"] = []byte(secret)
	secrets["pairing key"] = k.Key[:]
	return secrets, label
}

func scan(t *testing.T, where string, data []byte, secrets map[string][]byte) {
	t.Helper()
	if len(data) == 0 {
		t.Fatalf("%s: nothing to scan", where)
	}
	for name, s := range secrets {
		for form, b := range secretForms(s) {
			if bytes.Contains(data, b) {
				t.Errorf("%s holds the %s (%s)", where, name, form)
			}
		}
	}
}

// TestAttackCanarySQLite: the SQLite file (and its WAL) and every byte the
// server received hold no canary from the sealed plaintext, nor the
// learner key or the part of the pairing code that unwraps it.
func TestAttackCanarySQLite(t *testing.T) {
	m := start(t, nil)
	p := newProxy(t, strings.TrimPrefix(m.URL(), "http://"))
	secrets, label := canaryRun(t, m, p)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	var file []byte
	for _, suffix := range []string{"", "-wal"} {
		b, _ := os.ReadFile(m.DB + suffix)
		file = append(file, b...)
	}
	// The scan finds what is there: the sealed label the server keeps.
	if !bytes.Contains(file, label) || !bytes.Contains(p.received(), []byte(base64.StdEncoding.EncodeToString(label))) {
		t.Fatal("the scan cannot find the sealed label the server keeps: it would find no canary either")
	}
	scan(t, "the SQLite file", file, secrets)
	scan(t, "what the server received", p.received(), secrets)
}

// TestAttackCanaryPostgres: the same on PostgreSQL, scanning a pg_dump.
func TestAttackCanaryPostgres(t *testing.T) {
	dsn, schema := pgtest.URL(t)
	m := start(t, func(m *Main) { m.DB = dsn })
	p := newProxy(t, strings.TrimPrefix(m.URL(), "http://"))
	secrets, label := canaryRun(t, m, p)
	out, err := exec.Command("pg_dump", "--data-only", "--schema="+schema, os.Getenv(pgtest.Env)).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !bytes.Contains(out, []byte("COPY "+schema+".chunks")) {
		t.Fatalf("the dump has no chunks table: %.300s", out)
	}
	if !bytes.Contains(out, []byte(hex.EncodeToString(label))) {
		t.Fatal("the dump lacks the sealed label the server keeps: the scan would find no canary either")
	}
	scan(t, "the pg_dump", out, secrets)
	scan(t, "what the server received", p.received(), secrets)
}

// TestAttackSlowClients: a client that trickles its headers, or its body,
// is cut off by the server's timeouts instead of holding a connection.
func TestAttackSlowClients(t *testing.T) {
	m := start(t, func(m *Main) {
		m.Timeouts = Timeouts{Header: 300 * time.Millisecond, Read: 600 * time.Millisecond, Write: time.Second, Idle: time.Second}
	})
	addr := strings.TrimPrefix(m.URL(), "http://")
	for name, send := range map[string]string{
		"headers never end": "POST /v1/sync HTTP/1.1\r\nHost: x\r\n",
		"body never comes":  "POST /v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte(send))
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		start := time.Now()
		_, err = io.ReadAll(c) // returns when the server closes
		if err != nil {
			t.Errorf("%s: the server held the connection for %v (%v)", name, time.Since(start).Round(time.Millisecond), err)
		}
		c.Close()
	}
}

// TestAttackLogsHoldNothingPersonal: after a learner's whole life on the
// server (enrol, sync, pair, devices, errors, delete), its log holds no
// token, no address, no device id, no chunk body and no canary.
func TestAttackLogsHoldNothingPersonal(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	m := start(t, func(m *Main) {
		m.Log = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	p := newProxy(t, strings.TrimPrefix(m.URL(), "http://"))
	secrets, label := canaryRun(t, m, p)
	d := enrol(t, m)
	c := d.seal(1, "CANARY-in-a-chunk")
	d.sync(t, c)
	rawCall(t, m, "POST", syncapi.PathSync, "Bearer "+strings.Repeat("x", 43), []byte("junk"), nil)
	rawCall(t, m, "DELETE", syncapi.PathDevices+"/"+d.id, "Bearer "+d.conn.Token(), nil, nil)
	mu.Lock()
	out := bytes.Clone(logs.Bytes())
	mu.Unlock()
	if !bytes.Contains(out, []byte("route=")) || !bytes.Contains(out, []byte("status=401")) {
		t.Fatalf("the log has no request lines to scan:\n%s", out)
	}
	secrets["token"] = []byte(d.conn.Token())
	secrets["device id"] = []byte(d.id)
	secrets["chunk body"] = c.Body[:24]
	secrets["label"] = label
	secrets["chunk canary"] = []byte("CANARY-in-a-chunk")
	scan(t, "the server's log", out, secrets)
	for _, addr := range []string{"127.0.0.1", "[::1]"} {
		if bytes.Contains(out, []byte(addr)) {
			t.Errorf("the log holds a client address (%s)", addr)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestAttackCourierMayOnlyPush: a courier's token, which a learner's
// device hands to a trainer's hub, pushes chunks into its learner's log
// and does nothing else: it pulls nothing (not even how long the log is),
// cannot list, rename or unlink devices, offer a pairing, make another
// courier, delete the learner or touch a group; and it dies with the
// device that made it.
func TestAttackCourierMayOnlyPush(t *testing.T) {
	ctx := context.Background()
	m := start(t, nil)
	owner := enrol(t, m)
	owner.sync(t, owner.seal(3, "the learner's own progress"))
	c, err := owner.conn.CreateCourier(ctx)
	if err != nil {
		t.Fatalf("create courier: %v", err)
	}
	hub := &device{conn: dial(t, m, c.Token), self: newStream(), key: owner.key}
	carried := syncapi.Chunk{Stream: newStream(), From: 1, To: 2, Body: lockbox.Seal(owner.key, []byte("carried by the hub"), nil)}
	resp := hub.sync(t, carried)
	if len(resp.Acks) != 1 || resp.Acks[0] != syncapi.StatusStored {
		t.Fatalf("the courier's push: %v, want stored", resp.Acks)
	}
	if len(resp.Pull) != 0 || len(resp.Cursor) != 0 || resp.More {
		t.Errorf("the courier read the learner's log: %d chunks, cursor %x", len(resp.Pull), resp.Cursor)
	}
	if got := storedChunks(t, m, owner); len(got) != 2 {
		t.Errorf("the learner's log holds %d chunks, want 2 (their own and the carried one)", len(got))
	}
	bearer := "Bearer " + c.Token
	for _, call := range []struct {
		method, path string
		body         []byte
	}{
		{"GET", syncapi.PathDevices, nil},
		{"PUT", syncapi.PathDevices + "/" + owner.id, []byte(`{"label":"eA=="}`)},
		{"DELETE", syncapi.PathDevices + "/" + owner.id, nil},
		{"POST", syncapi.PathPairings, []byte(`{"lookup":"K7QM2X","verifier":"` + base64.StdEncoding.EncodeToString(make([]byte, 32)) + `","blob":"eA=="}`)},
		{"POST", syncapi.PathCouriers, []byte(`{}`)},
		{"DELETE", syncapi.PathLearner, nil},
		// Nor anything of groups: a hub holding a learner's courier
		// cannot join, leave or share for them, nor act as their trainer.
		{"POST", syncapi.PathGroups, []byte(`{}`)},
		{"POST", syncapi.PathJoin, []byte(`{"lookup":"K7QM2X","proof":"eA=="}`)},
		{"POST", syncapi.PathCoTrain, []byte(`{"lookup":"K7QM2X","proof":"eA=="}`)},
		{"PUT", syncapi.PathGroups + "/" + owner.id + syncapi.GroupShare, []byte("x")},
		{"DELETE", syncapi.PathGroups + "/" + owner.id + syncapi.GroupMember, nil},
		{"GET", syncapi.PathGroups + "/" + owner.id + syncapi.GroupShares, nil},
	} {
		status, code := rawCall(t, m, call.method, call.path, bearer, call.body, map[string]string{"Content-Type": "application/json"})
		if status != http.StatusForbidden || code != syncapi.CodeNotAllowed {
			t.Errorf("courier %s %s: %d %s, want 403 not_allowed", call.method, call.path, status, code)
		}
	}
	if got := storedChunks(t, m, owner); len(got) != 2 {
		t.Errorf("the courier's refused calls changed the log: %d chunks", len(got))
	}
	if list, err := owner.conn.Devices(ctx); err != nil || len(list) != 1 {
		t.Errorf("the learner's devices: %v, %v; want only their own (couriers are not listed)", list, err)
	}
	if err := owner.conn.Unlink(ctx, owner.id); err != nil {
		t.Fatal(err)
	}
	if status, code := rawCall(t, m, "POST", syncapi.PathSync, bearer, idleBody(t, newStream(), nil), nil); status != http.StatusUnauthorized {
		t.Errorf("the courier of an unlinked device: %d %s, want 401", status, code)
	}
}
