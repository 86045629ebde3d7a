package learn_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
)

func TestMilestoneState(t *testing.T) {
	j := func(kind learn.EventKind, clock learn.HLC, device string, yes bool, data string) learn.Event {
		return learn.Event{ID: learn.EventID{Device: device}, Kind: kind, Target: "gp", Clock: clock, Correct: yes, Data: data}
	}
	events := []learn.Event{
		j(learn.EventMilestoneDone, 10, "phone", true, "2026-11-02"),
		j(learn.EventMilestoneNote, 11, "phone", false, "sealed-1"),
		j(learn.EventMilestoneNote, 20, "laptop", false, "sealed-2"), // later: wins
		j(learn.EventMilestoneShare, 12, "phone", true, ""),
		j(learn.EventMilestoneShare, 12, "laptop", false, ""), // same clock: "phone" > "laptop" wins
		j(learn.EventMilestoneDone, 30, "laptop", false, ""),  // undone later
	}
	for range 30 {
		evs := slices.Clone(events)
		rand.Shuffle(len(evs), func(a, b int) { evs[a], evs[b] = evs[b], evs[a] })
		var m learn.MilestoneState
		for _, e := range evs {
			m = m.Apply(e)
		}
		if m.IsDone() || m.Note.Value != "sealed-2" || !m.Shared() {
			t.Fatalf("order %v: got done %v note %q shared %v", evs, m.IsDone(), m.Note.Value, m.Shared())
		}
	}
	var m learn.MilestoneState
	m = m.Apply(j(learn.EventMilestoneDone, 5, "phone", true, ""))
	if !m.IsDone() || m.Date() != "" {
		t.Errorf("done without a date: done %v date %q", m.IsDone(), m.Date())
	}
}

func TestJourneyOwnMilestones(t *testing.T) {
	p := learn.NewProgress()
	p.Apply(learn.Event{Kind: learn.EventMilestoneAdded, Target: "own-1", Data: "sealed title", Clock: 5})
	p.Apply(learn.Event{Kind: learn.EventMilestoneNote, Target: "own-1", Data: "sealed note", Clock: 6})
	j := p.Journey()
	if len(j) != len(learn.DefaultMilestones)+1 || j[len(j)-1].ID != "own-1" || !j[len(j)-1].Custom {
		t.Fatalf("journey: %+v", j)
	}
	p.Apply(learn.Event{Kind: learn.EventMilestoneRemoved, Target: "own-1", Clock: 7})
	if got := len(p.Journey()); got != len(learn.DefaultMilestones) {
		t.Errorf("a removed milestone is still listed (%d)", got)
	}
	if s := p.Milestones["own-1"]; s.Title.Value != "" || s.Note.Value != "" {
		t.Errorf("removal kept the title or note: %+v", s)
	}
	if err := (learn.Event{Kind: learn.EventMilestoneNote}).Validate(); err == nil {
		t.Error("a journey event with no milestone is valid")
	}
}
