package syncclient

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/safety"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// TrainerStore keeps a trainer's profile, apart from any learner's record:
// plain settings for its lock (needed before it opens), and sealed values
// for everything else (sqlite.DB is one, on a file of its own).
type TrainerStore interface {
	Prefs(ctx context.Context) (map[string]string, error)
	SetPrefs(ctx context.Context, prefs map[string]string) error
	Unlock(ctx context.Context, box learn.Sealer) error
	Lock()
	LoadSealed(ctx context.Context, name string, v any) (bool, error)
	SaveSealed(ctx context.Context, name string, v any) error
	// Rekey seals everything again under box and stores prefs, in one
	// transaction, then compacts the file (no page of the old seals
	// stays).
	Rekey(ctx context.Context, box learn.Sealer, prefs map[string]string) error
	Close() error
}

// Trainer is a trainer's profile on a laptop: protected by a passphrase
// (its keyring wrapped under it), it holds the trainer's account on the
// organisation's server, their groups with each group's private key, the
// last copy of what each group's members shared (so the dashboard works
// offline), and the attendance of live sessions. Everything but the lock
// is sealed at rest under the profile's data key.
type Trainer struct {
	// Open opens the profile's store; with create it makes one if there
	// is none, else there being none is learn.ErrNotFound.
	Open func(ctx context.Context, create bool) (TrainerStore, error)
	// Exists reports whether a profile was made on this device.
	Exists func() bool
	// Params is the Argon2id cost of the passphrase (lockbox.DefaultParams
	// if zero).
	Params lockbox.Params
	// Mono reads a clock no one can set, for the waits after wrong tries.
	Mono func() safety.Instant
	Now  func() time.Time
	Log  *slog.Logger
	// Location is the trainer's time zone, for days (time.Local if nil).
	Location *time.Location

	// Tags are the course's lessons' Essential Digital Skills areas and
	// levels, for reports and aggregates (see SetTags).
	Tags map[string]report.Tags

	mu sync.Mutex
	// refreshing lets one Refresh run at a time.
	refreshing sync.Mutex
	store      TrainerStore
	acct       *Account
	conn       *Conn
	groups     []trainerGroup
	shares     map[string]*groupShares
	// hubKey seals what the trainer's hub keeps of learners (their
	// couriers): a key of the profile's, so only the open profile opens it.
	hubKey lockbox.Key
}

// Settings of the profile's store.
const (
	trainerLock  = "trainer.lock"  // the passphrase's lock (lockbox.Lock)
	trainerRing  = "trainer.ring"  // the profile's keyring, wrapped under the passphrase
	trainerTries = "trainer.tries" // wrong tries and the wait (safety.Tries)
)

// Sealed values of the profile.
const (
	trainerAccount    = "trainer.account"
	trainerGroups     = "trainer.groups"
	trainerShares     = "trainer.shares."     // + group id
	trainerAttendance = "trainer.attendance." // + group id
	// trainerHub is the hub's key, kept once the passphrase was changed
	// (a new keyring); until then it is derived from the keyring.
	trainerHub = "trainer.hub"
)

// trainerGroup is a group as its trainer's profile keeps it.
type trainerGroup struct {
	ID      string           `json:"id"`
	Name    string           `json:"n"`
	Private group.PrivateKey `json:"k"`
	Created time.Time        `json:"c"`
	Codes   []joinCode       `json:"codes,omitempty"`
}

// joinCode is a join code the trainer made, kept to show again.
type joinCode struct {
	Code    string    `json:"code"`
	Lookup  string    `json:"l"`
	Expires time.Time `json:"e"`
	Revoked bool      `json:"r,omitempty"`
}

// groupShares is the last copy of a group's members' shares.
type groupShares struct {
	Cursor  uint64                 `json:"cursor"`
	Synced  time.Time              `json:"synced,omitzero"`
	Members map[string]group.Share `json:"members"`
	// Unreadable counts members whose share did not open or check.
	Unreadable int `json:"bad,omitempty"`
}

