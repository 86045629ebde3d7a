package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
)

// Settings that keep the learner safe. Stored on the device only.
const (
	prefLockMain   = "lock.main"        // the PIN or passphrase's lock (lockbox.Lock)
	prefLockSafe   = "lock.safe"        // the safe-profile PIN's lock
	prefLockKind   = "lock.kind"        // "pin" or "passphrase"
	prefDataKey    = "lock.key"         // the notes' data key: locked by the PIN, or plain
	prefFails      = "lock.fails"       // wrong tries in a row
	prefWaitUntil  = "lock.wait"        // Unix ms before which no try is taken
	prefEraseAfter = "lock.erase_after" // erase everything after this many wrong tries ("" off)
	prefIdle       = "lock.idle"        // lock after this many idle minutes ("0" never)
	prefQuickExit  = "quick_exit"       // "cover" (a calculator) or "close"
	prefDiscreet   = "discreet"         // "0": show the app's name in the window title
	prefNickname   = "nickname"
)

// security is what the interface knows about the lock. The data key is
// in memory only while the app is unlocked.
type security struct {
	main, safe *lockbox.Lock
	dataKey    lockbox.Key
	haveKey    bool
	// safeMode is the harmless profile the safe-profile PIN opens:
	// English practice only, nothing remembered.
	safeMode bool
	locked   bool
	covered  bool
	params   lockbox.Params

	mu         sync.Mutex
	lastActive time.Time
	awayAt     time.Time
}

// loadSecurity reads the locks from the settings, and the data key when no
// PIN protects it (making one on first use).
func (u *UI) loadSecurity() {
	s := &u.sec
	s.main, s.safe = nil, nil
	if l, err := lockbox.ParseLock(u.prefs[prefLockMain]); err == nil {
		s.main = &l
	}
	if l, err := lockbox.ParseLock(u.prefs[prefLockSafe]); err == nil && s.main != nil {
		s.safe = &l
	}
	if s.main == nil {
		s.dataKey, s.haveKey = u.plainDataKey()
	}
}

// plainDataKey returns the data key stored without a PIN, making and
// storing one if there is none yet.
func (u *UI) plainDataKey() (lockbox.Key, bool) {
	if k, ok := lockbox.ParsePlainKey(u.prefs[prefDataKey]); ok {
		return k, true
	}
	k := lockbox.NewKey()
	u.setPrefs(map[string]string{prefDataKey: lockbox.PlainKey(k)})
	return k, true
}

// hasPIN reports whether a PIN or passphrase locks the app.
func (u *UI) hasPIN() bool { return u.sec.main != nil }

// touch notes that the learner did something, for the idle lock.
func (u *UI) touch() {
	u.sec.mu.Lock()
	u.sec.lastActive = u.now()
	u.sec.mu.Unlock()
}

// idleFor returns how long the learner has done nothing.
func (u *UI) idleFor() time.Duration {
	u.sec.mu.Lock()
	defer u.sec.mu.Unlock()
	return u.now().Sub(u.sec.lastActive)
}

// idleLimit is the learner's choice of idle time before the app locks.
func (u *UI) idleLimit() time.Duration {
	n, err := strconv.Atoi(u.prefs[prefIdle])
	if err != nil {
		n = 5 // the default when a PIN is set: five quiet minutes
	}
	return time.Duration(n) * time.Minute
}

// watchIdle locks the app after the chosen idle time, until ctx ends.
func (u *UI) watchIdle(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			u.do(func() {
				if u.hasPIN() && !u.sec.locked && !u.sec.covered && u.idleLimit() > 0 && u.idleFor() >= u.idleLimit() {
					u.lock()
				}
			})
		}
	}
}

// onBackground runs when the app leaves the screen: everything queued is
// written, and on a phone the app locks at once. On a laptop, where
// switching windows is common, it locks if the learner was away a while.
func (u *UI) onBackground() {
	u.rec.Flush(2 * time.Second)
	u.sec.awayAt = u.now()
	if u.hasPIN() && u.mobile() {
		u.lock()
	}
}

