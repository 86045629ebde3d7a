package syncclient

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/waymark-app/waymark/internal/syncapi"
)

// A pairing code is 16 characters of Crockford base32, shown as
// XXXX-XXXX-XXXX-XXXX: the first 6 (30 bits) are the lookup, sent to the
// server to find the offer; the last 10 (50 bits) are the secret, which
// never leaves the two devices. Argon2id turns the secret into a proof
// (the server keeps only its SHA-256) and a key that seals the learner
// key. The server destroys an offer after 3 wrong proofs or 10 minutes,
// so guessing online is hopeless; a stolen copy of the database costs an
// attacker 2^49 Argon2id runs on average for one offer.
const (
	pairingCodeLen = 16
	pairingSecret  = pairingCodeLen - syncapi.LookupLen
)

// PairingParams are Argon2id's costs for pairing: as the PIN lock's
// (lockbox.DefaultParams: about 40 ms on a laptop, under half a second on
// a cheap phone). Changing them changes the protocol.
var PairingParams = struct {
	Time, Memory uint32
	Threads      uint8
}{Time: 2, Memory: 32 * 1024, Threads: 1}

// ErrPairingCode means a pairing code is not one: wrong length or
// characters.
var ErrPairingCode = errors.New("not a pairing code")

// ErrPairingBlob means the sealed blob does not open under the code: the
// wrong code, or a blob changed on the way.
var ErrPairingBlob = errors.New("the pairing blob does not open with this code")

// NewPairingCode returns a random pairing code, grouped for reading.
func NewPairingCode() string { return syncapi.FormatCode(syncapi.RandomCode(pairingCodeLen)) }

// SplitPairingCode normalises a typed code and splits it into its lookup
// and secret parts.
func SplitPairingCode(code string) (lookup, secret string, err error) {
	c, err := syncapi.NormalizeCode(code)
	if err != nil || len(c) != pairingCodeLen {
		return "", "", ErrPairingCode
	}
	return c[:syncapi.LookupLen], c[syncapi.LookupLen:], nil
}

// PairingKeys are what both devices derive from a code.
type PairingKeys struct {
	Lookup string
	// Proof is sent by the new device; Verifier (its SHA-256) by the
	// linked one.
	Proof, Verifier [32]byte
	// Key seals the blob; it never leaves the device.
	Key [32]byte
}

// DerivePairing derives the keys of a code: Argon2id over the secret, salted
// with the lookup, 64 bytes: the first half is the proof, the second the
// sealing key, so the proof (and its hash, which the server keeps) says
// nothing about the key.
func DerivePairing(code string) (PairingKeys, error) {
	lookup, secret, err := SplitPairingCode(code)
	if err != nil {
		return PairingKeys{}, err
	}
	salt := sha256.Sum256([]byte("waymark pairing v1\x00" + lookup))
	p := PairingParams
	out := argon2.IDKey([]byte(secret), salt[:16], p.Time, p.Memory, p.Threads, 64)
	k := PairingKeys{Lookup: lookup}
	copy(k.Proof[:], out[:32])
	copy(k.Key[:], out[32:])
	clear(out)
	k.Verifier = sha256.Sum256(k.Proof[:])
	return k, nil
}

// ad binds a blob to its lookup.
func (k PairingKeys) ad() []byte { return []byte("waymark pairing blob v1\x00" + k.Lookup) }

// Seal seals secret (the learner key) under the code's key:
// XChaCha20-Poly1305, a random 24-byte nonce first.
func (k PairingKeys) Seal(secret []byte) []byte {
	aead, _ := chacha20poly1305.NewX(k.Key[:])
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(secret)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return aead.Seal(nonce, nonce, secret, k.ad())
}

// Open opens what Seal made.
func (k PairingKeys) Open(blob []byte) ([]byte, error) {
	aead, _ := chacha20poly1305.NewX(k.Key[:])
	if len(blob) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrPairingBlob
	}
	out, err := aead.Open(nil, blob[:aead.NonceSize()], blob[aead.NonceSize():], k.ad())
	if err != nil {
		return nil, ErrPairingBlob
	}
	return out, nil
}

// Offer is a pairing offer made by a linked device: the code to show (as
// text and as a QR code) until Expires.
type Offer struct {
	Code    string
	Expires time.Time
}

// CreatePairing makes a pairing code for another device to join this
// learner, and leaves the offer on the server: the code's lookup, the
// proof's hash and secret sealed under the code. secret is the learner
// key (and whatever else the new device needs); it and the code's secret
// part never reach the server. A new offer replaces the learner's
// earlier one.
func (c *Conn) CreatePairing(ctx context.Context, secret []byte) (Offer, error) {
	for range 3 { // a lookup in use by another offer: a new code
		code := NewPairingCode()
		k, err := DerivePairing(code)
		if err != nil {
			return Offer{}, err
		}
		var out syncapi.PairingOffered
		err = c.callJSON(ctx, "create pairing", http.MethodPost, syncapi.PathPairings,
			syncapi.PairingOffer{Lookup: k.Lookup, Verifier: k.Verifier[:], Blob: k.Seal(secret)}, &out, true)
		if CodeOf(err) == syncapi.CodePairingBusy {
			continue
		}
		if err != nil {
			return Offer{}, err
		}
		return Offer{Code: code, Expires: out.Expires}, nil
	}
	return Offer{}, &Error{Op: "create pairing", Status: http.StatusConflict, Code: syncapi.CodePairingBusy, Message: "no free pairing code after 3 tries"}
}

// Paired is what a new device gets by pairing: its id and token (which
// the Conn now uses and the caller must keep) and the opened secret.
type Paired struct {
	Device string
	Token  string
	Secret []byte
}

// Pair joins this device to the learner whose device shows code. label is
// this device's sealed label. A wrong, used or expired code is an Error
// with syncapi.CodePairingFailed.
func (c *Conn) Pair(ctx context.Context, code string, label []byte) (Paired, error) {
	k, err := DerivePairing(code)
	if err != nil {
		return Paired{}, fmt.Errorf("pair: %w", err)
	}
	var out syncapi.Enrolled
	if err := c.callJSON(ctx, "pair", http.MethodPost, syncapi.PathPair, syncapi.PairRequest{Lookup: k.Lookup, Proof: k.Proof[:], Label: label}, &out, false); err != nil {
		return Paired{}, err
	}
	secret, err := k.Open(out.Blob)
	if err != nil {
		// The server gave a token but the blob is not the offer's: this
		// device joined, but without the key it cannot read anything.
		return Paired{}, fmt.Errorf("pair: %w", err)
	}
	c.SetToken(out.Token)
	return Paired{Device: out.Device, Token: out.Token, Secret: secret}, nil
}
