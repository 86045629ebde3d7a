package room

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net"
	"strconv"
	"strings"
)

// A session's join codes. The room code is 4 characters of Crockford's
// base32 (20 bits): a phone's browser needs only it, with the hub's
// address. A learner's app types the app code: the room code and 12
// characters more, the first 60 bits of the SHA-256 of the hub's TLS
// public key, which the app checks on every connection. So the app trusts
// the hub it was told of in the room, and no other machine on the Wi-Fi,
// without anyone typing a 44-character pin; a machine in the middle would
// need a key whose hash matches 60 bits (about 10^18 tries). Guessing the
// room code is slowed per address by the hub.
const (
	RoomCodeLen = 4
	AppCodeLen  = RoomCodeLen + fingerprintLen
	// fingerprintLen characters of 5 bits: 60 bits.
	fingerprintLen = 12
)

// The hub's ports, where it can have them: apps reach it over TLS at
// AppPort (the address they are given has no port), phones' browsers at
// PagePort over plain HTTP (a browser cannot pin a certificate, and would
// warn about a self-signed one).
const (
	AppPort  = 8443
	PagePort = 8080
)

// alphabet is Crockford's base32, as invite and pairing codes use.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// ErrAppCode means a typed app code is not one.
var ErrAppCode = errors.New("room: not an app join code")

// NewRoomCode returns a random room code.
func NewRoomCode() string {
	b := make([]byte, RoomCodeLen)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return string(b)
}

// Fingerprint returns the first 60 bits of a public key's SHA-256 (a pin's
// hash) as 12 characters of the alphabet.
func Fingerprint(keyHash [32]byte) string {
	var v uint64
	for _, b := range keyHash[:8] {
		v = v<<8 | uint64(b)
	}
	out := make([]byte, fingerprintLen)
	for i := range out {
		out[i] = alphabet[v>>(64-5*(i+1))&31]
	}
	return string(out)
}

// AppCode returns the code an app types: the room code, then the hub's
// fingerprint, in groups of four.
func AppCode(roomCode string, keyHash [32]byte) string {
	return dashes(roomCode + Fingerprint(keyHash))
}

// SplitAppCode normalises a typed app code and splits it into the room
// code and the hub's fingerprint.
func SplitAppCode(typed string) (roomCode, fingerprint string, err error) {
	c := Normalise(typed)
	if len(c) != AppCodeLen || strings.Trim(c, alphabet) != "" {
		return "", "", ErrAppCode
	}
	return c[:RoomCodeLen], c[RoomCodeLen:], nil
}

// FingerprintMatches reports, in constant time, whether keyHash has the
// fingerprint.
func FingerprintMatches(keyHash [32]byte, fingerprint string) bool {
	return subtle.ConstantTimeCompare([]byte(Fingerprint(keyHash)), []byte(fingerprint)) == 1
}

// Normalise spells a typed code as the alphabet does: upper case, without
// spaces or hyphens, O read as 0 and I or L as 1.
func Normalise(code string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		case 'o', 'O':
			return '0'
		case 'i', 'I', 'l', 'L':
			return '1'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// dashes puts a dash after every four characters, for reading aloud.
func dashes(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Reach says how devices reach a hub: the laptop's addresses on the local
// network (the likeliest first), its ports, and the session's codes.
type Reach struct {
	// Hosts are the laptop's addresses (without port).
	Hosts []string
	// AppPort and PagePort are where the hub listens (0: it does not).
	AppPort, PagePort int
	// AppCode is the code apps type (the room code and the hub's
	// fingerprint, grouped), RoomCode the code browsers type; both ""
	// with no session.
	AppCode, RoomCode string
	// Pin is the hub's certificate pin (sha256/...), for a QR code.
	Pin string
}

// Address is what an app types: the first host, with the port if it is
// not the usual one.
func (r Reach) Address() string {
	if len(r.Hosts) == 0 {
		return ""
	}
	if r.AppPort == AppPort {
		return r.Hosts[0]
	}
	return net.JoinHostPort(r.Hosts[0], strconv.Itoa(r.AppPort))
}

// PageAddress is what a phone's browser opens, to type in by hand:
// host:port, or the host alone on port 80.
func (r Reach) PageAddress() string {
	if len(r.Hosts) == 0 {
		return ""
	}
	if r.PagePort == 80 {
		return r.Hosts[0]
	}
	return net.JoinHostPort(r.Hosts[0], strconv.Itoa(r.PagePort))
}

// PageURL is the join page's address with the room code after # (read by
// the page, never sent to the hub in the URL): what the QR code holds.
func (r Reach) PageURL() string {
	if len(r.Hosts) == 0 {
		return ""
	}
	u := "http://" + r.PageAddress() + "/"
	if r.RoomCode != "" {
		u += "#" + r.RoomCode
	}
	return u
}
