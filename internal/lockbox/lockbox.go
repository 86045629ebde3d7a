// Package lockbox keeps a learner's secrets: it checks the app's PIN or
// passphrase without ever storing it (only an Argon2id-derived verifier
// with a per-install salt), and encrypts private notes with
// XChaCha20-Poly1305 under a data key that is itself locked with the PIN.
//
// The data key is random and never changes, so changing the PIN only
// re-locks the key, not every note. Without a PIN the key is stored
// unlocked: notes are then protected only by the device, and the app
// says so.
package lockbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Params are Argon2id's cost parameters.
type Params struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams were chosen by measurement (BENCHMARKS.md): 2 passes
// over 32 MiB on one thread take about 43 ms on the test machine. A cheap
// phone's core is five to ten times slower, so an unlock there (two
// derivations, run side by side: the PIN and the safe-profile PIN) stays
// well under a second, while every guess costs an attacker 32 MiB.
var DefaultParams = Params{Time: 2, Memory: 32 * 1024, Threads: 1}

// ErrWrong means the PIN or passphrase does not match.
var ErrWrong = errors.New("wrong PIN or passphrase")

// ErrDamaged means stored data could not be read or decrypted.
var ErrDamaged = errors.New("damaged secret")

// Key is a 256-bit symmetric key.
type Key [32]byte

// Lock is what is stored for one PIN or passphrase: the salt, the cost
// and a verifier. The PIN cannot be recovered from it.
type Lock struct {
	Params   Params
	Salt     []byte
	Verifier []byte
}

// derive runs Argon2id once for 64 bytes: the first half, hashed again,
// is the verifier; the second half is the key that locks the data key. So
// a stored verifier reveals nothing about the key.
func derive(secret string, salt []byte, p Params) (verifier []byte, kek Key) {
	out := argon2.IDKey([]byte(secret), salt, p.Time, p.Memory, p.Threads, 64)
	v := sha256.Sum256(out[:32])
	copy(kek[:], out[32:])
	clear(out)
	return v[:], kek
}

// NewLock makes a lock for secret with a fresh random salt, and returns
// it with the key it derives (to lock the data key with).
func NewLock(secret string, p Params) (Lock, Key) {
	salt := make([]byte, 16)
	rand.Read(salt)
	v, kek := derive(secret, salt, p)
	return Lock{Params: p, Salt: salt, Verifier: v}, kek
}

// Check derives from secret and compares with the verifier in constant
// time. It returns the key on a match and ErrWrong otherwise.
func (l Lock) Check(secret string) (Key, error) {
	v, kek := derive(secret, l.Salt, l.Params)
	if subtle.ConstantTimeCompare(v, l.Verifier) != 1 {
		return Key{}, ErrWrong
	}
	return kek, nil
}

// String encodes a lock for storage: argon2id$t$m$p$salt$verifier.
func (l Lock) String() string {
	b := base64.RawStdEncoding
	return fmt.Sprintf("argon2id$%d$%d$%d$%s$%s", l.Params.Time, l.Params.Memory, l.Params.Threads, b.EncodeToString(l.Salt), b.EncodeToString(l.Verifier))
}

// ParseLock decodes a stored lock.
func ParseLock(s string) (Lock, error) {
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "argon2id" {
		return Lock{}, ErrDamaged
	}
	t, err1 := strconv.ParseUint(f[1], 10, 32)
	m, err2 := strconv.ParseUint(f[2], 10, 32)
	p, err3 := strconv.ParseUint(f[3], 10, 8)
	salt, err4 := base64.RawStdEncoding.DecodeString(f[4])
	v, err5 := base64.RawStdEncoding.DecodeString(f[5])
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil || t == 0 || m == 0 || p == 0 {
		return Lock{}, ErrDamaged
	}
	return Lock{Params: Params{Time: uint32(t), Memory: uint32(m), Threads: uint8(p)}, Salt: salt, Verifier: v}, nil
}

// NewKey returns a random key.
func NewKey() Key {
	var k Key
	rand.Read(k[:])
	return k
}

// Seal encrypts plaintext under key with a random nonce; the result is
// nonce and ciphertext together, base64-encoded for storage.
func Seal(key Key, plaintext []byte) string {
	aead, _ := chacha20poly1305.NewX(key[:])
	nonce := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(plaintext)+aead.Overhead())
	rand.Read(nonce)
	return base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, plaintext, nil))
}

// Open decrypts what Seal made. A wrong key or changed data gives
// ErrDamaged.
func Open(key Key, sealed string) ([]byte, error) {
	data, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(data) < chacha20poly1305.NonceSizeX {
		return nil, ErrDamaged
	}
	aead, _ := chacha20poly1305.NewX(key[:])
	out, err := aead.Open(nil, data[:chacha20poly1305.NonceSizeX], data[chacha20poly1305.NonceSizeX:], nil)
	if err != nil {
		return nil, ErrDamaged
	}
	return out, nil
}

// WrapKey locks the data key under kek, for storage.
func WrapKey(kek, dataKey Key) string { return Seal(kek, dataKey[:]) }

// UnwrapKey unlocks a data key locked by WrapKey.
func UnwrapKey(kek Key, wrapped string) (Key, error) {
	b, err := Open(kek, wrapped)
	if err != nil || len(b) != len(Key{}) {
		return Key{}, ErrDamaged
	}
	var k Key
	copy(k[:], b)
	clear(b)
	return k, nil
}

// PlainKey encodes a data key that no PIN protects (no PIN is set).
func PlainKey(k Key) string { return "plain$" + base64.RawStdEncoding.EncodeToString(k[:]) }

// ParsePlainKey decodes what PlainKey made; ok is false for a locked key.
func ParsePlainKey(s string) (Key, bool) {
	rest, ok := strings.CutPrefix(s, "plain$")
	if !ok {
		return Key{}, false
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(b) != len(Key{}) {
		return Key{}, false
	}
	var k Key
	copy(k[:], b)
	return k, true
}

// Delay is how long to wait before another try after fails wrong tries
// in a row: nothing for the first three (everyone mistypes), then a wait
// that grows each time, up to five minutes. It slows a person guessing at
// a phone without ever locking its owner out for good.
func Delay(fails int) time.Duration {
	steps := []time.Duration{5 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute}
	switch {
	case fails < 3:
		return 0
	case fails-3 < len(steps):
		return steps[fails-3]
	}
	return 5 * time.Minute
}
