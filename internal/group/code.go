package group

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/waymark-app/waymark/internal/syncapi"
)

// A join code or a co-trainer code is 16 characters of Crockford base32,
// shown XXXX-XXXX-XXXX-XXXX, like a pairing code: the first 6 (30 bits)
// are the lookup, sent to the server; the last 10 (50 bits) are the
// secret, which never leaves the devices. Argon2id turns the secret into
// a proof (the server keeps only its SHA-256, and counts wrong ones) and
// a key that seals the blob: the group's public key, id and name for a
// join code, its private key for a co-trainer code. A server that does
// not know the secret can neither read the blob nor make one the
// learner's device accepts.
const (
	codeLen = 16
	// LookupLen is the length of a code's lookup part.
	LookupLen = syncapi.LookupLen
)

// CodeParams are Argon2id's costs for codes, as pairing's. Changing them
// changes the protocol.
var CodeParams = struct {
	Time, Memory uint32
	Threads      uint8
}{Time: 2, Memory: 32 * 1024, Threads: 1}

// Purpose says what a code is for: it salts the derivation and binds the
// blob, so a code of one kind never works as the other.
type Purpose string

// The kinds of code.
const (
	// Join codes let a learner join a group.
	Join Purpose = "join"
	// CoTrainer codes give another trainer a group's private key.
	CoTrainer Purpose = "cotrainer"
)

// NewCode returns a random code, grouped for reading.
func NewCode() string { return syncapi.FormatCode(syncapi.RandomCode(codeLen)) }

// Keys are what both sides derive from a code.
type Keys struct {
	Purpose Purpose
	Lookup  string
	// Proof is sent by the one using the code; Verifier (its SHA-256) by
	// the one who made it.
	Proof, Verifier [32]byte
	// Key seals the blob; it never leaves the devices.
	Key [32]byte
}

// Derive normalises a typed code and derives its keys for purpose. A
// code of the wrong length or characters gives ErrInvalid.
func Derive(p Purpose, code string) (Keys, error) {
	c, err := syncapi.NormalizeCode(code)
	if err != nil || len(c) != codeLen {
		return Keys{}, fmt.Errorf("code: %w", ErrInvalid)
	}
	lookup, secret := c[:LookupLen], c[LookupLen:]
	salt := sha256.Sum256([]byte("waymark " + string(p) + " v1\x00" + lookup))
	cp := CodeParams
	out := argon2.IDKey([]byte(secret), salt[:16], cp.Time, cp.Memory, cp.Threads, 64)
	k := Keys{Purpose: p, Lookup: lookup}
	copy(k.Proof[:], out[:32])
	copy(k.Key[:], out[32:])
	clear(out)
	k.Verifier = sha256.Sum256(k.Proof[:])
	return k, nil
}

func (k Keys) ad() []byte { return []byte("waymark " + string(k.Purpose) + " blob v1\x00" + k.Lookup) }

func (k Keys) seal(v any) []byte {
	plain, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own types always marshal
	}
	defer clear(plain)
	aead, _ := chacha20poly1305.NewX(k.Key[:])
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return aead.Seal(nonce, nonce, plain, k.ad())
}

func (k Keys) open(blob []byte, v any) error {
	aead, _ := chacha20poly1305.NewX(k.Key[:])
	if len(blob) < aead.NonceSize()+aead.Overhead() {
		return fmt.Errorf("code blob: %w", ErrSeal)
	}
	plain, err := aead.Open(nil, blob[:aead.NonceSize()], blob[aead.NonceSize():], k.ad())
	if err != nil {
		return fmt.Errorf("code blob: %w", ErrSeal)
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("code blob: %w", ErrInvalid)
	}
	return nil
}

// Info is what a learner learns of a group from its join code: its id on
// the server, its name (the trainer's words: "Tuesday group, St Mark's")
// and its public key.
type Info struct {
	ID     string    `json:"g"`
	Name   string    `json:"n"`
	Public PublicKey `json:"k"`
}

// MaxName is the longest group name, in characters.
const MaxName = 60

// SealInfo seals a group's Info under a join code's key.
func (k Keys) SealInfo(i Info) []byte { return k.seal(i) }

// OpenInfo opens a join code's blob.
func (k Keys) OpenInfo(blob []byte) (Info, error) {
	var i Info
	if err := k.open(blob, &i); err != nil {
		return Info{}, err
	}
	if i.ID == "" || i.Name == "" || len([]rune(i.Name)) > MaxName || i.Public == (PublicKey{}) {
		return Info{}, fmt.Errorf("code blob: %w", ErrInvalid)
	}
	return i, nil
}

// Keyed is a group with its private key: what a co-trainer receives.
type Keyed struct {
	ID      string     `json:"g"`
	Name    string     `json:"n"`
	Private PrivateKey `json:"k"`
}

// SealKeyed seals a group and its private key under a co-trainer code's
// key.
func (k Keys) SealKeyed(g Keyed) []byte { return k.seal(g) }

// OpenKeyed opens a co-trainer code's blob.
func (k Keys) OpenKeyed(blob []byte) (Keyed, error) {
	var g Keyed
	if err := k.open(blob, &g); err != nil {
		return Keyed{}, err
	}
	if g.ID == "" || g.Name == "" || g.Private == (PrivateKey{}) {
		return Keyed{}, fmt.Errorf("code blob: %w", ErrInvalid)
	}
	return g, nil
}

// CleanName trims a group's name and checks it: 1 to MaxName printable
// characters. It returns ErrInvalid otherwise.
func CleanName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	n := utf8.RuneCountInString(s)
	if n == 0 || n > MaxName {
		return "", fmt.Errorf("group name: %w", ErrInvalid)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return "", fmt.Errorf("group name: %w", ErrInvalid)
		}
	}
	return s, nil
}
