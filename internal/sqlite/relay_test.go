package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/waymark-app/waymark/internal/relay"
	"github.com/waymark-app/waymark/internal/relay/relaytest"
	"github.com/waymark-app/waymark/internal/sqlite"
)

func openRelay(t testing.TB) *sqlite.Relay {
	t.Helper()
	s, err := sqlite.OpenRelay(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatalf("open relay: %v", err)
	}
	return s
}

func TestRelayContract(t *testing.T) {
	relaytest.Run(t, func(t *testing.T) relay.Store { return openRelay(t) })
}

// BenchmarkRelayPush measures the server store's ingest on its own: a
// chunk of 10 events a transaction, and 16 chunks a transaction.
func BenchmarkRelayPush(b *testing.B) {
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("chunks=%d", n), func(b *testing.B) {
			s := openRelay(b)
			defer s.Close()
			relaytest.BenchPush(b, s, n)
		})
	}
}

func TestRelayFileIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not Windows' access control")
	}
	s := openRelay(t)
	defer s.Close()
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		t.Errorf("the server database has mode %v: others may read it", mode)
	}
}
