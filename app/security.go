package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/safety"
)

// Settings that keep the learner safe. They are plain, on the device
// only: the app needs them before it is unlocked. None says anything
// about the learner; the keyring is wrapped under the secret once one is
// set.
const (
	prefLockMain   = "lock.main"        // the PIN or passphrase's lock (lockbox.Lock)
	prefLockSafe   = "lock.safe"        // the safe-profile lock, or a decoy of the same shape: stored whenever lock.main is
	prefLockKind   = "lock.kind"        // "pin" or "passphrase"
	prefKeyring    = "keyring"          // the device's keys: wrapped under the secret, or plain with none
	prefTries      = "lock.tries"       // wrong tries and the wait (safety.Tries)
	prefEraseAfter = "lock.erase_after" // erase everything after this many wrong tries ("" off)
	prefIdle       = "lock.idle"        // lock after this many idle minutes ("0" never)
	prefQuickExit  = "quick_exit"       // "cover" (a calculator) or "close"
	prefDiscreet   = "discreet"         // "0": show the app's name in the window title
)

// Settings of version 0.1, read once to bring an install forward.
const (
	prefLegacyKey   = "lock.key"
	prefLegacyFails = "lock.fails"
	prefLegacyWait  = "lock.wait"
)

// security is what the interface knows about the lock. The keys are in
// memory only while the real record is open.
type security struct {
	main *lockbox.Lock // nil: no secret is set
	safe lockbox.Lock  // the safe-profile lock or its decoy (when main is set)
	ring lockbox.Keyring
	// kek is the key the secret derives, kept while the record is open so
	// that the keyring can be stored again (the safe profile's flag)
	// without asking for the secret; nil with no secret.
	kek  *lockbox.Key
	open bool // the real record is unlocked
	// safeMode is the harmless profile the safe-profile PIN opens:
	// English practice only, nothing remembered.
	safeMode bool
	locked   bool
	covered  bool
	checking bool // a secret is being checked
	params   lockbox.Params
	tries    safety.Tries

	mu         sync.Mutex
	lastActive time.Time
	awayAt     time.Time
}

// loadSecurity reads the locks and the tries from the settings. A lock
// that cannot be read is kept as a lock that nothing opens, never as no
// lock.
func (u *UI) loadSecurity() {
	s := &u.sec
	s.main = nil
	if v := u.prefs[prefLockMain]; v != "" {
		l, err := lockbox.ParseLock(v)
		if err != nil {
			u.d.Log.Error("the app lock could not be read")
			l = lockbox.NewDecoy(u.sec.params)
		}
		s.main = &l
		s.safe = lockbox.NewDecoy(u.sec.params)
		if sl, err := lockbox.ParseLock(u.prefs[prefLockSafe]); err == nil {
			s.safe = sl
		}
	}
	now := u.mono()
	t, err := safety.ParseTries(u.prefs[prefTries], now)
	if err != nil {
		u.d.Log.Error("the lock's count of tries could not be read; waiting in full")
	}
	if legacy := u.prefs[prefLegacyFails]; legacy != "" {
		// 0.1 counted tries elsewhere: carry the count, and wait afresh.
		if n, err := strconv.Atoi(legacy); err == nil && n > t.Fails {
			t = safety.Tries{Fails: n, Wait: safety.Delay(n), Boot: now.Boot, Start: now.Mono}
		}
	}
	rebased, changed := t.Rebase(now)
	s.tries = rebased
	if changed {
		u.saveTries() // the wait restarted on this boot's clock: keep it so
	}
}

// hasPIN reports whether a PIN or passphrase locks the app (in the safe
// profile: whether it seems to).
func (u *UI) hasPIN() bool { return u.sec.main != nil }

// mono reads the clock no one can set.
func (u *UI) mono() safety.Instant { return u.d.Mono() }

// openWithoutSecret opens the record at start-up when no secret is set:
// with the keyring stored plain, or a new one on a new install, or by
// bringing a 0.1 install forward.
func (u *UI) openWithoutSecret(ctx context.Context) (*learn.Progress, lockbox.Keyring, error) {
	var ring lockbox.Keyring
	prefs := map[string]string{}
	switch stored := u.prefs[prefKeyring]; {
	case stored != "":
		r, err := lockbox.OpenRing(stored, nil)
		if err != nil {
			return nil, ring, err
		}
		ring = r
	default:
		ring = lockbox.NewKeyring()
		prefs[prefKeyring] = ring.Plain()
	}
	p, _, err := u.unlockRecord(ctx, ring, nil, prefs)
	return p, ring, err
}