func (u *UI) onForeground() {
	if u.hasPIN() && !u.sec.awayAt.IsZero() && u.now().Sub(u.sec.awayAt) >= time.Minute {
		u.lock()
	}
	u.sec.awayAt = time.Time{}
	u.touch()
}

// lock forgets everything sensitive and shows the lock screen: the screen
// that was showing is dropped, not hidden, and the data key is wiped.
func (u *UI) lock() {
	if !u.hasPIN() {
		return
	}
	u.forgetScreen()
	u.sec.dataKey, u.sec.haveKey = lockbox.Key{}, false
	u.sec.locked = true
	u.showLock()
}

// forgetScreen drops the current screen and anything that would bring it
// back, so nothing sensitive stays in the window.
func (u *UI) forgetScreen() {
	u.rebuild, u.current = nil, nil
	u.body.Objects = nil
	u.body.Refresh()
	u.notice.Objects = nil
	u.notice.Refresh()
}

// unlockResult says which lock a secret opened.
type unlockResult int

const (
	unlockWrong unlockResult = iota
	unlockMain
	unlockSafe
)

// tryUnlock checks secret against both locks at once, off the interface
// goroutine, and calls done on it with the result and the key. Both
// locks are always checked, a dummy standing in for a missing safe
// profile, so how long a check takes never tells whether one exists.
func (u *UI) tryUnlock(secret string, done func(unlockResult, lockbox.Key)) {
	main, safe := u.sec.main, u.sec.safe
	dummy := safe == nil
	if dummy && main != nil {
		l, _ := lockbox.NewLock("", main.Params)
		safe = &l
	}
	go func() {
		var wg sync.WaitGroup
		var mainKey lockbox.Key
		var mainErr, safeErr error = lockbox.ErrWrong, lockbox.ErrWrong
		wg.Add(2)
		go func() {
			defer wg.Done()
			if main != nil {
				mainKey, mainErr = main.Check(secret)
			}
		}()
		go func() {
			defer wg.Done()
			if safe != nil {
				_, safeErr = safe.Check(secret)
			}
		}()
		wg.Wait()
		res := unlockWrong
		switch {
		case mainErr == nil:
			res = unlockMain
		case safeErr == nil && !dummy:
			res = unlockSafe
		}
		u.do(func() { done(res, mainKey) })
	}()
}

// unlocked opens the app after the right secret.
func (u *UI) unlocked(res unlockResult, kek lockbox.Key) bool {
	switch res {
	case unlockMain:
		dk, err := lockbox.UnwrapKey(kek, u.prefs[prefDataKey])
		if err != nil {
			u.d.Log.Error("data key could not be unlocked")
			return false
		}
		u.sec.dataKey, u.sec.haveKey = dk, true
		if u.sec.safeMode {
			u.leaveSafeMode()
		}
	case unlockSafe:
		u.enterSafeMode()
	default:
		return false
	}
	u.sec.locked, u.sec.covered = false, false
	u.setPrefs(map[string]string{prefFails: "", prefWaitUntil: ""})
	u.touch()
	u.setTitle()
	u.showHome()
	return true
}

// wrongTry counts a wrong PIN: the wait before the next try grows, and
// if the learner chose it, everything is erased after too many.
func (u *UI) wrongTry() (wait time.Duration, erased bool) {
	fails, _ := strconv.Atoi(u.prefs[prefFails])
	fails++
	if limit, err := strconv.Atoi(u.prefs[prefEraseAfter]); err == nil && limit > 0 && fails >= limit {
		u.eraseEverything()
		return 0, true
	}
	wait = lockbox.Delay(fails)
	until := ""
	if wait > 0 {
		until = strconv.FormatInt(u.now().Add(wait).UnixMilli(), 10)
	}
	u.setPrefs(map[string]string{prefFails: strconv.Itoa(fails), prefWaitUntil: until})
	return wait, false
}

