package lockbox

import (
	"encoding/base64"
	"strings"
)

// Keyring is what the PIN or passphrase wraps: the key to the device's
// record, and a flag only its owner may read. (The learner key, which
// seals the learner's events on the wire and is the same on all their
// devices, is kept inside the record, sealed under Data like the rest.)
type Keyring struct {
	// Data seals everything this device keeps at rest. Each device has its
	// own, and a new one whenever the PIN or passphrase changes.
	Data Key
	// SafeProfile says whether the safe-profile lock stored beside the
	// main one is real or a decoy: only someone who opened the main lock
	// can tell.
	SafeProfile bool
}

// NewKeyring returns a keyring with a new random data key.
func NewKeyring() Keyring { return Keyring{Data: NewKey()} }

const (
	ringVersion = 1
	ringPlain   = "ring1-plain$"
	ringSealed  = "ring1-sealed$"
	// ringAD binds a wrapped keyring to what it is.
	ringAD = "waymark keyring v1"
)

// ringSize is a keyring's size: a version, a key and a flags byte.
const ringSize = 1 + len(Key{}) + 1

func (r Keyring) marshal() []byte {
	b := make([]byte, 0, ringSize)
	b = append(b, ringVersion)
	b = append(b, r.Data[:]...)
	var flags byte
	if r.SafeProfile {
		flags |= 1
	}
	return append(b, flags)
}

func unmarshalRing(b []byte) (Keyring, error) {
	var r Keyring
	if len(b) != ringSize || b[0] != ringVersion {
		return r, ErrDamaged
	}
	copy(r.Data[:], b[1:33])
	r.SafeProfile = b[33]&1 != 0
	if r.Data.IsZero() {
		return r, ErrDamaged
	}
	return r, nil
}

// Plain encodes the keyring for storage with no secret: anyone with the
// files can read it. Use it only while no PIN or passphrase is set.
func (r Keyring) Plain() string {
	b := r.marshal()
	defer clear(b)
	return ringPlain + base64.RawStdEncoding.EncodeToString(b)
}

// Wrap encodes the keyring sealed under kek, the key a PIN or passphrase
// derives (Lock.Check).
func (r Keyring) Wrap(kek Key) string {
	b := r.marshal()
	defer clear(b)
	return ringSealed + base64.RawStdEncoding.EncodeToString(Seal(kek, b, []byte(ringAD)))
}

// IsPlainRing reports whether a stored keyring is stored with no secret.
func IsPlainRing(stored string) bool { return strings.HasPrefix(stored, ringPlain) }

// OpenRing decodes a stored keyring: a plain one with kek nil, a wrapped
// one with the key its secret derives. A wrapped keyring without kek, a
// plain one with it, or anything damaged gives ErrDamaged.
func OpenRing(stored string, kek *Key) (Keyring, error) {
	switch {
	case kek == nil && strings.HasPrefix(stored, ringPlain):
		b, err := base64.RawStdEncoding.DecodeString(stored[len(ringPlain):])
		if err != nil {
			return Keyring{}, ErrDamaged
		}
		defer clear(b)
		return unmarshalRing(b)
	case kek != nil && strings.HasPrefix(stored, ringSealed):
		sealed, err := base64.RawStdEncoding.DecodeString(stored[len(ringSealed):])
		if err != nil {
			return Keyring{}, ErrDamaged
		}
		b, err := Open(*kek, sealed, []byte(ringAD))
		if err != nil {
			return Keyring{}, err
		}
		defer clear(b)
		return unmarshalRing(b)
	}
	return Keyring{}, ErrDamaged
}

// Legacy formats, read only to bring data from version 0.1.0 forward: the
// data key was stored as "plain$…" or wrapped without associated data, and
// notes were sealed one by one, base64-encoded.

// ParseLegacyKey decodes a 0.1.0 data key: plain, or wrapped under kek.
func ParseLegacyKey(stored string, kek *Key) (Key, error) {
	var raw []byte
	var err error
	if rest, ok := strings.CutPrefix(stored, "plain$"); ok {
		raw, err = base64.RawStdEncoding.DecodeString(rest)
	} else if kek != nil {
		raw, err = OpenLegacy(*kek, stored)
	} else {
		return Key{}, ErrDamaged
	}
	if err != nil || len(raw) != len(Key{}) {
		return Key{}, ErrDamaged
	}
	var k Key
	copy(k[:], raw)
	clear(raw)
	return k, nil
}

// OpenLegacy opens a 0.1.0 sealed note (base64, no associated data).
func OpenLegacy(key Key, sealed string) ([]byte, error) {
	data, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, ErrDamaged
	}
	return Open(key, data, nil)
}

// IsLegacyKey reports whether a stored value is a 0.1.0 data key.
func IsLegacyKey(stored string) bool {
	return stored != "" && !strings.HasPrefix(stored, "ring1-")
}
