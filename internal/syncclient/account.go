package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// labelAD binds a sealed device label to what it is.
var labelAD = []byte("waymark label v1")

// Join sets sync up on a first device: it enrols with the server (with an
// invite code, or none on a server with open enrolment), makes the learner
// key, and keeps both, sealed, in the store. Then it syncs: the whole
// record goes up.
func (s *Service) Join(ctx context.Context, server, pin, invite string) error {
	conn, err := Dial(Config{URL: server, Pin: pin})
	if err != nil {
		return fmt.Errorf("join: %w", ErrAddress)
	}
	defer conn.Close()
	key := lockbox.NewKey()
	defer clear(key[:])
	e, err := conn.Enrol(ctx, invite, lockbox.Seal(key, []byte(s.Label), labelAD))
	if err != nil {
		return err
	}
	return s.link(ctx, Account{Server: server, Pin: pin, Device: e.Device, Token: e.Token}, key, conn.Meter())
}

// Pair sets sync up on another device of the learner, with the pairing
// code a linked device shows: the learner key comes sealed under the
// code's secret, which never reaches the server.
func (s *Service) Pair(ctx context.Context, server, pin, code string) error {
	conn, err := Dial(Config{URL: server, Pin: pin})
	if err != nil {
		return fmt.Errorf("pair: %w", ErrAddress)
	}
	defer conn.Close()
	// The label is sealed under the learner key, which comes only with
	// the answer: it is set just after.
	p, err := conn.Pair(ctx, code, nil)
	if err != nil {
		return err
	}
	defer clear(p.Secret)
	var key lockbox.Key
	if len(p.Secret) != len(key) {
		return fmt.Errorf("pair: %w: the pairing did not carry a learner key", learn.ErrInvalid)
	}
	copy(key[:], p.Secret)
	defer clear(key[:])
	if err := conn.SetLabel(ctx, p.Device, lockbox.Seal(key, []byte(s.Label), labelAD)); err != nil {
		s.log().Warn("this device's name could not be set on the server", "err", err)
	}
	return s.link(ctx, Account{Server: server, Pin: pin, Device: p.Device, Token: p.Token}, key, conn.Meter())
}

// ErrAddress means a server address is not one (https://host).
var ErrAddress error = addressError{}

type addressError struct{}

func (addressError) Error() string { return "not a server address" }

// Problem says what the learner is told.
func (addressError) Problem() learn.SyncProblem { return learn.SyncAddress }

// link keeps a new account and the learner key, sealed, and starts
// syncing.
func (s *Service) link(ctx context.Context, acct Account, key lockbox.Key, m *Meter) error {
	if err := s.Store.SaveSealed(ctx, sealedKey, key[:]); err != nil {
		return err
	}
	if err := s.Store.SaveSealed(ctx, sealedAccount, acct); err != nil {
		return err
	}
	s.mu.Lock()
	s.key = key
	err := s.connect(acct)
	s.status.Problem = learn.SyncOK
	s.rollMonth()
	s.status.MonthSent += m.Sent()
	s.status.MonthReceived += m.Received()
	st := s.status
	s.mu.Unlock()
	if err != nil {
		return err
	}
	s.changed(st)
	s.nudge(true)
	return nil
}

// Offer makes a pairing code for another device to join this learner:
// show it (as text and as a QR code) until it expires.
func (s *Service) Offer(ctx context.Context) (code string, expires time.Time, err error) {
	conn, key, err := s.linked()
	if err != nil {
		return "", time.Time{}, err
	}
	defer clear(key[:])
	o, err := conn.CreatePairing(ctx, key[:])
	return o.Code, o.Expires, err
}

// Devices lists the learner's devices, with the names they gave
// themselves (opened with the learner key).
func (s *Service) Devices(ctx context.Context) ([]learn.LinkedDevice, error) {
	conn, key, err := s.linked()
	if err != nil {
		return nil, err
	}
	defer clear(key[:])
	list, err := conn.Devices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]learn.LinkedDevice, 0, len(list))
	for _, d := range list {
		label := ""
		if b, err := lockbox.Open(key, d.Label, labelAD); err == nil {
			label = string(b)
		}
		out = append(out, learn.LinkedDevice{ID: d.ID, Label: label, Created: d.Created, LastSeen: d.LastSeen, This: d.This})
	}
	return out, nil
}

// Unlink unlinks (revokes) one of the learner's other devices, a lost one
// say: its token stops working at once.
func (s *Service) Unlink(ctx context.Context, device string) error {
	conn, key, err := s.linked()
	if err != nil {
		return err
	}
	clear(key[:])
	return conn.Unlink(ctx, device)
}