// Errors of the trainer's profile.
var (
	// ErrNoProfile means no trainer profile was made on this device.
	ErrNoProfile = errors.New("no trainer profile")
	// ErrProfileClosed means the profile is not open.
	ErrProfileClosed = errors.New("the trainer profile is not open")
	// ErrNotConnected means the profile has no account on a server yet.
	ErrNotConnected = errors.New("not connected to a server")
)

func (t *Trainer) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Trainer) loc() *time.Location {
	if t.Location != nil {
		return t.Location
	}
	return time.Local
}

func (t *Trainer) params() lockbox.Params {
	if t.Params == (lockbox.Params{}) {
		return lockbox.DefaultParams
	}
	return t.Params
}

func (t *Trainer) log() *slog.Logger {
	if t.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return t.Log
}

// SetTags sets the lessons' areas and levels that reports and aggregates
// count skills by (the app reads them from the course when trainer mode
// opens).
func (t *Trainer) SetTags(tags map[string]report.Tags) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Tags = tags
}

// HasProfile reports whether a trainer profile was made on this device.
func (t *Trainer) HasProfile() bool { return t.Exists != nil && t.Exists() }

// IsOpen reports whether the profile is open.
func (t *Trainer) IsOpen() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.store != nil
}

// CreateProfile makes the profile, locked by passphrase (which must be
// safety.Acceptable as a passphrase), and opens it.
func (t *Trainer) CreateProfile(ctx context.Context, passphrase string) error {
	if ok, _ := safety.Acceptable(safety.KindPassphrase, passphrase); !ok {
		return fmt.Errorf("create trainer profile: %w: the passphrase is too weak", learn.ErrInvalid)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.HasProfile() {
		return fmt.Errorf("create trainer profile: %w: one exists", learn.ErrConflict)
	}
	st, err := t.Open(ctx, true)
	if err != nil {
		return err
	}
	ring := lockbox.NewKeyring()
	lock, kek := lockbox.NewLock(passphrase, t.params())
	defer clear(kek[:])
	if err := st.SetPrefs(ctx, map[string]string{trainerLock: lock.String(), trainerRing: ring.Wrap(kek)}); err != nil {
		st.Close()
		return err
	}
	return t.opened(ctx, st, ring)
}

// OpenProfile opens the profile with its passphrase. A wrong one is
// lockbox.ErrWrong; each wrong try is counted (and saved) before it is
// checked, and after three the next waits (safety.Delay), as the app
// lock's do: during a wait OpenProfile returns safety.ErrWaiting and how long is
// left, without checking.
func (t *Trainer) OpenProfile(ctx context.Context, passphrase string) (time.Duration, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.store != nil {
		return 0, nil
	}
	if !t.HasProfile() {
		return 0, ErrNoProfile
	}
	st, err := t.Open(ctx, false)
	if err != nil {
		return 0, err
	}
	fail := func(wait time.Duration, err error) (time.Duration, error) {
		st.Close()
		return wait, err
	}
	prefs, err := st.Prefs(ctx)
	if err != nil {
		return fail(0, err)
	}
	kek, wait, err := t.check(ctx, st, prefs, passphrase)
	if err != nil {
		return fail(wait, err)
	}
	defer clear(kek[:])
	ring, err := lockbox.OpenRing(prefs[trainerRing], &kek)
	if err != nil {
		return fail(0, fmt.Errorf("open trainer profile: %w", learn.ErrDamaged))
	}
	return 0, t.opened(ctx, st, ring)
}

// check checks a passphrase against the profile's lock, as the app lock
// checks a PIN: the try is counted (and saved) before it is checked, a
// wrong one is lockbox.ErrWrong with the wait it brings, and during a
// wait nothing is checked (safety.ErrWaiting, and how long is left). The
// right one clears the count and returns the key it unwraps the keyring
// with. t.mu is held.
func (t *Trainer) check(ctx context.Context, st TrainerStore, prefs map[string]string, passphrase string) (lockbox.Key, time.Duration, error) {
	lock, err := lockbox.ParseLock(prefs[trainerLock])
	if err != nil {
		return lockbox.Key{}, 0, fmt.Errorf("trainer profile: %w", learn.ErrDamaged)
	}
	now := t.mono()
	tries, _ := safety.ParseTries(prefs[trainerTries], now)
	tries, moved := tries.Rebase(now)
	if moved {
		// A wait from another boot restarts in full on this boot's clock:
		// kept so, or it would restart at every try.
		if err := st.SetPrefs(ctx, map[string]string{trainerTries: tries.String()}); err != nil {
			return lockbox.Key{}, 0, err
		}
	}
	next, ok := tries.Begin(now)
	if !ok {
		return lockbox.Key{}, tries.Left(now), safety.ErrWaiting
	}
	if err := st.SetPrefs(ctx, map[string]string{trainerTries: next.String()}); err != nil {
		return lockbox.Key{}, 0, err // not counted, so not checked
	}
	kek, err := lock.Check(passphrase)
	if err != nil {
		return lockbox.Key{}, next.Left(t.mono()), lockbox.ErrWrong
	}
	if err := st.SetPrefs(ctx, map[string]string{trainerTries: ""}); err != nil {
		clear(kek[:])
		return lockbox.Key{}, 0, err
	}
	return kek, 0, nil
}

// ChangePassphrase changes the open profile's passphrase. The current one
// is checked first, as OpenProfile checks it (counted, with its waits: a
// wrong one is lockbox.ErrWrong, and during a wait safety.ErrWaiting with
// the time left). Then a new keyring is made and the whole profile sealed
// again under it, with the new passphrase's lock, in one transaction, and
// the file compacted (TrainerStore.Rekey): neither the old passphrase nor
// the old keyring, from a copy of the file made before, opens anything in
// the file as it is after. The hub's key stays what it was (kept sealed),
// so progress waiting on the hub is still passed on: someone who copied
// the profile before the change and knows the old passphrase can still
// work it out (that copy gave it to them already), and with it open the
// couriers' tokens in a copy of the hub's files.
func (t *Trainer) ChangePassphrase(ctx context.Context, current, next string) (time.Duration, error) {
	if ok, _ := safety.Acceptable(safety.KindPassphrase, next); !ok {
		return 0, fmt.Errorf("change trainer passphrase: %w: the passphrase is too weak", learn.ErrInvalid)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	st, err := t.open()
	if err != nil {
		return 0, err
	}
	prefs, err := st.Prefs(ctx)
	if err != nil {
		return 0, err
	}
	kek, wait, err := t.check(ctx, st, prefs, current)
	if err != nil {
		return wait, err
	}
	clear(kek[:])
	if err := st.SaveSealed(ctx, trainerHub, t.hubKey[:]); err != nil {
		return 0, err
	}
	ring := lockbox.NewKeyring()
	defer clear(ring.Data[:])
	lock, newKek := lockbox.NewLock(next, t.params())
	defer clear(newKek[:])
	return 0, st.Rekey(ctx, lockbox.NewBox(ring.Data), map[string]string{trainerLock: lock.String(), trainerRing: ring.Wrap(newKek)})
}

func (t *Trainer) mono() safety.Instant {
	if t.Mono != nil {
		return t.Mono()
	}
	return safety.Instant{Boot: "now", Mono: time.Duration(time.Now().UnixNano())}
}

// opened unlocks st with the ring's data key and reads the profile into
// memory. t.mu is held.
func (t *Trainer) opened(ctx context.Context, st TrainerStore, ring lockbox.Keyring) error {
	defer clear(ring.Data[:])
	if err := st.Unlock(ctx, lockbox.NewBox(ring.Data)); err != nil {
		st.Close()
		return err
	}
	var hub []byte
	kept, err := st.LoadSealed(ctx, trainerHub, &hub)
	if err != nil {
		st.Close()
		return err
	}
	if kept && len(hub) == len(t.hubKey) {
		copy(t.hubKey[:], hub)
	} else {
		t.hubKey = lockbox.SubKey(ring.Data, "hub couriers")
	}
	clear(hub)
	var acct Account
	has, err := st.LoadSealed(ctx, trainerAccount, &acct)
	if err == nil {
		_, err = st.LoadSealed(ctx, trainerGroups, &t.groups)
	}
	if err != nil {
		st.Close()
		return err
	}
	t.store, t.shares = st, map[string]*groupShares{}
	for _, g := range t.groups {
		gs := &groupShares{}
		if _, err := st.LoadSealed(ctx, trainerShares+g.ID, gs); err != nil {
			t.close()
			return err
		}
		if gs.Members == nil {
			gs.Members = map[string]group.Share{}
		}
		t.shares[g.ID] = gs
	}
	if has {
		if err := t.connect(acct); err != nil {
			t.close()
			return err
		}
	}
	return nil
}

func (t *Trainer) connect(acct Account) error {
	conn, err := Dial(Config{URL: acct.Server, Pin: acct.Pin, Token: acct.Token})
	if err != nil {
		return err
	}
	t.acct, t.conn = &acct, conn
	return nil
}

// CloseProfile closes the profile: its keys and everything it holds leave
// memory.
func (t *Trainer) CloseProfile() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.close()
}

func (t *Trainer) close() {
	if t.conn != nil {
		t.conn.Close()
	}
	if t.store != nil {
		t.store.Lock()
		t.store.Close()
	}
	for i := range t.groups {
		clear(t.groups[i].Private[:])
	}
	clear(t.hubKey[:])
	t.store, t.conn, t.acct, t.groups, t.shares = nil, nil, nil, nil, nil
}

// open returns the store, or ErrProfileClosed. t.mu is held.
func (t *Trainer) open() (TrainerStore, error) {
	if t.store == nil {
		return nil, ErrProfileClosed
	}
	return t.store, nil
}

// Server returns the server the profile is connected to ("" none).
func (t *Trainer) Server() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.acct == nil {
		return ""
	}
	return t.acct.Server
}