// unlockRecord gives the store the data key and reads the record. If the
// store holds a 0.1 record it is sealed now, with legacyKEK opening 0.1's
// data key (nil when 0.1 had no PIN), in one transaction with prefs; short
// reports that 0.1's PIN may be shorter than this version allows. It reads
// u.prefs, which only the interface goroutine writes, and changes nothing
// of u: it runs off the interface goroutine.
func (u *UI) unlockRecord(ctx context.Context, ring lockbox.Keyring, legacyKEK *lockbox.Key, prefs map[string]string) (p *learn.Progress, short bool, err error) {
	box := lockbox.NewBox(ring.Data)
	legacy, err := u.d.Store.Legacy(ctx)
	if err != nil {
		return nil, false, err
	}
	if !legacy {
		if len(prefs) > 0 {
			if err := u.d.Store.SetPrefs(ctx, prefs); err != nil {
				return nil, false, err
			}
		}
		if err := u.d.Store.Unlock(ctx, box); err != nil {
			return nil, false, err
		}
	} else {
		var old lockbox.Key
		if v := u.prefs[prefLegacyKey]; v != "" {
			k, err := lockbox.ParseLegacyKey(v, legacyKEK)
			if err != nil {
				return nil, false, err
			}
			old = k
		}
		openNote := func(sealed string) (string, error) {
			b, err := lockbox.OpenLegacy(old, sealed)
			return string(b), err
		}
		up := map[string]string{prefLegacyKey: "", prefLegacyFails: "", prefLegacyWait: ""}
		for k, v := range prefs {
			up[k] = v
		}
		if _, ok := up[prefKeyring]; !ok {
			// The data key 0.1 stored (plain, or under the PIN) gives way to a
			// new keyring, stored as the secret allows.
			if legacyKEK != nil {
				up[prefKeyring] = ring.Wrap(*legacyKEK)
			} else {
				up[prefKeyring] = ring.Plain()
			}
		}
		if err := u.d.Store.Upgrade(ctx, box, openNote, up); err != nil {
			return nil, false, err
		}
		short = legacyKEK != nil && u.prefs[prefLockKind] != safety.KindPassphrase // 0.1 allowed 4-digit PINs
	}
	p, err = u.d.Store.Progress(ctx)
	return p, short, err
}

// unlockResult says what a secret did.
type unlockResult int

const (
	unlockWrong   unlockResult = iota
	unlockMain                 // the real record is open
	unlockSafe                 // the safe profile is open
	unlockWaiting              // a wait runs: the secret was not checked
	unlockFailed               // the try could not be saved, or the record not read: not checked or not opened
)

// attempt is the one way in for a secret, from the lock screen or the
// calculator: the try is counted and saved durably before it is checked;
// while a wait runs it is not checked at all; both locks are always
// checked, side by side (a decoy standing in for a safe profile that is
// not set), so how long a check takes never tells whether one exists.
// done runs on the interface goroutine with the result and, for a wrong
// try, the wait before the next.
func (u *UI) attempt(secret string, done func(unlockResult, time.Duration)) {
	if u.sec.checking || u.sec.main == nil {
		return
	}
	now := u.mono()
	next, ok := u.sec.tries.Begin(now)
	if !ok {
		done(unlockWaiting, u.sec.tries.Left(now))
		return
	}
	prev := u.sec.tries
	u.sec.tries = next
	u.sec.checking = true
	main, safe := *u.sec.main, u.sec.safe
	store := u.d.Store
	go func() {
		ctx := context.Background()
		if err := store.SetPrefs(ctx, map[string]string{prefTries: next.String()}); err != nil {
			// Not checked, so not a try: nothing was learnt from it.
			u.d.Log.Error("the count of tries could not be saved; the secret was not checked", "err", err)
			u.do(func() {
				u.sec.checking = false
				u.sec.tries = prev
				done(unlockFailed, 0)
			})
			return
		}
		var wg sync.WaitGroup
		var kek lockbox.Key
		mainErr, safeErr := lockbox.ErrWrong, lockbox.ErrWrong
		wg.Add(2)
		go func() { defer wg.Done(); kek, mainErr = main.Check(secret) }()
		go func() { defer wg.Done(); _, safeErr = safe.Check(secret) }()
		wg.Wait()
		var res unlockResult
		var opened *learn.Progress
		var ring lockbox.Keyring
		var short bool
		switch {
		case mainErr == nil:
			res = unlockMain
			var err error
			if u.prefs[prefKeyring] == "" && lockbox.IsLegacyKey(u.prefs[prefLegacyKey]) {
				ring = lockbox.NewKeyring() // a 0.1 install, opened for the first time
			} else {
				ring, err = lockbox.OpenRing(u.prefs[prefKeyring], &kek)
			}
			if err == nil {
				opened, short, err = u.unlockRecord(ctx, ring, &kek, nil)
			}
			if err != nil {
				clear(kek[:])
				u.d.Log.Error("the record could not be opened", "err", err)
				u.do(func() {
					u.sec.checking = false
					u.sec.tries = safety.Tries{}
					u.saveTries()
					u.recordUnreadable(err)
				})
				return
			}
		case safeErr == nil:
			res = unlockSafe
		}
		u.do(func() {
			u.sec.checking = false
			switch res {
			case unlockMain:
				k := kek
				u.sec.kek, u.sec.ring, u.sec.open = &k, ring, true
				u.progress, u.shortPIN = opened, short
				fallthrough
			case unlockSafe:
				u.sec.tries = safety.Tries{}
				u.saveTries()
			default:
				if next.Erase(atoi(u.prefs[prefEraseAfter])) {
					u.eraseEverything()
					return
				}
			}
			clear(kek[:])
			done(res, next.Left(u.mono()))
		})
	}()
}

