package learn

import (
	"slices"
)

// Milestone is a step of a survivor's own reintegration journey, such as
// registering with a GP. The default milestones are the same for
// everyone; a learner adds their own. Their words are interface strings
// ("journey.m.<id>"); a learner's own milestone has a title they wrote.
type Milestone struct {
	ID string
	// Lessons are the lessons that help with this milestone.
	Lessons []string
}

// DefaultMilestones are the journey every learner starts with, in order.
var DefaultMilestones = []Milestone{
	{ID: "phone", Lessons: []string{"phone-controls", "wifi-data", "online-for-less", "passcodes"}},
	{ID: "gp", Lessons: []string{"register-gp", "english-gp-pharmacy"}},
	{ID: "nhs-app", Lessons: []string{"nhs-app"}},
	{ID: "email", Lessons: []string{"email-basics", "account-security"}},
	{ID: "bank", Lessons: []string{"online-banking", "money-safety"}},
	{ID: "ni-number", Lessons: []string{"gov-services"}},
	{ID: "english", Lessons: []string{"english-gp-pharmacy", "english-job-interview", "english-at-work", "english-phone-calls", "english-shopping", "english-travel"}},
	{ID: "housing", Lessons: []string{"housing", "gov-services"}},
	{ID: "cv", Lessons: []string{"write-cv"}},
	{ID: "applications", Lessons: []string{"find-work-online", "safe-job-search", "work-rights", "evisa"}},
	{ID: "family", Lessons: []string{"video-calls"}},
}

// The journey event kinds. Milestone facts and edits are events like the
// rest of progress, so sync carries them; the editable fields (done and
// when, the note, sharing, a custom title) are last-writer-wins.
const (
	// EventMilestoneAdded adds a learner's own milestone (Target, a new
	// random id) with its title (Data, sealed), or changes its title.
	EventMilestoneAdded EventKind = "milestone.added"
	// EventMilestoneRemoved removes a learner's own milestone: a tombstone.
	EventMilestoneRemoved EventKind = "milestone.removed"
	// EventMilestoneDone marks a milestone done (Correct) or not, with the
	// date the learner gives (Data, "2026-11-27", or "").
	EventMilestoneDone EventKind = "milestone.done"
	// EventMilestoneNote sets a milestone's private note (Data, sealed;
	// "" clears it).
	EventMilestoneNote EventKind = "milestone.note"
	// EventMilestoneShare sets whether a milestone may be shared with a
	// trainer once sync exists (Correct). Off until the learner says so.
	EventMilestoneShare EventKind = "milestone.share"
)

// Register is a last-writer-wins value: the write with the latest clock,
// ties broken by device id, wins wherever and in whatever order events
// arrive.
type Register struct {
	Value  string `json:"v,omitempty"`
	Clock  HLC    `json:"c,omitempty"`
	Device string `json:"d,omitempty"`
}

// set applies a write; it reports whether the write won.
func (r *Register) set(e Event, value string) {
	if r.Clock == 0 || e.after(r.Clock, r.Device) {
		*r = Register{Value: value, Clock: e.Clock, Device: e.ID.Device}
	}
}

// MilestoneState is what the log says about one milestone.
type MilestoneState struct {
	ID      string   `json:"id"`
	Custom  bool     `json:"custom,omitempty"`
	Title   Register `json:"title"`   // custom milestones: sealed title
	Removed Register `json:"removed"` // "1" once removed
	Done    Register `json:"done"`    // "" or the date ("" date: "-")
	Note    Register `json:"note"`    // sealed note
	Share   Register `json:"share"`   // "1" when it may be shared
}

// IsDone reports whether the milestone is marked done.
func (m MilestoneState) IsDone() bool { return m.Done.Value != "" }

// Date returns the date the learner gave for reaching it, or "".
func (m MilestoneState) Date() string {
	if m.Done.Value == doneNoDate {
		return ""
	}
	return m.Done.Value
}

// Shared reports whether the learner lets this milestone be shared.
func (m MilestoneState) Shared() bool { return m.Share.Value == "1" }

// IsRemoved reports whether a custom milestone was removed.
func (m MilestoneState) IsRemoved() bool { return m.Removed.Value == "1" }

const doneNoDate = "-"

// IsJourney reports whether events of this kind are about the journey.
func (k EventKind) IsJourney() bool {
	switch k {
	case EventMilestoneAdded, EventMilestoneRemoved, EventMilestoneDone, EventMilestoneNote, EventMilestoneShare:
		return true
	}
	return false
}

// Apply returns the state after e, an event about this milestone.
func (m MilestoneState) Apply(e Event) MilestoneState {
	m.ID = e.Target
	switch e.Kind {
	case EventMilestoneAdded:
		m.Custom = true
		m.Title.set(e, e.Data)
	case EventMilestoneRemoved:
		m.Custom = true
		m.Removed.set(e, "1")
	case EventMilestoneDone:
		v := ""
		if e.Correct {
			v = e.Data
			if v == "" {
				v = doneNoDate
			}
		}
		m.Done.set(e, v)
	case EventMilestoneNote:
		m.Note.set(e, e.Data)
	case EventMilestoneShare:
		v := ""
		if e.Correct {
			v = "1"
		}
		m.Share.set(e, v)
	}
	if m.IsRemoved() {
		// Erasure: a removed milestone keeps nothing but its tombstone,
		// whatever order its events arrive in.
		m = MilestoneState{ID: m.ID, Custom: true, Removed: m.Removed}
	}
	return m
}

// Journey returns the learner's milestones in order: the defaults, then
// their own, leaving out removed ones.
func (p *Progress) Journey() []MilestoneState {
	var out []MilestoneState
	for _, d := range DefaultMilestones {
		s := p.Milestones[d.ID]
		s.ID = d.ID
		out = append(out, s)
	}
	var own []MilestoneState
	for _, s := range p.Milestones {
		if s.Custom && !s.IsRemoved() {
			own = append(own, s)
		}
	}
	slices.SortFunc(own, func(a, b MilestoneState) int {
		if a.Title.Clock != b.Title.Clock {
			if a.Title.Clock < b.Title.Clock {
				return -1
			}
			return 1
		}
		return cmpString(a.ID, b.ID)
	})
	return append(out, own...)
}

// DefaultMilestone returns the default milestone with the given id, or nil.
func DefaultMilestone(id string) *Milestone {
	for i := range DefaultMilestones {
		if DefaultMilestones[i].ID == id {
			return &DefaultMilestones[i]
		}
	}
	return nil
}
