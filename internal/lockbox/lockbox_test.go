package lockbox_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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

func TestSealAndWrap(t *testing.T) {
	dk := lockbox.NewKey()
	sealed := lockbox.Seal(dk, []byte("canary: my private note"))
	if strings.Contains(sealed, "canary") {
		t.Fatal("sealed text holds the plaintext")
	}
	got, err := lockbox.Open(dk, sealed)
	if err != nil || string(got) != "canary: my private note" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := lockbox.Open(lockbox.NewKey(), sealed); !errors.Is(err, lockbox.ErrDamaged) {
		t.Errorf("another key opens the note: %v", err)
	}
	tampered := []byte(sealed)
	tampered[len(tampered)-2] ^= 1
	if _, err := lockbox.Open(dk, string(tampered)); err == nil {
		t.Error("a changed note opens")
	}
	if a, b := lockbox.Seal(dk, []byte("x")), lockbox.Seal(dk, []byte("x")); a == b {
		t.Error("the same text seals the same way twice: nonces repeat")
	}

	_, kek := lockbox.NewLock("passphrase here", fast)
	w := lockbox.WrapKey(kek, dk)
	back, err := lockbox.UnwrapKey(kek, w)
	if err != nil || back != dk {
		t.Fatalf("unwrap: %v", err)
	}
	if k, ok := lockbox.ParsePlainKey(lockbox.PlainKey(dk)); !ok || k != dk {
		t.Error("plain key does not round-trip")
	}
	if _, ok := lockbox.ParsePlainKey(w); ok {
		t.Error("a wrapped key parses as plain")
	}
}

// BenchmarkUnlock measures one unlock (one Argon2id derivation) at the
// cost the app uses and nearby ones, to choose the parameters.
func BenchmarkUnlock(b *testing.B) {
	for _, p := range []lockbox.Params{
		{Time: 1, Memory: 19 * 1024, Threads: 1},
		{Time: 2, Memory: 19 * 1024, Threads: 1},
		lockbox.DefaultParams,
		{Time: 3, Memory: 32 * 1024, Threads: 1},
		{Time: 1, Memory: 64 * 1024, Threads: 1},
		{Time: 2, Memory: 64 * 1024, Threads: 2},
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

func TestDelayGrows(t *testing.T) {
	prev := lockbox.Delay(0)
	if prev != 0 || lockbox.Delay(2) != 0 {
		t.Errorf("the first wrong tries wait: %v, %v", prev, lockbox.Delay(2))
	}
	for fails := 3; fails < 12; fails++ {
		d := lockbox.Delay(fails)
		if d < prev || (fails <= 8 && d == prev) {
			t.Errorf("after %d wrong tries: wait %v, not more than after %d (%v)", fails, d, fails-1, prev)
		}
		if d > 5*time.Minute {
			t.Errorf("after %d wrong tries: wait %v, more than five minutes", fails, d)
		}
		prev = d
	}
}