// saveTries writes the count of tries: also in the safe profile, which
// writes nothing else.
func (u *UI) saveTries() {
	if u.erased {
		return
	}
	u.rec.setPrefs(map[string]string{prefTries: u.sec.tries.String()})
}

// waitLeft returns how long until the next try is taken.
func (u *UI) waitLeft() time.Duration { return u.sec.tries.Left(u.mono()) }

// opened shows the app after the right secret.
func (u *UI) opened(res unlockResult) bool {
	switch res {
	case unlockMain:
		if u.sec.safeMode {
			u.leaveSafeMode()
		}
		defer u.startSync()
	case unlockSafe:
		u.enterSafeMode()
	default:
		return false
	}
	u.sec.locked, u.sec.covered = false, false
	u.touch()
	u.setTitle()
	u.showHome()
	if res == unlockMain && u.shortPIN {
		u.shortPIN = false
		u.showNotice(u.loc.T("safety.pin_too_short"))
	}
	return true
}

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

// sharedIdle is how long a shared laptop's learner may leave it before
// they are signed out: their idle choice, or five minutes if they chose
// never (on a laptop others use, never is not safe).
func (u *UI) sharedIdle() time.Duration {
	if l := u.idleLimit(); l > 0 {
		return l
	}
	return 5 * time.Minute
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
				switch {
				case u.run != nil:
					// A group session runs: the trainer is presenting, maybe
					// talking for a long while without a touch. Neither the
					// lock nor trainer mode's idle time ends it; the quick
					// exit and the lock button still do.
					return
				case u.learnerOpen() && u.idleFor() >= u.sharedIdle():
					// A shared laptop left alone: the next person sees
					// nothing of the learner who left it.
					u.signOut("shared.signed_out_idle")
				case u.hasPIN() && !u.sec.locked && !u.sec.covered && u.idleLimit() > 0 && u.idleFor() >= u.idleLimit():
					u.lock()
				}
				if u.d.Trainer != nil && u.d.Trainer.IsOpen() && u.idleFor() >= trainerIdle {
					u.leaveTrainer()
				}
			})
		}
	}
}

// onBackground runs when the app leaves the screen: everything queued is
// written; on a phone the app locks at once; on a laptop (where the
// learner may be using a browser beside it) the window's content is
// hidden at once behind a neutral screen, so that a task switcher or a
// glance shows nothing, and it locks only if the learner stays away
// longer than the delay they chose.
func (u *UI) onBackground() {
	u.rec.Flush(2 * time.Second)
	u.sec.awayAt = u.now()
	if u.hasPIN() && u.mobile() {
		u.lock()
		return
	}
	u.drawCurtain()
}

// onForeground shows the window's content again, or the lock screen if
// the learner was away longer than the idle time they chose.
func (u *UI) onForeground() {
	away := u.sec.awayAt
	u.sec.awayAt = time.Time{}
	if limit := u.idleLimit(); u.hasPIN() && limit > 0 && !away.IsZero() && u.now().Sub(away) >= limit && !u.sec.locked {
		u.lock()
	}
	u.liftCurtain()
	u.touch()
}

