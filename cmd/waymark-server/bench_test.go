package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/waymark-app/waymark/internal/postgres/pgtest"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// tenEvents is a chunk's plaintext after a short lesson: ten events in the
// JSON the measurements assume (internal/syncclient's sample_test.go).
func tenEvents() []byte {
	steps := []string{"what-email", "address", "parts", "write", "reply", "reply-teacher", "reply-teacher", "safety", "attachment-check"}
	var b []byte
	clock := int64(1767168000000) << 16
	for i, s := range steps {
		clock += int64(5000+i*3917) << 16
		switch s {
		case "reply-teacher", "attachment-check":
			b = fmt.Appendf(b, `{"clock":%d,"kind":"answer","lesson":"email-basics","step":%q,"answer":["reply"],"correct":%v}`+"\n", clock, s, i%2 == 0)
		default:
			b = fmt.Appendf(b, `{"clock":%d,"kind":"step.shown","lesson":"email-basics","step":%q}`+"\n", clock, s)
		}
	}
	return fmt.Appendf(b, `{"clock":%d,"kind":"lesson.done","lesson":"email-basics"}`+"\n", clock+7<<16)
}

// sealTen seals tenEvents as the engine would: compressed, then
// XChaCha20-Poly1305 under the learner key.
func sealTen() []byte {
	key := make([]byte, 32)
	rand.Read(key)
	aead, _ := chacha20poly1305.NewX(key)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, syncclient.CompressChunk(tenEvents()), nil)
}

// BenchmarkWireBytes measures the bytes on the wire, both ways, headers
// included (the client's meter counts TCP payload), for one sync: idle,
// and pushing a chunk of 10 events; over a kept-alive connection (the
// usual case within a session), a new plain connection, and new TLS
// connections (a full handshake, and one resumed with a session ticket).
func BenchmarkWireBytes(b *testing.B) {
	body := sealTen()
	for _, mode := range []string{"kept-alive", "new-connection", "tls-new-connection", "tls-resumed"} {
		tls := mode == "tls-new-connection" || mode == "tls-resumed"
		m := start(b, func(m *Main) { m.SelfSigned = tls })
		d := enrol(b, m)
		d.sync(b) // the cursor, as a device has it after its first sync
		for _, kind := range []string{"idle", "push10"} {
			b.Run(mode+"/"+kind, func(b *testing.B) {
				var up, down int64
				seq := uint64(1000)
				for b.Loop() {
					c := d.conn
					if mode != "kept-alive" {
						c.Close() // no connection to reuse
					}
					if mode == "tls-new-connection" {
						c = dial(b, m, d.conn.Token()) // no session to resume either
					}
					req := syncapi.SyncRequest{Self: d.self, Cursor: d.cursor}
					if kind == "push10" {
						req.Push = []syncapi.Chunk{{Stream: d.self, From: seq + 1, To: seq + 10, Body: body}}
						seq += 10
					}
					s0, r0 := c.Meter().Sent(), c.Meter().Received()
					resp, err := c.Sync(context.Background(), req)
					if err != nil {
						b.Fatal(err)
					}
					up += c.Meter().Sent() - s0
					down += c.Meter().Received() - r0
					d.cursor = resp.Cursor
				}
				n := float64(b.N)
				b.ReportMetric(float64(up)/n, "bytes-up")
				b.ReportMetric(float64(down)/n, "bytes-down")
				b.ReportMetric(float64(up+down)/n, "bytes/sync")
				b.ReportMetric(float64(len(body)), "sealed-body-bytes")
			})
		}
	}
}

// benchIngest measures ingest through the real server: devices (each a
// learner of its own) push chunks of 10 events, one chunk a round trip,
// several at once; events/s counts the events inside the chunks.
func benchIngest(b *testing.B, db string) {
	m := start(b, func(m *Main) {
		if db != "" {
			m.DB = db
		}
	})
	body := sealTen()
	const devices = 16
	devs := make(chan *device, devices)
	for range devices {
		devs <- enrol(b, m)
	}
	var events atomic.Int64
	b.SetParallelism(devices / 2) // 16 goroutines on 2 cores
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		d := <-devs
		for pb.Next() {
			resp, err := d.conn.Sync(context.Background(), syncapi.SyncRequest{Self: d.self, Cursor: d.cursor,
				Push: []syncapi.Chunk{{Stream: d.self, From: d.seq + 1, To: d.seq + 10, Body: body}}})
			if err != nil {
				b.Error(err)
				return
			}
			if !resp.Acks[0].Acknowledged() {
				b.Errorf("status %v", resp.Acks[0])
				return
			}
			d.seq += 10
			d.cursor = resp.Cursor
			events.Add(10)
		}
	})
	b.ReportMetric(float64(events.Load())/time.Since(start).Seconds(), "events/s")
}

func BenchmarkIngestSQLite(b *testing.B) { benchIngest(b, "") }

func BenchmarkIngestPostgres(b *testing.B) {
	dsn, _ := pgtest.URL(b)
	benchIngest(b, dsn)
}