// Connect enrols the profile's own account on the organisation's server
// (with a trainer invite, or none on a server with open enrolment).
func (t *Trainer) Connect(ctx context.Context, server, pin, invite string) error {
	if !t.IsOpen() {
		return ErrProfileClosed
	}
	conn, err := Dial(Config{URL: server, Pin: pin})
	if err != nil {
		return fmt.Errorf("connect: %w", ErrAddress)
	}
	e, err := conn.EnrolTrainer(ctx, invite)
	if err != nil {
		conn.Close()
		return err
	}
	acct := Account{Server: server, Pin: pin, Device: e.Device, Token: e.Token}
	err = t.update(ctx, func(st TrainerStore) error {
		if err := st.SaveSealed(ctx, trainerAccount, acct); err != nil {
			return err
		}
		if t.conn != nil {
			t.conn.Close()
		}
		t.acct, t.conn = &acct, conn
		return nil
	})
	if err != nil {
		conn.Close()
	}
	return err
}

// linked returns the store and the connection, or why not. t.mu is held.
func (t *Trainer) linked() (TrainerStore, *Conn, error) {
	st, err := t.open()
	if err != nil {
		return nil, nil, err
	}
	if t.conn == nil {
		return nil, nil, ErrNotConnected
	}
	return st, t.conn, nil
}