// lock forgets everything sensitive and shows the lock screen: the screen
// that was showing is dropped, not hidden, the keys and the record in
// memory are wiped, and the store forgets the key after every write
// queued before it.
func (u *UI) lock() {
	if !u.hasPIN() {
		return
	}
	u.leaveFollow()
	u.forgetScreen()
	u.stopSync()
	u.forgetRecord()
	u.sec.locked = true
	u.showLock()
}

// forgetRecord wipes the keys and the learner's record from memory (the
// safe profile's, too) and has the store forget its key.
// Sync is stopped apart (stopSync), before.
func (u *UI) forgetRecord() {
	clear(u.sec.ring.Data[:])
	u.sec.ring = lockbox.Keyring{}
	if u.sec.kek != nil {
		clear(u.sec.kek[:])
		u.sec.kek = nil
	}
	if u.sec.open {
		u.sec.open = false
		store := u.d.Store
		u.rec.do("lock", func(context.Context) error { store.Lock(); return nil })
	}
	u.progress = learn.NewProgress()
	u.lastJoin.address, u.lastJoin.code = "", ""
	if u.sec.safeMode {
		u.leaveSafeMode()
	}
}

// forgetScreen drops the current screen and anything that would bring it
// back, so nothing sensitive stays in the window.
func (u *UI) forgetScreen() {
	// Trainer mode closes too: its keys and its copy of what learners
	// shared leave memory.
	u.closeTrainer()
	u.rebuild, u.current = nil, nil
	u.body.Objects = nil
	u.body.Refresh()
	u.notice.Objects = nil
	u.notice.Refresh()
}

// setSecret locks the app with a new PIN or passphrase (kind "pin" or
// "passphrase"), or changes it. A new data key is made and the whole
// record sealed again under it, in one transaction with the new lock and
// keyring, then the file is compacted: a key ever stored unprotected, or
// under an old secret, opens nothing written since. done runs on the
// interface goroutine with whether it worked.
func (u *UI) setSecret(kind, secret string, done func(ok bool)) {
	if u.sec.safeMode {
		// The safe profile's lock section is believable, and changes
		// nothing on the device.
		l := lockbox.NewDecoy(lockbox.Params{Time: 1, Memory: 8, Threads: 1})
		u.sec.main = &l
		u.prefs[prefLockKind] = kind
		done(true)
		return
	}
	ring, params, store := u.sec.ring, u.sec.params, u.d.Store
	safe := u.sec.safe
	go func() {
		lock, kek := lockbox.NewLock(secret, params)
		ring.Data = lockbox.NewKey()
		if !ring.SafeProfile {
			safe = lockbox.NewDecoy(params)
		}
		prefs := map[string]string{prefLockMain: lock.String(), prefLockKind: kind, prefLockSafe: safe.String(),
			prefKeyring: ring.Wrap(kek), prefTries: ""}
		err := u.rec.run("change of secret", func(ctx context.Context) error {
			return store.Rekey(ctx, lockbox.NewBox(ring.Data), prefs)
		})
		u.do(func() {
			if err != nil {
				clear(kek[:])
				u.d.Log.Error("the secret could not be changed", "err", err)
				done(false)
				return
			}
			u.applyPrefs(prefs)
			if u.sec.kek != nil {
				clear(u.sec.kek[:])
			}
			u.sec.main, u.sec.safe, u.sec.ring, u.sec.kek, u.sec.tries = &lock, safe, ring, &kek, safety.Tries{}
			done(true)
		})
	}()
}

// removeSecret turns the lock off: a new data key, stored plain (the
// record is then protected only by the device, and the app says so), the
// record sealed again under it, and the safe profile gone with the lock.
func (u *UI) removeSecret(done func(ok bool)) {
	if u.sec.safeMode {
		u.sec.main = nil
		done(true)
		return
	}
	ring, store := u.sec.ring, u.d.Store
	ring.Data, ring.SafeProfile = lockbox.NewKey(), false
	prefs := map[string]string{prefLockMain: "", prefLockKind: "", prefLockSafe: "", prefKeyring: ring.Plain(), prefTries: ""}
	go func() {
		err := u.rec.run("removal of secret", func(ctx context.Context) error {
			return store.Rekey(ctx, lockbox.NewBox(ring.Data), prefs)
		})
		u.do(func() {
			if err != nil {
				u.d.Log.Error("the lock could not be turned off", "err", err)
				done(false)
				return
			}
			u.applyPrefs(prefs)
			if u.sec.kek != nil {
				clear(u.sec.kek[:])
			}
			u.sec.main, u.sec.safe, u.sec.ring, u.sec.kek, u.sec.tries = nil, lockbox.Lock{}, ring, nil, safety.Tries{}
			done(true)
		})
	}()
}

