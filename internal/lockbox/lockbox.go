// Package lockbox keeps a learner's secrets. It checks the app's PIN or
// passphrase without ever storing it (only an Argon2id-derived verifier
// with a per-lock salt), and it seals data with XChaCha20-Poly1305.
//
// A device keeps its key in a Keyring: the data key, which seals
// everything the device keeps at rest (the learner key, which seals the
// learner's events on the wire and is shared by their devices, among it).
// With a PIN or passphrase set, the keyring is stored only wrapped under a
// key derived from it; without one it is stored as it is, and the data is
// then protected only by the device (the app says so). Setting, changing or removing the secret makes a new data key, so
// a key once written unprotected never opens data written after.
package lockbox

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Params are Argon2id's cost parameters.
type Params struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams is the cost of one PIN check, chosen for a cheap Android
// phone (BENCHMARKS.md, "The PIN's cost"): 3 passes over 32 MiB take about
// 60 ms on one core of the test machine, so a phone five to ten times
// slower takes 0.3 to 0.6 s. An unlock runs two checks side by side (the
// PIN and the safe-profile PIN, or its decoy), so it needs 64 MiB for a
// moment: more (64 MiB a check) would take 128 MiB beside the app's own
// 150, enough to have a 1 GB phone close the app. Every guess costs an
// attacker with a copy of the files 32 MiB and three passes: every 6-digit
// PIN then takes about an hour on a 16-core desktop, which is why the app
// refuses the PINs people guess first, offers a passphrase, and says what
// the lock protects against (someone picking up the phone) and what it
// does not.
var DefaultParams = Params{Time: 3, Memory: 32 * 1024, Threads: 1}

// Bounds on parameters read from disk: a tampered file must not make
// every unlock exhaust a phone's memory or take minutes.
const (
	MaxTime    = 10
	MaxMemory  = 256 * 1024 // KiB
	MaxThreads = 4
)

// ErrWrong means the PIN or passphrase does not match.
var ErrWrong = errors.New("wrong PIN or passphrase")

// ErrDamaged means stored data could not be read or opened.
var ErrDamaged = errors.New("damaged or not sealed with this key")

// Key is a 256-bit symmetric key.
type Key [32]byte

// NewKey returns a random key.
func NewKey() Key {
	var k Key
	rand.Read(k[:]) // crypto/rand never fails on supported platforms
	return k
}

// IsZero reports whether k is the zero key (no key).
func (k Key) IsZero() bool { return k == Key{} }

// Lock is what is stored for one PIN or passphrase: the salt, the cost
// and a verifier. The secret cannot be recovered from it.
type Lock struct {
	Params   Params
	Salt     []byte
	Verifier []byte
}

// derive runs Argon2id once for 64 bytes: the first half, hashed again,
// is the verifier; the second half is the key that wraps the keyring. So
// a stored verifier reveals nothing about the key.
func derive(secret string, salt []byte, p Params) (verifier []byte, kek Key) {
	out := argon2.IDKey([]byte(secret), salt, p.Time, p.Memory, p.Threads, 64)
	v := sha256.Sum256(out[:32])
	copy(kek[:], out[32:])
	clear(out)
	return v[:], kek
}

// NewLock makes a lock for secret with a fresh random salt, and returns
// it with the key it derives (to wrap the keyring with).
func NewLock(secret string, p Params) (Lock, Key) {
	salt := make([]byte, 16)
	rand.Read(salt)
	v, kek := derive(secret, salt, p)
	return Lock{Params: p, Salt: salt, Verifier: v}, kek
}

// NewDecoy makes a lock of the same shape and cost as a real one, for a
// secret nobody knows: stored where a lock may or may not be set, so that
// the files never tell whether it is.
func NewDecoy(p Params) Lock {
	var secret [32]byte
	rand.Read(secret[:])
	l, _ := NewLock(base64.RawStdEncoding.EncodeToString(secret[:]), p)
	return l
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

// ParseLock decodes a stored lock. Parameters out of bounds, a salt or
// verifier of the wrong size, or anything malformed gives ErrDamaged.
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
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return Lock{}, ErrDamaged
	}
	if t < 1 || t > MaxTime || m < 8*p || m > MaxMemory || p < 1 || p > MaxThreads || len(salt) < 16 || len(v) != sha256.Size {
		return Lock{}, ErrDamaged
	}
	return Lock{Params: Params{Time: uint32(t), Memory: uint32(m), Threads: uint8(p)}, Salt: salt, Verifier: v}, nil
}

// SubKey derives a key for one purpose from k (HKDF-SHA256), so that one
// key never serves two purposes.
func SubKey(k Key, purpose string) Key {
	out, err := hkdf.Key(sha256.New, k[:], nil, "waymark "+purpose, len(Key{}))
	if err != nil {
		panic(err) // only for lengths HKDF cannot give
	}
	var sk Key
	copy(sk[:], out)
	return sk
}

// Seal encrypts plaintext under key with a random nonce, binding it to ad
// (associated data: what the sealed value is, such as its record's id),
// so that it opens only under the same key and the same ad. The result is
// nonce and ciphertext together.
func Seal(key Key, plaintext, ad []byte) []byte {
	aead, _ := chacha20poly1305.NewX(key[:])
	nonce := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(plaintext)+aead.Overhead())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, plaintext, ad)
}

// Open decrypts what Seal made. A wrong key, another ad or changed data
// gives ErrDamaged.
func Open(key Key, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return nil, ErrDamaged
	}
	aead, _ := chacha20poly1305.NewX(key[:])
	out, err := aead.Open(nil, sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:], ad)
	if err != nil {
		return nil, ErrDamaged
	}
	return out, nil
}

// Overhead is how many bytes Seal adds to a plaintext.
const Overhead = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// Box seals records at rest under a data key: each record with its own
// associated data, and each named by a keyed hash, so that neither what a
// record is about nor its contents can be read without the key.
type Box struct {
	seal Key
	id   Key
}

// NewBox returns a box for the data key k.
func NewBox(k Key) *Box {
	return &Box{seal: SubKey(k, "at rest seal"), id: SubKey(k, "at rest id")}
}

// Seal seals plain, bound to ad.
func (b *Box) Seal(plain, ad []byte) []byte { return Seal(b.seal, plain, ad) }

// Open opens what Seal made with the same ad.
func (b *Box) Open(sealed, ad []byte) ([]byte, error) { return Open(b.seal, sealed, ad) }

// ID returns a 16-byte keyed hash of kind and name: a record's name that
// says nothing without the key.
func (b *Box) ID(kind, name string) []byte {
	m := hmac.New(sha256.New, b.id[:])
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(name))
	return m.Sum(nil)[:16]
}
