package group

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// AttendanceClaim is what a member's app tells a trainer's hub as it
// joins a live session, so that the trainer's app can record that the
// member was there (consent item ItemAttendance): a hash of the session
// (its room code), the group's id and the member's id; only the member's
// devices and the group's trainers know both ids. The hub's room learns
// nothing from a claim it does not recognise: not the group, not the
// member, not whether it is one (a trainer's app recognises only its own
// groups' members). A claim is good for one session only: it cannot be
// replayed at a later one, and the same learner's claims at two sessions
// cannot be linked by anyone who does not know the ids. 22 characters of
// base64url (128 bits).
func AttendanceClaim(session, groupID, memberID string) string {
	h := sha256.New()
	h.Write([]byte("waymark attendance v2\x00"))
	h.Write([]byte(session))
	h.Write([]byte{0})
	h.Write([]byte(groupID))
	h.Write([]byte{0})
	h.Write([]byte(memberID))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// ClaimSep separates the claims of a learner in several groups, in the
// one claim field a session's join takes.
const ClaimSep = "."

// MaxClaims is the most claims one join carries (the room's join takes at
// most 256 characters of claim).
const MaxClaims = 10

// JoinClaims joins the claims of a learner's groups for a session's join,
// at most MaxClaims of them.
func JoinClaims(claims []string) string {
	if len(claims) > MaxClaims {
		claims = claims[:MaxClaims]
	}
	return strings.Join(claims, ClaimSep)
}

// SplitClaims is JoinClaims' inverse: the separate claims, at most
// MaxClaims, empty ones dropped.
func SplitClaims(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ClaimSep) {
		if c != "" && len(out) < MaxClaims {
			out = append(out, c)
		}
	}
	return out
}
