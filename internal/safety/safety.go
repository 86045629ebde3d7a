// Package safety holds the rules of the app lock, apart from any screen:
// how wrong tries are counted, how long to wait before the next one, when
// everything is erased, and which PINs are allowed. Every surface that
// accepts a secret (the lock screen, the calculator cover) goes through
// these rules, so none of them can be used to guess faster than another.
//
// A try is counted, and saved, before it is checked: closing the app
// while a secret is checked does not give a free guess. Waits are measured
// on a clock that the learner (or anyone else) cannot set, so moving the
// device's clock neither skips a wait nor extends it.
package safety

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

// Instant is a reading of a clock that no one can set: the time since the
// device started (Mono), and which start that was (Boot). Readings from
// the same Boot can be subtracted; readings from different boots cannot.
type Instant struct {
	Boot string
	Mono time.Duration
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

// Tries is the lock's memory of wrong tries: stored on the device, in
// plain text (it is needed before unlocking), and saved after every
// change.
type Tries struct {
	// Fails counts tries in a row that were not right, including a try
	// being checked now.
	Fails int
	// Wait is the whole wait set by the last counted try; it runs from
	// Start on the clock of Boot.
	Wait  time.Duration
	Boot  string
	Start time.Duration
}

// Left returns how long until the next try is taken, at now. It is never
// more than the wait that was set: a wait that began in another boot of
// the device (whose elapsed time cannot be known) restarts in full when
// Rebase is called, and so is still at most Wait.
func (t Tries) Left(now Instant) time.Duration {
	if t.Wait <= 0 {
		return 0
	}
	if now.Boot != t.Boot {
		return t.Wait
	}
	elapsed := now.Mono - t.Start
	if elapsed < 0 {
		// Not possible on one boot's clock; never extend the wait.
		elapsed = 0
	}
	return max(0, t.Wait-elapsed)
}

// Rebase moves a wait that began in another boot of the device onto this
// one, starting again at now. It reports whether t changed (and must be
// saved).
func (t Tries) Rebase(now Instant) (Tries, bool) {
	if t.Wait <= 0 || t.Boot == now.Boot {
		return t, false
	}
	t.Boot, t.Start = now.Boot, now.Mono
	return t, true
}

// Begin counts a try before it is checked. ok is false while a wait runs:
// the try is not taken and must not be checked. Otherwise next is the
// state to save before checking: the try counted as wrong, with the wait
// that follows if it is.
func (t Tries) Begin(now Instant) (next Tries, ok bool) {
	if t.Left(now) > 0 {
		return t, false
	}
	t.Fails++
	t.Wait, t.Boot, t.Start = Delay(t.Fails), now.Boot, now.Mono
	return t, true
}

// Right is the state after a right secret: no fails, no wait.
func (Tries) Right() Tries { return Tries{} }

// Erase reports whether, after a wrong try, everything must be erased:
// the learner chose to erase after eraseAfter wrong tries (0: never).
func (t Tries) Erase(eraseAfter int) bool { return eraseAfter > 0 && t.Fails >= eraseAfter }

// String encodes t for storage.
func (t Tries) String() string {
	if t == (Tries{}) {
		return ""
	}
	return fmt.Sprintf("%d:%d:%s:%d", t.Fails, t.Wait.Milliseconds(), t.Boot, t.Start.Milliseconds())
}

// ErrWaiting means a wait after wrong tries runs: the try was not taken,
// and the secret not checked.
var ErrWaiting = errors.New("wait before trying again")

// ErrDamaged means stored tries could not be read.
var ErrDamaged = errors.New("damaged lock state")

// ParseTries decodes what String made. Damaged state is read as the
// strictest that is still fair: as many fails as the longest wait needs,
// waiting in full.
func ParseTries(s string, now Instant) (Tries, error) {
	if s == "" {
		return Tries{}, nil
	}
	f := strings.Split(s, ":")
	var t Tries
	var err error
	if len(f) == 4 {
		var errs [3]error
		t.Fails, errs[0] = strconv.Atoi(f[0])
		var wait, start int64
		wait, errs[1] = strconv.ParseInt(f[1], 10, 64)
		start, errs[2] = strconv.ParseInt(f[3], 10, 64)
		t.Wait, t.Boot, t.Start = time.Duration(wait)*time.Millisecond, f[2], time.Duration(start)*time.Millisecond
		err = errors.Join(errs[:]...)
	}
	if len(f) != 4 || err != nil || t.Fails < 0 || t.Wait < 0 || t.Wait > Delay(1<<20) {
		return Tries{Fails: 8, Wait: Delay(8), Boot: now.Boot, Start: now.Mono}, ErrDamaged
	}
	return t, nil
}

// MinPINLength is the shortest PIN the app accepts.
const MinPINLength = 6

// MaxPINLength is the longest PIN the number pad takes.
const MaxPINLength = 10

// MinPassphraseLength is the shortest passphrase the app accepts, in
// characters.
const MinPassphraseLength = 10

// Kinds of secret.
const (
	KindPIN        = "pin"
	KindPassphrase = "passphrase"
)

// ReasonLength is the reason given for a PIN or passphrase that is too
// short or (a PIN) too long, beside learn's reasons.
const ReasonLength = "length"

// Acceptable reports whether secret may lock the app, and if not, why
// (learn.Reason… ids, or ReasonLength, for the interface to explain
// kindly). A PIN has MinPINLength to MaxPINLength digits and is not one
// of the codes people try first (repeats, runs, dates, the most common);
// a passphrase has at least MinPassphraseLength characters and is not
// weak.
func Acceptable(kind, secret string) (bool, []string) {
	switch kind {
	case KindPIN:
		if n := len(secret); n < MinPINLength || n > MaxPINLength {
			return false, []string{ReasonLength}
		}
		s, why := learn.PasscodeStrength(secret, "pin")
		if s == learn.Weak {
			return false, why
		}
		return true, nil
	case KindPassphrase:
		if len([]rune(secret)) < MinPassphraseLength {
			return false, []string{ReasonLength}
		}
		s, why := learn.PasscodeStrength(secret, "password")
		if s == learn.Weak {
			return false, why
		}
		return true, nil
	}
	return false, []string{learn.ReasonNotPIN}
}
