package relaytest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/relay"
)

// BenchPush measures a store's ingest alone: one push of `chunks` chunks
// of 10 events (200-byte sealed bodies) an op, each its own committed
// transaction; events/s counts the events inside the chunks.
func BenchPush(b *testing.B, s relay.Store, chunks int) {
	ctx := context.Background()
	d := NewDevice(relay.NewID())
	if err := s.Enrol(ctx, nil, d.Device); err != nil {
		b.Fatal(err)
	}
	st := NewStream()
	body := make([]byte, 200)
	rand.Read(body)
	seq := uint64(0)
	start := time.Now()
	for b.Loop() {
		cs := make([]relay.Chunk, chunks)
		for i := range cs {
			cs[i] = relay.Chunk{Stream: st, From: seq + 1, To: seq + 10, Body: body}
			seq += 10
		}
		if _, err := s.Push(ctx, relay.Push{Learner: d.ID, Chunks: cs, Now: t0}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(seq)/time.Since(start).Seconds(), "events/s")
}
