package syncapi

import (
	"crypto/rand"
	"errors"
	"strings"
)

// Alphabet is Crockford's base32, the alphabet of invite and pairing
// codes: no I, L, O or U, so nothing is misread, and typed codes forgive
// case, spaces, hyphens and the look-alikes (O for 0, I and L for 1).
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// ErrCode means a code has characters outside the alphabet.
var ErrCode = errors.New("not a valid code")

// RandomCode returns n random characters of the alphabet (5 bits each).
func RandomCode(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = Alphabet[b[i]&31]
	}
	return string(b)
}

// NormalizeCode returns a typed code as the alphabet spells it: upper
// case, without spaces or hyphens, look-alikes mapped.
func NormalizeCode(s string) (string, error) {
	var out strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(Alphabet, r) {
			return "", ErrCode
		}
		out.WriteRune(r)
	}
	return out.String(), nil
}

// FormatCode groups a code in fours with hyphens, to read aloud or type.
func FormatCode(s string) string {
	var out strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteRune(r)
	}
	return out.String()
}
