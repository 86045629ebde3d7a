package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/room"
)

// TestAttackAttendanceClaims drives a live session's room with the
// trainer's real roster and the learners' real claims, as attackers would
// use them: a claim replayed from an earlier session, a claim made up for
// a member id guessed, a claim of a learner who left the group, a member
// of another trainer's group, the same learner twice; and a trainer whose
// profile is closed. Only the members of the trainer's group who are in
// the room are recorded, each once, and a claim says nothing a hub could
// link from one session to the next.
func TestAttackAttendanceClaims(t *testing.T) {
	s := setupGroup(t, 3)
	ctx := context.Background()
	amber, birch, cedar := s.learners[0], s.learners[1], s.learners[2]

	// Another trainer's group on the same server, with a member of its own.
	other := setupGroup(t, 1)
	stranger := other.learners[0]

	const earlier, now = "7K2M", "Q9PX"
	replayed := amber.svc.AttendanceClaim(ctx, earlier)
	cedarsOld := cedar.svc.AttendanceClaim(ctx, now)
	if replayed == "" || cedarsOld == "" {
		t.Fatal("members make no claim")
	}
	if err := cedar.svc.LeaveGroup(ctx, s.group); err != nil {
		t.Fatal(err)
	}
	if c := cedar.svc.AttendanceClaim(ctx, now); c != "" {
		t.Errorf("a learner who left still claims %q", c)
	}
	if err := s.tr.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	amberID := memberOf(t, s.tr.Members(s.group), "Amber")

	claims := map[string]string{
		"amber":          amber.svc.AttendanceClaim(ctx, now),
		"amber-again":    amber.svc.AttendanceClaim(ctx, now),
		"birch":          birch.svc.AttendanceClaim(ctx, now),
		"replayed":       replayed,
		"guessed-member": group.AttendanceClaim(now, s.group, "0123456789abcdef"),
		"cedar-left":     cedarsOld,
		"stranger":       stranger.svc.AttendanceClaim(ctx, now),
		"padded":         strings.Repeat(group.ClaimSep, 50) + replayed,
	}
	if claims["amber"] == replayed {
		t.Error("a learner's claim is the same at two sessions: hubs could link them")
	}
	for _, id := range []string{s.group, amberID} {
		if strings.Contains(claims["amber"], id) {
			t.Errorf("the claim carries an id: %q", claims["amber"])
		}
	}

	lesson := &learn.Lesson{ID: "passcodes", Steps: []learn.Step{{ID: "s1", Kind: learn.KindRead}}}
	r := room.New(room.Options{Lesson: lesson, Code: now, Roster: s.tr.Roster()})
	for who, c := range claims {
		if _, err := r.Join(now, c, ""); err != nil {
			t.Fatalf("%s joins: %v", who, err)
		}
	}
	sum := r.End()
	if len(sum.Attendees) != 2 {
		t.Fatalf("attendees %q, want Amber and Birch only", sum.Attendees)
	}
	if err := s.tr.RecordSession(ctx, sum); err != nil {
		t.Fatal(err)
	}
	// Recording the same session again (the app ends it once, but a
	// crash and a second try must not count it twice) changes nothing.
	if err := s.tr.RecordSession(ctx, sum); err != nil {
		t.Fatal(err)
	}
	day := time.Now()
	rep := s.tr.Report(report.Params{From: day.AddDate(0, 0, -1), To: day.AddDate(0, 0, 1), Named: true, Now: day}, nil)
	total := -1
	for _, row := range rep.Rows {
		if row.Measure == report.SessionsAttended {
			total = row.Value.N
		}
	}
	if total != 2 {
		t.Errorf("the report counts %d session attendances, want 2 (Amber and Birch, once each)", total)
	}

	// A closed profile recognises no one: a hub left running learns nothing.
	s.tr.CloseProfile()
	r2 := room.New(room.Options{Lesson: lesson, Code: now, Roster: s.tr.Roster()})
	if _, err := r2.Join(now, claims["amber"], ""); err != nil {
		t.Fatal(err)
	}
	if sum := r2.End(); len(sum.Attendees) != 0 {
		t.Errorf("a closed trainer profile recorded %q", sum.Attendees)
	}
}
