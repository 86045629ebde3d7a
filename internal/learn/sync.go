package learn

import "time"

// SyncProblem says, as an id the interface translates, why the last sync
// did not finish. Never shown as an error's text.
type SyncProblem string

// The problems a learner may be told about.
const (
	SyncOK         SyncProblem = ""
	SyncOffline    SyncProblem = "offline"    // no connection, or no answer in time
	SyncServer     SyncProblem = "server"     // the server failed or is busy; it will be tried again
	SyncUnlinked   SyncProblem = "unlinked"   // this device was unlinked, or its token refused
	SyncFull       SyncProblem = "full"       // the server has no room for more of this learner's data
	SyncLimit      SyncProblem = "limit"      // this month's data limit is reached: automatic sync paused
	SyncCode       SyncProblem = "code"       // a pairing or invite code is wrong, used or expired
	SyncAddress    SyncProblem = "address"    // the server's address is not one
	SyncUnreadable SyncProblem = "unreadable" // something came that does not open with the learner's key
)

// SyncStatus is what the learner sees of sync, honestly: when it last
// worked, what is waiting, the last problem in plain words, and the data
// it used.
type SyncStatus struct {
	// On is whether sync is set up on this device.
	On bool
	// Server is the server's address.
	Server string
	// Running is whether a sync is under way.
	Running bool
	// LastSuccess is when a sync last finished (zero: never).
	LastSuccess time.Time
	// Waiting counts this device's events not yet acknowledged.
	Waiting int
	// Problem is why the last sync did not finish (SyncOK if it did).
	Problem SyncProblem
	// LastSent and LastReceived are the bytes on the wire, headers
	// included, of the last sync; MonthSent and MonthReceived this
	// calendar month's.
	LastSent, LastReceived   int64
	MonthSent, MonthReceived int64
	// MonthlyLimit, if not 0, is the bytes a month after which automatic
	// sync pauses (a learner can still sync by hand).
	MonthlyLimit int64
}

// Paused reports whether automatic sync is paused by the monthly limit.
func (s SyncStatus) Paused() bool {
	return s.MonthlyLimit > 0 && s.MonthSent+s.MonthReceived >= s.MonthlyLimit
}

// LinkedDevice is one of the learner's devices, as the server lists it.
type LinkedDevice struct {
	ID string
	// Label is the device's name, as the device set it (sealed on the
	// server).
	Label    string
	Created  time.Time
	LastSeen time.Time
	// This is the device asking.
	This bool
}

// Profile is one learner of a shared device: an id of the device's
// choosing and the nickname they chose (shown to whoever picks up the
// device, so never a real name; the app says so).
type Profile struct {
	ID       string `json:"id"`
	Nickname string `json:"nickname"`
}
