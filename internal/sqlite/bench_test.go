package sqlite_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/sqlite"
)

// BenchmarkRecordAnswer measures recording one answer: one transaction
// with the event, the lesson state and the step state, synced to disk
// (synchronous=FULL). It reports the median and 99th percentile too.
func BenchmarkRecordAnswer(b *testing.B) {
	ctx := context.Background()
	db := open(b, filepath.Join(b.TempDir(), "waymark.db"))
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := db.Record(ctx, answered("passcodes", "q"+string(rune('a'+i%20)), i%2 == 0, "a")); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkOpenStore measures opening an existing database with some
// history and reading all progress, as the app does at start-up.
func BenchmarkOpenStore(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "waymark.db")
	db := open(b, path)
	for i := range 500 {
		if _, err := db.Record(ctx, shown("lesson-"+string(rune('a'+i%26)), "s"), answered("lesson-"+string(rune('a'+i%26)), "q", true, "a")); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	for b.Loop() {
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Progress(ctx); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