// waitLeft returns how long until the next try is taken.
func (u *UI) waitLeft() time.Duration {
	ms, err := strconv.ParseInt(u.prefs[prefWaitUntil], 10, 64)
	if err != nil {
		return 0
	}
	return max(0, time.UnixMilli(ms).Sub(u.now()))
}

// setSecret locks the app with a new PIN or passphrase (kind "pin" or
// "passphrase"), or changes it. The notes' data key is locked again under
// it; notes themselves are untouched. Runs the derivation off the
// interface goroutine and calls done on it.
func (u *UI) setSecret(kind, secret string, done func()) {
	dk := u.sec.dataKey
	go func() {
		l, kek := lockbox.NewLock(secret, u.sec.params)
		wrapped := lockbox.WrapKey(kek, dk)
		u.do(func() {
			u.sec.main = &l
			u.setPrefs(map[string]string{prefLockMain: l.String(), prefLockKind: kind, prefDataKey: wrapped, prefFails: "", prefWaitUntil: ""})
			done()
		})
	}()
}

// removeSecret turns the lock off. The data key is then stored plain: the
// notes are protected only by the device, and the journey says so. The
// safe profile goes too: without a lock it cannot open.
func (u *UI) removeSecret() {
	u.sec.main, u.sec.safe = nil, nil
	u.setPrefs(map[string]string{prefLockMain: "", prefLockKind: "", prefLockSafe: "", prefDataKey: lockbox.PlainKey(u.sec.dataKey)})
}

// setSafePIN sets the safe-profile PIN.
func (u *UI) setSafePIN(pin string, done func()) {
	go func() {
		l, _ := lockbox.NewLock(pin, u.sec.params)
		u.do(func() {
			u.sec.safe = &l
			u.setPrefs(map[string]string{prefLockSafe: l.String()})
			done()
		})
	}()
}

func (u *UI) removeSafePIN() {
	u.sec.safe = nil
	u.setPrefs(map[string]string{prefLockSafe: ""})
}

// enterSafeMode opens the harmless profile: the English practice track
// only, with no journey, no history and no help screens, and nothing
// written to the device. It looks like any first start.
func (u *UI) enterSafeMode() {
	u.sec.safeMode = true
	u.sec.haveKey = false
	u.full = fullState{course: u.d.Course, progress: u.progress}
	safe := &learn.Course{Lessons: map[string]*learn.Lesson{}, Facts: u.d.Course.Facts, Languages: u.d.Course.Languages}
	for _, t := range u.d.Course.Tracks {
		if t.ID != "english" {
			continue
		}
		safe.Tracks = append(safe.Tracks, t)
		for _, l := range u.d.Course.TrackLessons(t) {
			safe.Lessons[l.ID] = l
		}
	}
	u.d.Course = safe
	u.progress = learn.NewProgress()
}

func (u *UI) leaveSafeMode() {
	u.sec.safeMode = false
	u.d.Course, u.progress = u.full.course, u.full.progress
	u.full = fullState{}
}

// fullState keeps the real course and progress while the safe profile is
// open.
type fullState struct {
	course   *learn.Course
	progress *learn.Progress
}

// eraseEverything deletes all the learner's data, on the writer goroutine
// after everything queued, and starts again as a new install.
func (u *UI) eraseEverything() {
	u.forgetScreen()
	u.sec = security{params: u.sec.params}
	u.rec.wipe(u.d.Wipe, func(err error) {
		u.do(func() {
			if err != nil {
				u.d.Log.Error("erase failed", "err", err)
			}
			u.prefs = map[string]string{}
			u.progress = learn.NewProgress()
			u.loadSecurity()
			u.setLocalizer(u.language())
			u.applyTheme()
			u.setTitle()
			u.showWelcome()
		})
	})
}
