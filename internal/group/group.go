// Package group is what a learner shares with a trainer's group, and how:
// the consent (exactly what is shared, item by item), the share built from
// the learner's progress under it, sealed to the group's public key so
// that the server relaying it cannot read it, the join and co-trainer
// codes (a lookup for the server and a secret it never sees), and the
// dashboard's rules (who needs help, and why).
//
// A group's key pair is X25519. Its private key lives only in the
// trainers' profiles; its public key reaches a learner's device only
// inside the join code's sealed blob, which a server cannot forge without
// the code's secret, so a server can neither read a share nor make a
// learner seal one to a key of its own.
package group

import (
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/rand"
	"errors"
	"fmt"
)

// Errors of this package.
var (
	// ErrSeal means a sealed share, invitation or key does not open: the
	// wrong key or code, another group or member, or changed bytes.
	ErrSeal = errors.New("does not open")
	// ErrInvalid means a share or a code is not what it should be.
	ErrInvalid = errors.New("invalid")
)

// PrivateKey is a group's X25519 private key: held by its trainers only.
type PrivateKey [32]byte

// PublicKey is a group's X25519 public key: learners seal shares to it.
type PublicKey [32]byte

// NewKey makes a new key pair for a group.
func NewKey() PrivateKey {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	var out PrivateKey
	copy(out[:], k.Bytes())
	return out
}

// Public returns the key's public half.
func (k PrivateKey) Public() PublicKey {
	priv, err := ecdh.X25519().NewPrivateKey(k[:])
	if err != nil {
		panic(err) // every 32 bytes are an X25519 private key
	}
	var out PublicKey
	copy(out[:], priv.PublicKey().Bytes())
	return out
}

// The HPKE suite shares are sealed with (RFC 9180, base mode):
// DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
var (
	kdf  = hpke.HKDFSHA256()
	aead = hpke.ChaCha20Poly1305()
)

// shareInfo is HPKE's info: what the key schedule is for.
var shareInfo = []byte("waymark share v1")

// shareVersion is a sealed share's first byte.
const shareVersion = 1

// encSize is the size of HPKE's encapsulated key for X25519.
const encSize = 32

// shareAD binds a sealed share to its group and member: a server that
// moves a share to another member, or into another group, makes it fail
// to open.
func shareAD(groupID, memberID string) []byte {
	return fmt.Appendf(nil, "waymark share v1\x00%s\x00%s", groupID, memberID)
}

// seal seals plain to pub for (group, member): a version byte, HPKE's
// encapsulated key, and the ciphertext.
func seal(pub PublicKey, groupID, memberID string, plain []byte) ([]byte, error) {
	pk, err := hpke.DHKEM(ecdh.X25519()).NewPublicKey(pub[:])
	if err != nil {
		return nil, fmt.Errorf("seal share: %w", ErrInvalid)
	}
	enc, sender, err := hpke.NewSender(pk, kdf, aead, shareInfo)
	if err != nil {
		return nil, fmt.Errorf("seal share: %w", err)
	}
	ct, err := sender.Seal(shareAD(groupID, memberID), plain)
	if err != nil {
		return nil, fmt.Errorf("seal share: %w", err)
	}
	out := make([]byte, 0, 1+len(enc)+len(ct))
	out = append(out, shareVersion)
	out = append(out, enc...)
	return append(out, ct...), nil
}

// open opens what seal made.
func open(priv PrivateKey, groupID, memberID string, blob []byte) ([]byte, error) {
	if len(blob) < 1+encSize+16 || blob[0] != shareVersion {
		return nil, fmt.Errorf("open share: %w", ErrSeal)
	}
	sk, err := hpke.DHKEM(ecdh.X25519()).NewPrivateKey(priv[:])
	if err != nil {
		return nil, fmt.Errorf("open share: %w", ErrSeal)
	}
	r, err := hpke.NewRecipient(blob[1:1+encSize], sk, kdf, aead, shareInfo)
	if err != nil {
		return nil, fmt.Errorf("open share: %w", ErrSeal)
	}
	plain, err := r.Open(shareAD(groupID, memberID), blob[1+encSize:])
	if err != nil {
		return nil, fmt.Errorf("open share: %w", ErrSeal)
	}
	return plain, nil
}