// setSafePIN sets the safe-profile PIN, in place of the decoy; whether a
// safe profile is set is kept in the keyring, under the main secret.
func (u *UI) setSafePIN(pin string, done func(ok bool)) {
	u.changeSafe(func(p lockbox.Params) lockbox.Lock { l, _ := lockbox.NewLock(pin, p); return l }, true, done)
}

// removeSafePIN puts a new decoy in place of the safe-profile lock.
func (u *UI) removeSafePIN(done func(ok bool)) {
	u.changeSafe(lockbox.NewDecoy, false, done)
}

// changeSafe stores a new safe lock (real or decoy) and the keyring,
// wrapped again under the main secret's key, that says which it is.
func (u *UI) changeSafe(newLock func(lockbox.Params) lockbox.Lock, real bool, done func(ok bool)) {
	if u.sec.safeMode {
		done(true)
		return
	}
	if u.sec.kek == nil {
		done(false)
		return
	}
	ring, params, kek, store := u.sec.ring, u.sec.params, *u.sec.kek, u.d.Store
	ring.SafeProfile = real
	go func() {
		safe := newLock(params)
		prefs := map[string]string{prefLockSafe: safe.String(), prefKeyring: ring.Wrap(kek)}
		err := u.rec.run("safe profile", func(ctx context.Context) error { return store.SetPrefs(ctx, prefs) })
		u.do(func() {
			if err != nil {
				u.d.Log.Error("the safe profile could not be changed", "err", err)
				done(false)
				return
			}
			u.applyPrefs(prefs)
			u.sec.safe, u.sec.ring = safe, ring
			done(true)
		})
	}()
}

// applyPrefs keeps settings that were stored together in memory too.
func (u *UI) applyPrefs(prefs map[string]string) {
	for k, v := range prefs {
		if v == "" {
			delete(u.prefs, k)
		} else {
			u.prefs[k] = v
		}
	}
}

// enterSafeMode opens the harmless profile: the English practice track
// only, with no journey, no history and no help screens, and nothing
// written to the device. It looks like any first start. The real record
// stays sealed on the device: it is not in memory at all, so entering the
// safe profile any number of times can never lose it.
func (u *UI) enterSafeMode() {
	if !u.sec.safeMode {
		u.fullCourse = u.d.Course
	}
	u.sec.safeMode = true
	safe := &learn.Course{Lessons: map[string]*learn.Lesson{}, Facts: u.fullCourse.Facts, Languages: u.fullCourse.Languages}
	for _, t := range u.fullCourse.Tracks {
		if t.ID != "english" {
			continue
		}
		safe.Tracks = append(safe.Tracks, t)
		for _, l := range u.fullCourse.TrackLessons(t) {
			safe.Lessons[l.ID] = l
		}
	}
	u.d.Course = safe
	u.progress = learn.NewProgress()
}

func (u *UI) leaveSafeMode() {
	u.sec.safeMode = false
	u.d.Course, u.fullCourse = u.fullCourse, nil
}

// eraseEverything deletes all the learner's data, on the writer goroutine
// after everything queued, and goes on as a new install that keeps
// nothing until the app is next started (no new database is made).
func (u *UI) eraseEverything() {
	u.leaveFollow()
	u.forgetScreen()
	u.forgetRecord()
	u.sec = security{params: u.sec.params}
	u.erased = true
	sy, wipe := u.d.Sync, u.d.Wipe
	u.rec.wipe(func(ctx context.Context) error {
		// The server's copy first, while sync still knows where it is.
		if sy != nil {
			if err := sy.Erase(ctx); err != nil {
				u.d.Log.Warn("the server's copy will be deleted at the next start", "err", err)
			}
		}
		if wipe == nil {
			return nil
		}
		return wipe(ctx)
	}, func(err error) {
		u.do(func() {
			if err != nil {
				u.d.Log.Error("erase failed", "err", err)
			}
			if u.shared() {
				// A shared laptop's learner deleted their own record: the
				// laptop asks who is learning, as after a sign-out.
				u.switchTo("", func() { u.showChooser("") })
				return
			}
			u.prefs = map[string]string{}
			u.progress = learn.NewProgress()
			u.setLocalizer(u.language())
			u.applyTheme()
			u.setTitle()
			u.showWelcome()
		})
	})
}