// Groups lists the trainer's groups, by name.
func (t *Trainer) Groups() []group.Summary {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []group.Summary
	for _, g := range t.groups {
		v := group.Summary{ID: g.ID, Name: g.Name, Created: g.Created}
		if gs := t.shares[g.ID]; gs != nil {
			v.Members, v.Synced, v.Unreadable = len(gs.Members)+gs.Unreadable, gs.Synced, gs.Unreadable
		}
		for _, c := range g.Codes {
			v.Codes = append(v.Codes, group.Code(c))
		}
		slices.Reverse(v.Codes)
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (t *Trainer) saveGroups(ctx context.Context, st TrainerStore) error {
	return st.SaveSealed(ctx, trainerGroups, t.groups)
}

func (t *Trainer) groupIndex(id string) int {
	return slices.IndexFunc(t.groups, func(g trainerGroup) bool { return g.ID == id })
}

// CreateGroup makes a group on the server and its key pair here; the
// name and the key never reach the server.
func (t *Trainer) CreateGroup(ctx context.Context, name string) (group.Summary, error) {
	name, err := group.CleanName(name)
	if err != nil {
		return group.Summary{}, err
	}
	conn, err := t.connection()
	if err != nil {
		return group.Summary{}, err
	}
	id, err := conn.CreateGroup(ctx)
	if err != nil {
		return group.Summary{}, err
	}
	g := trainerGroup{ID: id, Name: name, Private: group.NewKey(), Created: t.now()}
	err = t.update(ctx, func(st TrainerStore) error {
		t.groups = append(t.groups, g)
		t.shares[id] = &groupShares{Members: map[string]group.Share{}}
		return t.saveGroups(ctx, st)
	})
	return group.Summary{ID: id, Name: name, Created: g.Created}, err
}

// connection returns the connection to the server, or why there is none.
func (t *Trainer) connection() (*Conn, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, conn, err := t.linked()
	return conn, err
}

// update runs fn with t.mu held and the store open: the profile's
// changes after a call to the server (which runs without the lock, so the
// screens never wait on the network).
func (t *Trainer) update(ctx context.Context, fn func(st TrainerStore) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, err := t.open()
	if err != nil {
		return err
	}
	return fn(st)
}

// groupCopy returns a copy of a group (its key too: the caller clears
// it), and the connection, or ErrNotFound.
func (t *Trainer) groupCopy(id string) (trainerGroup, *Conn, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, conn, err := t.linked()
	if err != nil {
		return trainerGroup{}, nil, err
	}
	i := t.groupIndex(id)
	if i < 0 {
		return trainerGroup{}, nil, fmt.Errorf("group: %w", learn.ErrNotFound)
	}
	return t.groups[i], conn, nil
}

// NewJoinCode makes a join code for a group, live for ttl (0: a week).
func (t *Trainer) NewJoinCode(ctx context.Context, groupID string, ttl time.Duration) (group.Code, error) {
	g, conn, err := t.groupCopy(groupID)
	if err != nil {
		return group.Code{}, err
	}
	o, err := conn.CreateJoinCode(ctx, group.Info{ID: g.ID, Name: g.Name, Public: g.Private.Public()}, ttl)
	clear(g.Private[:])
	if err != nil {
		return group.Code{}, err
	}
	c := joinCode{Code: o.Code, Lookup: o.Lookup, Expires: o.Expires}
	err = t.update(ctx, func(st TrainerStore) error {
		i := t.groupIndex(groupID)
		if i < 0 {
			return fmt.Errorf("join code: %w", learn.ErrNotFound)
		}
		// Expired codes are forgotten: only live ones are worth showing.
		now := t.now()
		codes := slices.DeleteFunc(t.groups[i].Codes, func(c joinCode) bool { return !c.Expires.After(now) })
		t.groups[i].Codes = append(codes, c)
		return t.saveGroups(ctx, st)
	})
	return group.Code(c), err
}

// RevokeJoinCode stops a join code of a group working, at once.
func (t *Trainer) RevokeJoinCode(ctx context.Context, groupID, lookup string) error {
	g, conn, err := t.groupCopy(groupID)
	if err != nil {
		return err
	}
	clear(g.Private[:])
	if err := conn.RevokeJoinCode(ctx, groupID, lookup); err != nil && CodeOf(err) != syncapi.CodeNotFound {
		return err
	}
	return t.update(ctx, func(st TrainerStore) error {
		if i := t.groupIndex(groupID); i >= 0 {
			for j := range t.groups[i].Codes {
				if t.groups[i].Codes[j].Lookup == lookup {
					t.groups[i].Codes[j].Revoked = true
				}
			}
		}
		return t.saveGroups(ctx, st)
	})
}

// OfferCoTrainer makes a code that gives another trainer this group (its
// private key travels sealed under the code's secret), for ten minutes.
func (t *Trainer) OfferCoTrainer(ctx context.Context, groupID string) (group.Code, error) {
	g, conn, err := t.groupCopy(groupID)
	if err != nil {
		return group.Code{}, err
	}
	defer clear(g.Private[:])
	o, err := conn.OfferCoTrainer(ctx, group.Keyed{ID: g.ID, Name: g.Name, Private: g.Private})
	return group.Code{Code: o.Code, Lookup: o.Lookup, Expires: o.Expires}, err
}

// CoTrain takes another trainer's co-trainer code: the group becomes one
// of this profile's.
func (t *Trainer) CoTrain(ctx context.Context, code string) (group.Summary, error) {
	conn, err := t.connection()
	if err != nil {
		return group.Summary{}, err
	}
	k, err := conn.CoTrain(ctx, code)
	if err != nil {
		return group.Summary{}, err
	}
	err = t.update(ctx, func(st TrainerStore) error {
		if t.groupIndex(k.ID) < 0 {
			t.groups = append(t.groups, trainerGroup{ID: k.ID, Name: k.Name, Private: k.Private, Created: t.now()})
			t.shares[k.ID] = &groupShares{Members: map[string]group.Share{}}
		}
		return t.saveGroups(ctx, st)
	})
	clear(k.Private[:])
	return group.Summary{ID: k.ID, Name: k.Name}, err
}

// DeleteGroup deletes a group on the server (with its members' shares)
// and here.
func (t *Trainer) DeleteGroup(ctx context.Context, groupID string) error {
	g, conn, err := t.groupCopy(groupID)
	if err != nil {
		return err
	}
	clear(g.Private[:])
	if err := conn.DeleteGroup(ctx, groupID); err != nil && CodeOf(err) != syncapi.CodeNotFound {
		return err
	}
	return t.update(ctx, func(st TrainerStore) error {
		t.groups = slices.DeleteFunc(t.groups, func(g trainerGroup) bool { return g.ID == groupID })
		delete(t.shares, groupID)
		return errors.Join(t.saveGroups(ctx, st), st.SaveSealed(ctx, trainerShares+groupID, nil),
			st.SaveSealed(ctx, trainerAttendance+groupID, nil))
	})
}

// Refresh reads what changed in every group's shares since the last time
// (members who left are dropped here too: what they shared is gone from
// this profile), keeps it sealed, and uploads each group's anonymised
// counts for this month and the last. A group that cannot be read keeps
// its last copy. Only one refresh runs at a time.
func (t *Trainer) Refresh(ctx context.Context) error {
	t.refreshing.Lock()
	defer t.refreshing.Unlock()
	t.mu.Lock()
	_, conn, err := t.linked()
	groups := slices.Clone(t.groups)
	olds := map[string]*groupShares{}
	for _, g := range groups {
		olds[g.ID] = t.shares[g.ID]
	}
	t.mu.Unlock()
	defer func() {
		for i := range groups {
			clear(groups[i].Private[:])
		}
	}()
	if err != nil {
		return err
	}
	var errs []error
	for _, g := range groups {
		gs, err := t.fetchGroup(ctx, conn, g, olds[g.ID])
		if err != nil {
			errs = append(errs, fmt.Errorf("group: %w", err))
			continue
		}
		var aggs map[string]syncapi.Aggregate
		err = t.update(ctx, func(st TrainerStore) error {
			if t.groupIndex(g.ID) < 0 {
				return nil // deleted meanwhile
			}
			if err := st.SaveSealed(ctx, trainerShares+g.ID, gs); err != nil {
				return err
			}
			t.shares[g.ID] = gs
			aggs = t.aggregates(g.ID)
			return nil
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, period := range slices.Sorted(maps.Keys(aggs)) {
			if err := conn.PutAggregate(ctx, g.ID, period, aggs[period]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// fetchGroup reads a group's shares after the last copy's cursor and
// returns the new copy.
func (t *Trainer) fetchGroup(ctx context.Context, conn *Conn, g trainerGroup, old *groupShares) (*groupShares, error) {
	if old == nil {
		old = &groupShares{}
	}
	gs := &groupShares{Cursor: old.Cursor, Members: map[string]group.Share{}}
	fresh := map[string]group.Share{}
	bad := map[string]bool{}
	var members []string
	for range 1000 {
		page, err := conn.Shares(ctx, g.ID, gs.Cursor)
		if err != nil {
			return nil, err
		}
		members = page.Members
		for _, sh := range page.Shares {
			s, err := group.OpenShare(g.Private, g.ID, sh.Member, sh.Blob)
			if err != nil {
				// Not sealed to this group's key, moved, or not a share:
				// shown as a count only (the log names no one).
				bad[sh.Member] = true
				delete(fresh, sh.Member)
				continue
			}
			fresh[sh.Member] = s
			delete(bad, sh.Member)
		}
		gs.Cursor = page.Cursor
		if !page.More {
			break
		}
	}
	for _, m := range members {
		switch s, ok := fresh[m]; {
		case ok:
			gs.Members[m] = s
		case bad[m]:
			gs.Unreadable++
		default:
			if s, ok := old.Members[m]; ok {
				gs.Members[m] = s
			}
		}
	}
	if gs.Unreadable > 0 {
		t.log().Warn("some shares of a group did not open", "count", gs.Unreadable)
	}
	gs.Synced = t.now()
	return gs, nil
}

// aggregates returns a group's anonymised counts for this month and the
// last one, by month. t.mu is held.
func (t *Trainer) aggregates(groupID string) map[string]syncapi.Aggregate {
	now := t.now().In(t.loc())
	out := map[string]syncapi.Aggregate{}
	for _, m := range []time.Time{firstOfMonth(now).AddDate(0, -1, 0), firstOfMonth(now)} {
		r := t.report(report.Params{From: m, To: m.AddDate(0, 1, -1), Groups: []string{groupID}, Now: now}, nil)
		out[m.Format("2006-01")] = r.Aggregate()
	}
	return out
}

func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// Members returns the last copy of a group's members (all groups: ""),
// by member id.
func (t *Trainer) Members(groupID string) []group.Member {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []group.Member
	for _, g := range t.groups {
		if groupID != "" && g.ID != groupID {
			continue
		}
		for id, s := range t.shares[g.ID].Members {
			out = append(out, group.Member{ID: id, Share: s})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Dashboard works out a group's dashboard (all groups: "") from the last
// copy, on the trainer's today, with lessons in course order.
func (t *Trainer) Dashboard(groupID string, lessons []string) group.Board {
	return group.Dashboard(t.Members(groupID), lessons, t.now().In(t.loc()))
}

// HubKey returns the key the trainer's hub seals what it keeps of
// learners under (a copy: the caller clears it), or ErrProfileClosed.
func (t *Trainer) HubKey() (lockbox.Key, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := t.open(); err != nil {
		return lockbox.Key{}, err
	}
	return t.hubKey, nil
}

// Roster is the roster of the trainer's live sessions: a follower's app
// claims (group.AttendanceClaim) each group its learner is in, and a
// claim names an attendee if it is a member of one of this trainer's
// groups (everyone in a group agreed to attendance: consent item
// group.ItemAttendance). It reads the profile as it is at each join: a
// closed profile recognises no one. The member it returns is
// "<group>/<member>" (see RecordSession).
func (t *Trainer) Roster() room.Roster { return trainerRoster{t} }

type trainerRoster struct{ t *Trainer }

func (r trainerRoster) Attendee(session, claim string) (string, bool) {
	t := r.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.store == nil {
		return "", false
	}
	for _, g := range t.groups {
		gs := t.shares[g.ID]
		if gs == nil {
			continue
		}
		for id := range gs.Members {
			if subtle.ConstantTimeCompare([]byte(group.AttendanceClaim(session, g.ID, id)), []byte(claim)) == 1 {
				return g.ID + "/" + id, true
			}
		}
	}
	return "", false
}

// RecordSession keeps a live session's attendance (the Roster's
// attendees of s), group by group, for reports; a session no member of
// the trainer's groups attended records nothing.
func (t *Trainer) RecordSession(ctx context.Context, s room.Summary) error {
	byGroup := map[string][]string{}
	for _, a := range s.Attendees {
		g, m, ok := strings.Cut(a, "/")
		if ok {
			byGroup[g] = append(byGroup[g], m)
		}
	}
	session := s.Started.UTC().Format(time.RFC3339Nano) + " " + s.Lesson
	var errs []error
	for _, g := range slices.Sorted(maps.Keys(byGroup)) {
		errs = append(errs, t.RecordAttendance(ctx, g, session, s.Started, byGroup[g]))
	}
	return errors.Join(errs...)
}

// RecordAttendance keeps who attended a live session of a group: member
// ids of consenting members only (issue 12's sessions feed it). Reports
// count it as session attendances.
func (t *Trainer) RecordAttendance(ctx context.Context, groupID, session string, day time.Time, members []string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, err := t.open()
	if err != nil {
		return err
	}
	if t.groupIndex(groupID) < 0 {
		return fmt.Errorf("attendance: %w", learn.ErrNotFound)
	}
	var list []report.Attendance
	if _, err := st.LoadSealed(ctx, trainerAttendance+groupID, &list); err != nil {
		return err
	}
	d := day.In(t.loc()).Format(group.Day)
	for _, m := range members {
		a := report.Attendance{Group: groupID, Member: m, Session: session, Day: d}
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return st.SaveSealed(ctx, trainerAttendance+groupID, list)
}

// Report makes a report from the last copy of the groups' shares and the
// sessions' attendance (only of members still in the group: a learner who
// left is in no later report).
func (t *Trainer) Report(p report.Params, lessons map[string]report.Tags) report.Report {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.report(p, lessons)
}

// report is Report with t.mu held.
func (t *Trainer) report(p report.Params, lessons map[string]report.Tags) report.Report {
	in := report.Input{Lessons: lessons}
	if in.Lessons == nil {
		in.Lessons = t.Tags
	}
	for _, g := range t.groups {
		rg := report.Group{ID: g.ID, Name: g.Name}
		for id, s := range t.shares[g.ID].Members {
			rg.Members = append(rg.Members, group.Member{ID: id, Share: s})
		}
		sort.Slice(rg.Members, func(i, j int) bool { return rg.Members[i].ID < rg.Members[j].ID })
		in.Groups = append(in.Groups, rg)
		if t.store != nil {
			var list []report.Attendance
			if _, err := t.store.LoadSealed(context.Background(), trainerAttendance+g.ID, &list); err == nil {
				for _, a := range list {
					if _, ok := t.shares[g.ID].Members[a.Member]; ok {
						in.Attendance = append(in.Attendance, a)
					}
				}
			}
		}
	}
	return report.Build(in, p)
}
