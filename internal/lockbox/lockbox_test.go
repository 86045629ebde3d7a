package lockbox_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/lockbox"
)

// fast keeps tests quick; the real cost is benchmarked below.
var fast = lockbox.Params{Time: 1, Memory: 64, Threads: 1}

func TestLock(t *testing.T) {
	l, kek := lockbox.NewLock("4821", fast)
	got, err := l.Check("4821")
	if err != nil || got != kek {
		t.Fatalf("the right PIN: %v", err)
	}
	for _, wrong := range []string{"4822", "", "48210", " 4821"} {
		if _, err := l.Check(wrong); !errors.Is(err, lockbox.ErrWrong) {
			t.Errorf("Check(%q) = %v, want ErrWrong", wrong, err)
		}
	}
	stored := l.String()
	if strings.Contains(stored, "4821") {
		t.Errorf("stored lock %q contains the PIN", stored)
	}
	back, err := lockbox.ParseLock(stored)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := back.Check("4821"); err != nil {
		t.Errorf("a parsed lock no longer opens: %v", err)
	}
	again, _ := lockbox.NewLock("4821", fast)
	if again.String() == stored {
		t.Error("two locks for the same PIN are equal: the salt is not random")
	}
	if _, err := lockbox.ParseLock("argon2id$1$2$x"); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("a damaged lock parses: %v", err)
	}
}

func TestSealBindsKeyAndRecord(t *testing.T) {
	dk := lockbox.NewKey()
	ad := []byte("milestone gp")
	sealed := lockbox.Seal(dk, []byte("canary: my private note"), ad)
	if strings.Contains(string(sealed), "canary") {
		t.Fatal("sealed text holds the plaintext")
	}
	got, err := lockbox.Open(dk, sealed, ad)
	if err != nil || string(got) != "canary: my private note" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := lockbox.Open(lockbox.NewKey(), sealed, ad); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("another key opens the note: %v", err)
	}
	if _, err := lockbox.Open(dk, sealed, []byte("milestone bank")); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("a note moved to another record opens: %v", err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-2] ^= 1
	if _, err := lockbox.Open(dk, tampered, ad); err == nil {
		t.Error("a changed note opens")
	}
	if a, b := lockbox.Seal(dk, []byte("x"), nil), lockbox.Seal(dk, []byte("x"), nil); string(a) == string(b) {
		t.Error("the same text seals the same way twice: nonces repeat")
	}
	if n := len(lockbox.Seal(dk, []byte("abc"), nil)); n != 3+lockbox.Overhead {
		t.Errorf("overhead: %d bytes for 3, want %d", n, 3+lockbox.Overhead)
	}
}

func TestKeyring(t *testing.T) {
	ring := lockbox.NewKeyring()
	ring.SafeProfile = true
	plain := ring.Plain()
	if !lockbox.IsPlainRing(plain) {
		t.Error("a plain ring is not recognised")
	}
	back, err := lockbox.OpenRing(plain, nil)
	if err != nil || back != ring {
		t.Fatalf("plain ring: %v", err)
	}
	_, kek := lockbox.NewLock("correct horse battery", fast)
	wrapped := ring.Wrap(kek)
	if lockbox.IsPlainRing(wrapped) {
		t.Error("a wrapped ring reads as plain")
	}
	for _, k := range [][]byte{ring.Data[:]} {
		if strings.Contains(wrapped, base64.RawStdEncoding.EncodeToString(k)) || strings.Contains(wrapped, string(k)) {
			t.Error("a wrapped ring shows a key")
		}
	}
	if back, err := lockbox.OpenRing(wrapped, &kek); err != nil || back != ring {
		t.Fatalf("wrapped ring: %v", err)
	}
	other := lockbox.NewKey()
	if _, err := lockbox.OpenRing(wrapped, &other); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("another key opens the ring: %v", err)
	}
	if _, err := lockbox.OpenRing(wrapped, nil); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("a wrapped ring opens with no key: %v", err)
	}
	if _, err := lockbox.OpenRing(plain, &kek); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("a plain ring opens as wrapped: %v", err)
	}
}

// TestAttackTamperedCostParameters plants Argon2id parameters that would
// make every unlock take minutes or exhaust a phone's memory: the lock
// reads as damaged instead of being run.
func TestAttackTamperedCostParameters(t *testing.T) {
	l, _ := lockbox.NewLock("482173", fast)
	parts := strings.Split(l.String(), "$")
	for name, p := range map[string][3]string{
		"4 GiB":            {"1", "4194304", "1"},
		"a million passes": {"1000000", "64", "1"},
		"255 threads":      {"1", "65536", "255"},
		"no memory":        {"1", "0", "1"},
		"no passes":        {"0", "64", "1"},
	} {
		bad := strings.Join([]string{parts[0], p[0], p[1], p[2], parts[4], parts[5]}, "$")
		if _, err := lockbox.ParseLock(bad); !errors.Is(err, lockbox.ErrDamaged) {
			t.Errorf("%s: ParseLock accepted %q", name, bad)
		}
	}
	def, _ := lockbox.NewLock("", lockbox.DefaultParams)
	if _, err := lockbox.ParseLock(def.String()); err != nil {
		t.Errorf("the default cost is out of bounds: %v", err)
	}
}

func TestDecoyLooksLikeALock(t *testing.T) {
	real, _ := lockbox.NewLock("482173", lockbox.DefaultParams)
	decoy := lockbox.NewDecoy(lockbox.DefaultParams)
	if len(real.String()) != len(decoy.String()) {
		t.Errorf("a decoy (%d bytes) can be told from a lock (%d bytes)", len(decoy.String()), len(real.String()))
	}
	for _, guess := range []string{"", "482173", "000000"} {
		if _, err := decoy.Check(guess); !errors.Is(err, lockbox.ErrWrong) {
			t.Errorf("the decoy opens with %q", guess)
		}
	}
}

// BenchmarkUnlock measures one unlock (one Argon2id derivation) at the
// cost the app uses and nearby ones, to choose the parameters.
func BenchmarkUnlock(b *testing.B) {
	for _, p := range []lockbox.Params{
		{Time: 1, Memory: 19 * 1024, Threads: 1},
		{Time: 2, Memory: 19 * 1024, Threads: 1},
		{Time: 2, Memory: 32 * 1024, Threads: 1},
		{Time: 3, Memory: 32 * 1024, Threads: 1},
		{Time: 1, Memory: 64 * 1024, Threads: 1},
		{Time: 2, Memory: 64 * 1024, Threads: 1},
		lockbox.DefaultParams,
		{Time: 4, Memory: 64 * 1024, Threads: 1},
	} {
		l, _ := lockbox.NewLock("4821", p)
		b.Run(fmt.Sprintf("t=%d/m=%dMiB/p=%d", p.Time, p.Memory/1024, p.Threads), func(b *testing.B) {
			for b.Loop() {
				if _, err := l.Check("4821"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
