package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/waymark-app/waymark/internal/postgres"
	"github.com/waymark-app/waymark/internal/postgres/pgtest"
	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/relay/relaytest"
)

func openStore(t testing.TB) *postgres.Store {
	t.Helper()
	dsn, _ := pgtest.URL(t)
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func TestContract(t *testing.T) {
	relaytest.Run(t, func(t *testing.T) relay.Store { return openStore(t) })
}

// TestTwoStoresOneDatabase runs the concurrency contract with two stores
// (two pools, as two server processes would have) on one schema, and
// migrations racing at start.
func TestTwoStoresOneDatabase(t *testing.T) {
	dsn, _ := pgtest.URL(t)
	ctx := context.Background()
	stores := make([]*postgres.Store, 2)
	errs := make(chan error, 2)
	for i := range stores {
		go func() {
			var err error
			stores[i], err = postgres.Open(ctx, dsn)
			errs <- err
		}()
	}
	for range stores {
		if err := <-errs; err != nil {
			t.Fatalf("open: %v", err)
		}
	}
	defer stores[0].Close()
	defer stores[1].Close()
	relaytest.RunShared(t, stores[0], stores[1])
}

// BenchmarkPush measures the store's ingest on its own: a chunk of 10
// events a transaction, and 16 chunks a transaction.
func BenchmarkPush(b *testing.B) {
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("chunks=%d", n), func(b *testing.B) {
			s := openStore(b)
			defer s.Close()
			relaytest.BenchPush(b, s, n)
		})
	}
}
