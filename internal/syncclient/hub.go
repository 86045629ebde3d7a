package syncclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// A trainer's hub runs the sync server in a room with no internet
// (internal/hub). While a learner's device follows a session there, and
// sync is on, it syncs with the hub instead of its own server, and hands
// the hub a courier: a token of its own server that may only push its
// learner's chunks. When the trainer's laptop next reaches the internet,
// the hub pushes the chunks on, under their own ids and still sealed, and
// forgets them. The learner key never reaches the hub: it stores and
// passes on what it cannot read (docs/sync-protocol.md, "Hubs").

// Sealed values kept for hubs.
const (
	// sealedCourier is this device's courier on its own server: made at
	// the first sync with it, so that it is there in a room with no
	// internet.
	sealedCourier = "sync.courier"
	// sealedHubCursor is the pull cursor of the hub the device syncs with.
	sealedHubCursor = "sync.hubcursor"
)

// ErrNotLinked means sync is not on: the device follows a session, and
// nothing of its record leaves it.
var ErrNotLinked = errors.New("sync is not on")

// ErrNoCourier means the device has no courier yet (it has not reached
// its own server since sync was turned on), so a hub could not pass its
// progress on: it follows the session without syncing through the hub.
var ErrNoCourier = errors.New("no courier yet")

// ensureCourier makes this device's courier on its own server if it has
// none. Called after a sync with it succeeded; a failure is tried again
// after the next.
func (s *Service) ensureCourier(ctx context.Context) {
	var c Account
	if ok, err := s.Store.LoadSealed(ctx, sealedCourier, &c); err != nil || ok {
		return
	}
	s.mu.Lock()
	conn, acct := s.conn, s.acct
	s.mu.Unlock()
	if conn == nil || acct == nil {
		return
	}
	e, err := conn.CreateCourier(ctx)
	if err != nil {
		s.log().Warn("the courier for hubs could not be made; trying again after the next sync", "err", err)
		return
	}
	c = Account{Server: acct.Server, Pin: acct.Pin, Device: e.Device, Token: e.Token}
	if err := s.Store.SaveSealed(ctx, sealedCourier, c); err != nil {
		s.log().Warn("the courier for hubs could not be kept", "err", err)
	}
}

// HubURL turns the address a learner types (192.168.43.1, or with a port,
// or a whole https:// address) into the hub's sync address.
func HubURL(address string) (string, error) {
	a := strings.TrimSuffix(strings.TrimSpace(address), "/")
	if rest, ok := strings.CutPrefix(a, "https://"); ok {
		a = rest
	}
	if a == "" || strings.ContainsAny(a, "/?#@ ") {
		return "", fmt.Errorf("hub address %q: %w", address, ErrAddress)
	}
	if _, _, err := net.SplitHostPort(a); err != nil {
		a = net.JoinHostPort(strings.Trim(a, "[]"), strconv.Itoa(room.AppPort))
	}
	return "https://" + a, nil
}

// JoinHub makes this device sync with a trainer's hub while it follows a
// session: it enrols with the hub (the session's app code is the invite),
// hands it its courier, and from then on syncs there, until LeaveHub.
// Without sync on it returns ErrNotLinked, and without a courier
// ErrNoCourier: the device then follows without syncing through the hub.
func (s *Service) JoinHub(ctx context.Context, hubURL, fingerprint, invite string) error {
	s.mu.Lock()
	on := s.conn != nil
	s.mu.Unlock()
	if !on {
		return ErrNotLinked
	}
	var c Account
	ok, err := s.Store.LoadSealed(ctx, sealedCourier, &c)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNoCourier
	}
	hub, err := Dial(Config{URL: hubURL, Fingerprint: fingerprint})
	if err != nil {
		return fmt.Errorf("join hub: %w", ErrAddress)
	}
	if _, err := hub.Enrol(ctx, invite, nil); err != nil {
		hub.Close()
		return err
	}
	if err := hub.callJSON(ctx, "hub courier", http.MethodPut, syncapi.PathHubCourier,
		syncapi.HubCourier{Server: c.Server, Pin: c.Pin, Token: c.Token}, nil, true); err != nil {
		hub.Close()
		return err
	}
	if err := s.Store.SaveSealed(ctx, sealedHubCursor, nil); err != nil {
		hub.Close()
		return err
	}
	s.mu.Lock()
	if s.hub != nil {
		s.hub.Close()
	}
	s.hub = hub
	s.mu.Unlock()
	s.nudge(false)
	return nil
}

// OnHub reports whether the device syncs with a hub now.
func (s *Service) OnHub() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hub != nil
}

// LeaveHub syncs with the hub a last time (within timeout), so that what
// the session recorded is on it, unlinks this device from the hub, and
// syncs with the device's own server again from then on.
func (s *Service) LeaveHub(ctx context.Context, timeout time.Duration) error {
	s.mu.Lock()
	hub, key := s.hub, s.key
	s.mu.Unlock()
	if hub == nil {
		return nil
	}
	s.syncing.Lock()
	ctx2, cancel := context.WithTimeout(ctx, timeout)
	_, err := (&Engine{Store: s.Store, Conn: hub, Key: key, Log: s.Log, Cursor: sealedHubCursor}).Sync(ctx2)
	clear(key[:])
	if err == nil {
		// The hub's copy of this device, not the learner's data there: the
		// hub passes that on.
		if devs, derr := hub.Devices(ctx2); derr == nil {
			for _, d := range devs {
				if d.This {
					hub.Unlink(ctx2, d.ID)
				}
			}
		}
	}
	cancel()
	s.mu.Lock()
	if s.hub == hub {
		s.hub = nil
	}
	s.mu.Unlock()
	s.syncing.Unlock()
	hub.Close()
	s.Store.SaveSealed(context.Background(), sealedHubCursor, nil)
	if waiting, werr := s.Store.Waiting(context.Background()); werr == nil && waiting > 0 {
		s.nudge(false)
	}
	if err != nil {
		return fmt.Errorf("leave hub: %w", err)
	}
	return nil
}
