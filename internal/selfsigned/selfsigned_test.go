package selfsigned_test

import (
	"os"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/selfsigned"
)

// TestKeepKeepsOneCertificate: the pin devices hold stays the same across
// restarts, and the key is readable by its owner alone.
func TestKeepKeepsOneCertificate(t *testing.T) {
	f := selfsigned.In(t.TempDir(), "hub")
	pin := func() string {
		t.Helper()
		c, err := selfsigned.Keep(f, "waymark-hub")
		if err != nil {
			t.Fatal(err)
		}
		leaf, err := selfsigned.Leaf(c)
		if err != nil {
			t.Fatal(err)
		}
		return selfsigned.Pin(leaf)
	}
	first, second := pin(), pin()
	if first != second {
		t.Errorf("pin changed across restarts: %s then %s", first, second)
	}
	if !strings.HasPrefix(first, "sha256/") || len(first) != len("sha256/")+44 {
		t.Errorf("pin %q is not sha256/<base64 of 32 bytes>", first)
	}
	st, err := os.Stat(f.Key)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
}
