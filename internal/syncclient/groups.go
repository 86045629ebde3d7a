package syncclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/syncapi"
)

// A learner's groups. Joining needs sync to be on (the share travels
// through the learner's server, with this device's token). The device
// keeps each membership sealed with the record, and after every sync
// sends a new share to each group whose share changed: exactly what
// consent version 1 lists, built from the record, sealed to the group's
// key. Leaving stops it at once on this device, and asks the server to
// delete what was shared (again at each sync until it has).

// sealedGroups is the memberships, sealed with the record.
const sealedGroups = "sync.groups"

// membership is one group as this device keeps it.
type membership struct {
	Group    string          `json:"g"`
	Name     string          `json:"n"`
	Public   group.PublicKey `json:"k"`
	Member   string          `json:"m"`
	Nickname string          `json:"nick"`
	Consent  int             `json:"c"`
	Joined   time.Time       `json:"j"`
	// Sent is the SHA-256 of the last share the server took.
	Sent []byte `json:"h,omitempty"`
	// Leaving: the learner left; the server is still to be told.
	Leaving bool `json:"l,omitempty"`
}

// ErrNoSync means a group cannot be joined before sync is set up.
var ErrNoSync = errors.New("sync is not set up")

func (s *Service) memberships(ctx context.Context) ([]membership, error) {
	var ms []membership
	if _, err := s.Store.LoadSealed(ctx, sealedGroups, &ms); err != nil {
		return nil, err
	}
	return ms, nil
}

// PreviewGroup checks a join code and says which group it is for, before
// the learner agrees to share anything (nothing is shared yet).
func (s *Service) PreviewGroup(ctx context.Context, code string) (group.Info, error) {
	conn, key, err := s.linked()
	if err != nil {
		return group.Info{}, fmt.Errorf("preview group: %w", ErrNoSync)
	}
	clear(key[:])
	p, err := conn.Join(ctx, code, false)
	return p.Info, err
}

// JoinGroup joins the group of a join code under nickname, with the
// learner's consent (version 1: group.ConsentItems), and sends the first
// share at once (or at the next sync, if it cannot now: joined is
// joined).
func (s *Service) JoinGroup(ctx context.Context, code, nickname string) error {
	nick, err := group.CleanNickname(nickname)
	if err != nil {
		return err
	}
	conn, key, err := s.linked()
	if err != nil {
		return fmt.Errorf("join group: %w", ErrNoSync)
	}
	clear(key[:])
	p, err := conn.Join(ctx, code, true)
	if err != nil {
		return err
	}
	s.groupsMu.Lock()
	defer s.groupsMu.Unlock()
	ms, err := s.memberships(ctx)
	if err != nil {
		return err
	}
	m := membership{Group: p.Info.ID, Name: p.Info.Name, Public: p.Info.Public, Member: p.Member, Nickname: nick,
		Consent: group.ConsentVersion, Joined: s.now()}
	replaced := false
	for i := range ms {
		if ms[i].Group == m.Group {
			ms[i], replaced = m, true
		}
	}
	if !replaced {
		ms = append(ms, m)
	}
	if err := s.Store.SaveSealed(ctx, sealedGroups, ms); err != nil {
		return err
	}
	if err := s.share(ctx, conn, ms); err != nil {
		s.log().Warn("the first share with a group waits for the next sync", "err", err)
	}
	return nil
}

// LeaveGroup stops sharing with a group at once and asks the server to
// delete what was shared; if the server cannot be reached, the request
// waits for the next sync. Nothing more is ever sent to the group.
func (s *Service) LeaveGroup(ctx context.Context, groupID string) error {
	s.groupsMu.Lock()
	defer s.groupsMu.Unlock()
	ms, err := s.memberships(ctx)
	if err != nil {
		return err
	}
	found := false
	for i := range ms {
		if ms[i].Group == groupID {
			ms[i].Leaving, found = true, true
		}
	}
	if !found {
		return fmt.Errorf("leave group: %w", learn.ErrNotFound)
	}
	if err := s.Store.SaveSealed(ctx, sealedGroups, ms); err != nil {
		return err
	}
	conn, key, err := s.linked()
	if err != nil {
		return nil // kept as leaving; sent when sync is on again
	}
	clear(key[:])
	if err := s.share(ctx, conn, ms); err != nil {
		s.log().Warn("leaving a group: the server is told at the next sync", "err", err)
	}
	return nil
}