// TurnOff stops syncing on this device: it unlinks itself from the server
// (best effort: the server may be out of reach) and forgets the account
// and the learner key. The record stays on the device; what the server
// holds stays there, for the learner's other devices.
func (s *Service) TurnOff(ctx context.Context) error {
	s.mu.Lock()
	conn, acct := s.conn, s.acct
	s.mu.Unlock()
	if conn != nil {
		// No more sharing either: leave every group (best effort, like
		// the unlinking).
		s.groupsMu.Lock()
		if ms, err := s.memberships(ctx); err == nil {
			for _, m := range ms {
				if err := conn.Leave(ctx, m.Group); err != nil && CodeOf(err) != syncapi.CodeNotFound {
					s.log().Warn("a group could not be left on the server", "err", err)
				}
			}
		}
		s.groupsMu.Unlock()
	}
	if conn != nil && acct != nil {
		if err := conn.Unlink(ctx, acct.Device); err != nil {
			s.log().Warn("this device could not unlink itself from the server", "err", err)
		}
	}
	return s.forget(ctx)
}

// forget drops the account, the key and the status from the store.
func (s *Service) forget(ctx context.Context) error {
	var errs []error
	for _, name := range []string{sealedAccount, sealedKey, sealedStatus, sealedCursor, sealedSingles, sealedCourier, sealedHubCursor, sealedGroups} {
		errs = append(errs, s.Store.SaveSealed(ctx, name, nil))
	}
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
	}
	if s.hub != nil {
		s.hub.Close()
	}
	s.conn, s.acct, s.hub = nil, nil, nil
	clear(s.key[:])
	limit := s.status.MonthlyLimit
	s.status = learn.SyncStatus{MonthlyLimit: limit}
	st := s.status
	s.mu.Unlock()
	s.changed(st)
	return errors.Join(errs...)
}

// DeleteEverywhere deletes the learner's data on the server (every device
// of the learner is unlinked), within timeout. On failure it returns the
// account, for the caller to keep until the next connection (Delete
// everything works offline too).
func (s *Service) DeleteEverywhere(ctx context.Context, timeout time.Duration) (*Account, error) {
	s.mu.Lock()
	conn, acct := s.conn, s.acct
	s.mu.Unlock()
	if conn == nil || acct == nil {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := conn.DeleteLearner(ctx); err != nil {
		a := *acct
		return &a, err
	}
	return nil, nil
}

// Erase deletes the learner's data on the server, for Delete everything:
// at once if the server can be reached within ten seconds, else at the
// next start, from a file at PendingPath (see SendPending). Then it stops.
func (s *Service) Erase(ctx context.Context) error {
	acct, err := s.DeleteEverywhere(ctx, 10*time.Second)
	if acct != nil && s.PendingPath != "" {
		err = SavePending(s.PendingPath, *acct)
	}
	s.Stop()
	return err
}

// linked returns the connection and a copy of the learner key, or an
// error when sync is not set up.
func (s *Service) linked() (*Conn, lockbox.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, lockbox.Key{}, fmt.Errorf("sync: %w: not set up", learn.ErrNotFound)
	}
	return s.conn, s.key, nil
}

// SavePending keeps, in a file of its own, what is needed to delete the
// learner's data on the server at the next connection, after Delete
// everything ran offline. The file is plain (the keys it would be sealed
// under were just deleted) and holds only the server's address and this
// device's token, which can do nothing but reach data sealed under a key
// that no longer exists anywhere on this device.
func SavePending(path string, acct Account) error {
	b, err := json.Marshal(acct)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// SendPending deletes the learner's data on the server, as a pending file
// (SavePending) says, and then the file. No file: nothing to do.
func SendPending(ctx context.Context, path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var acct Account
	if err := json.Unmarshal(b, &acct); err != nil {
		return os.Remove(path) // not ours to send: nothing can be done with it
	}
	conn, err := Dial(Config{URL: acct.Server, Pin: acct.Pin, Token: acct.Token})
	if err != nil {
		return os.Remove(path)
	}
	defer conn.Close()
	err = conn.DeleteLearner(ctx)
	if err != nil && CodeOf(err) != syncapi.CodeUnauthorized {
		return err // tried again at the next start
	}
	// Deleted, or already gone (the token no longer works).
	zero := make([]byte, len(b))
	os.WriteFile(path, zero, 0o600)
	return os.Remove(path)
}
