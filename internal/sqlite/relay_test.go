package sqlite_test

import (
	"context"
	"path/filepath"
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