// Groups lists the groups this learner is in (and is leaving).
func (s *Service) Groups(ctx context.Context) ([]group.Membership, error) {
	ms, err := s.memberships(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]group.Membership, 0, len(ms))
	for _, m := range ms {
		out = append(out, group.Membership{Group: m.Group, Name: m.Name, Nickname: m.Nickname, Joined: m.Joined, Leaving: m.Leaving})
	}
	return out, nil
}

// AttendanceClaim is what this learner's app tells a trainer's hub as it
// joins the live session with the given room code: a
// group.AttendanceClaim for each group the learner is in (not one they
// are leaving), joined; "" for none. Only a trainer of one of those
// groups recognises a claim, and records that the learner was there
// (consent item group.ItemAttendance).
func (s *Service) AttendanceClaim(ctx context.Context, session string) string {
	if s.Store == nil {
		return ""
	}
	s.groupsMu.Lock()
	defer s.groupsMu.Unlock()
	ms, err := s.memberships(ctx)
	if err != nil {
		return ""
	}
	var claims []string
	for _, m := range ms {
		if !m.Leaving && m.Member != "" {
			claims = append(claims, group.AttendanceClaim(session, m.Group, m.Member))
		}
	}
	return group.JoinClaims(claims)
}

// shareGroups brings every group up to date after a sync; problems wait
// for the next one (they are logged, without content).
func (s *Service) shareGroups(ctx context.Context, conn *Conn) {
	s.groupsMu.Lock()
	defer s.groupsMu.Unlock()
	ms, err := s.memberships(ctx)
	if err != nil || len(ms) == 0 {
		return
	}
	if err := s.share(ctx, conn, ms); err != nil {
		s.log().Warn("a group's share could not be sent yet", "err", err)
	}
}

// share sends what changed: each membership's share if it differs from
// the last one the server took, and each pending leave. groupsMu is held.
func (s *Service) share(ctx context.Context, conn *Conn, ms []membership) error {
	p, err := s.Store.Progress(ctx)
	if err != nil {
		return err
	}
	var errs []error
	var keep []membership
	changed := false
	for _, m := range ms {
		if m.Leaving {
			err := conn.Leave(ctx, m.Group)
			if err == nil || CodeOf(err) == syncapi.CodeNotFound {
				changed = true // left, or the group is gone: forgotten here too
				continue
			}
			errs = append(errs, err)
			keep = append(keep, m)
			continue
		}
		if m.Consent != group.ConsentVersion {
			keep = append(keep, m) // a consent this version cannot build: nothing is sent
			continue
		}
		plain := group.BuildShare(p, m.Nickname, time.Local).Encode()
		sum := sha256.Sum256(plain)
		if bytes.Equal(sum[:], m.Sent) {
			keep = append(keep, m)
			continue
		}
		sealed, err := group.SealPlain(m.Public, m.Group, m.Member, plain)
		if err == nil {
			err = conn.PutShare(ctx, m.Group, sealed)
		}
		switch {
		case err == nil:
			m.Sent, changed = sum[:], true
		case CodeOf(err) == syncapi.CodeNotFound:
			// No longer a member (the group was closed): nothing to send.
			changed = true
			continue
		default:
			errs = append(errs, err)
		}
		keep = append(keep, m)
	}
	if changed {
		if err := s.Store.SaveSealed(ctx, sealedGroups, keep); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
