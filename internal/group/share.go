package group

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/waymark-app/waymark/internal/learn"
)

// ConsentVersion is the consent a share is built under. Version 1 shares
// exactly the ConsentItems below; sharing anything more needs a new
// version and the learner's new, explicit consent (a device never sends a
// share of a version its learner did not agree to).
const ConsentVersion = 1

// ConsentItem names one thing a learner shares. The interface shows each,
// in the learner's language, before they agree ("group.consent_<item>").
type ConsentItem string

// The items of consent version 1, in the order the consent screen lists
// them. Nothing else is ever in a share of version 1.
const (
	// ItemNickname: a nickname the learner chooses for this group.
	ItemNickname ConsentItem = "nickname"
	// ItemLessons: the lessons finished and started, each with the day
	// it was finished or last worked on.
	ItemLessons ConsentItem = "lessons"
	// ItemStruggled: the questions answered wrong more than once (which
	// question, how many wrong answers, whether it was right in the end;
	// never what the answers were).
	ItemStruggled ConsentItem = "struggled"
	// ItemMilestones: the journey's milestones the learner switched
	// sharing on for, and the day each was ticked: by id only (default
	// milestones), never a note, a date the learner wrote, or the title
	// of a milestone of their own.
	ItemMilestones ConsentItem = "milestones"
	// ItemLastActive: the last day the learner used the app.
	ItemLastActive ConsentItem = "last_active"
	// ItemAttendance: that the learner followed one of the group's live
	// sessions on a trainer's laptop, and the day. It is not in the share:
	// the learner's app tells the trainer's hub, as it joins a session, an
	// AttendanceClaim for each of its groups, and the trainer's app keeps
	// the attendance of members it recognises (issue 12).
	ItemAttendance ConsentItem = "attendance"
)

// ConsentItems lists what consent version 1 shares.
var ConsentItems = []ConsentItem{ItemNickname, ItemLessons, ItemStruggled, ItemMilestones, ItemLastActive, ItemAttendance}

// Never lists what no share ever holds, for the consent screen to say so
// ("group.never_<item>").
var Never = []string{"notes", "answers", "name", "other"}

// StruggleWrong is how many wrong answers to one question make it one the
// learner struggled with: answered wrong repeatedly.
const StruggleWrong = 2

// MaxNickname is the longest nickname for a group, in characters.
const MaxNickname = 30

// Day is a calendar day, "2006-01-02", in the learner's own time zone.
const Day = time.DateOnly

// Share is what one learner shares with a group: exactly the consent's
// items, and nothing else.
type Share struct {
	// Consent is the consent version the share was built under.
	Consent int `json:"v"`
	// Nickname is the name the learner chose for this group.
	Nickname string `json:"n"`
	// Done are the lessons finished, with the day each was first
	// finished; InProgress those started and not finished, with the day
	// each was last worked on. Both in lesson id order.
	Done       []LessonDay `json:"done,omitempty"`
	InProgress []LessonDay `json:"prog,omitempty"`
	// Struggled are the questions answered wrong StruggleWrong times or
	// more, in lesson and step order.
	Struggled []Struggle `json:"hard,omitempty"`
	// Milestones are the default milestones the learner reached and
	// chose to share, with the day each was ticked.
	Milestones []MilestoneDay `json:"ms,omitempty"`
	// LastActive is the last day the learner did anything ("" never).
	LastActive string `json:"last,omitempty"`
}

// LessonDay is a lesson and a day.
type LessonDay struct {
	Lesson string `json:"l"`
	Day    string `json:"d"`
}

// Struggle is one question a learner found hard.
type Struggle struct {
	Lesson string `json:"l"`
	Step   string `json:"s"`
	// Wrong counts the wrong answers; Right is whether one was right in
	// the end.
	Wrong int  `json:"w"`
	Right bool `json:"r,omitempty"`
}

// MilestoneDay is a default milestone reached, and the day it was ticked.
type MilestoneDay struct {
	ID  string `json:"id"`
	Day string `json:"d"`
}

// CleanNickname trims a nickname and checks it: 1 to MaxNickname
// printable characters. It returns ErrInvalid otherwise.
func CleanNickname(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	n := utf8.RuneCountInString(s)
	if n == 0 || n > MaxNickname {
		return "", fmt.Errorf("nickname: %w", ErrInvalid)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return "", fmt.Errorf("nickname: %w", ErrInvalid)
		}
	}
	return s, nil
}

// BuildShare makes a learner's share from their progress, under consent
// version 1, with days in loc (the learner's time zone).
func BuildShare(p *learn.Progress, nickname string, loc *time.Location) Share {
	day := func(h learn.HLC) string { return h.Time().In(loc).Format(Day) }
	s := Share{Consent: ConsentVersion, Nickname: nickname}
	var last learn.HLC
	for id, l := range p.Lessons {
		last = max(last, l.Updated)
		switch l.Status() {
		case learn.Done:
			s.Done = append(s.Done, LessonDay{Lesson: id, Day: day(l.Completed)})
		case learn.InProgress:
			s.InProgress = append(s.InProgress, LessonDay{Lesson: id, Day: day(l.Updated)})
		}
	}
	for ref, st := range p.Steps {
		if st.Wrong >= StruggleWrong {
			s.Struggled = append(s.Struggled, Struggle{Lesson: ref.Lesson, Step: ref.Step, Wrong: st.Wrong, Right: st.Correct})
		}
	}
	for _, d := range learn.DefaultMilestones {
		m := p.Milestones[d.ID]
		last = max(last, m.Done.Clock, m.Note.Clock, m.Share.Clock)
		if m.IsDone() && m.Shared() {
			s.Milestones = append(s.Milestones, MilestoneDay{ID: d.ID, Day: day(m.Done.Clock)})
		}
	}
	for _, m := range p.Milestones {
		last = max(last, m.Title.Clock, m.Done.Clock, m.Note.Clock, m.Share.Clock)
	}
	if last != 0 {
		s.LastActive = day(last)
	}
	byLesson := func(a, b LessonDay) int { return strings.Compare(a.Lesson, b.Lesson) }
	slices.SortFunc(s.Done, byLesson)
	slices.SortFunc(s.InProgress, byLesson)
	slices.SortFunc(s.Struggled, func(a, b Struggle) int {
		if c := strings.Compare(a.Lesson, b.Lesson); c != 0 {
			return c
		}
		return strings.Compare(a.Step, b.Step)
	})
	return s
}

// Limits on a share as it is opened: a share is the learner's claim,
// checked like any input.
const (
	maxItems   = 2000
	maxID      = 100
	maxPlain   = 256 << 10
	formatJSON = 1 // plaintext format: DEFLATE of the JSON
)

// Validate checks a share's shape: its consent version, nickname, ids and
// days. A share that breaks a rule is refused whole.
func (s Share) Validate() error {
	if s.Consent != ConsentVersion {
		return fmt.Errorf("share: consent version %d: %w", s.Consent, ErrInvalid)
	}
	if _, err := CleanNickname(s.Nickname); err != nil {
		return fmt.Errorf("share: %w", err)
	}
	if len(s.Done)+len(s.InProgress)+len(s.Struggled)+len(s.Milestones) > maxItems {
		return fmt.Errorf("share: too many items: %w", ErrInvalid)
	}
	okID := func(id string) bool { return id != "" && len(id) <= maxID && utf8.ValidString(id) }
	okDay := func(d string) bool { _, err := time.Parse(Day, d); return err == nil }
	for _, l := range append(slices.Clone(s.Done), s.InProgress...) {
		if !okID(l.Lesson) || !okDay(l.Day) {
			return fmt.Errorf("share: lesson: %w", ErrInvalid)
		}
	}
	for _, h := range s.Struggled {
		if !okID(h.Lesson) || !okID(h.Step) || h.Wrong < StruggleWrong || h.Wrong > 1<<20 {
			return fmt.Errorf("share: question: %w", ErrInvalid)
		}
	}
	for _, m := range s.Milestones {
		if learn.DefaultMilestone(m.ID) == nil || !okDay(m.Day) {
			return fmt.Errorf("share: milestone: %w", ErrInvalid)
		}
	}
	if s.LastActive != "" && !okDay(s.LastActive) {
		return fmt.Errorf("share: last active: %w", ErrInvalid)
	}
	return nil
}

// Encode returns the share's plaintext as it is sealed: a format byte and
// the JSON, DEFLATE-compressed. It is also what a device compares to tell
// whether its share changed.
func (s Share) Encode() []byte {
	j, err := json.Marshal(s)
	if err != nil {
		panic(err) // strings and numbers always marshal
	}
	var buf bytes.Buffer
	buf.WriteByte(formatJSON)
	w, _ := flate.NewWriter(&buf, flate.BestCompression) // the level is valid
	w.Write(j)                                           // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes()
}

// decode reads what Encode made, within maxPlain bytes of JSON.
func decode(plain []byte) (Share, error) {
	if len(plain) < 1 || plain[0] != formatJSON {
		return Share{}, fmt.Errorf("share: format: %w", ErrInvalid)
	}
	r := flate.NewReader(bytes.NewReader(plain[1:]))
	j, err := io.ReadAll(io.LimitReader(r, maxPlain+1))
	if err != nil || len(j) > maxPlain {
		return Share{}, fmt.Errorf("share: %w", ErrInvalid)
	}
	var s Share
	if err := json.Unmarshal(j, &s); err != nil {
		return Share{}, fmt.Errorf("share: %w", ErrInvalid)
	}
	return s, s.Validate()
}

// Seal seals the share to a group's public key, bound to the group and
// the member it is from.
func (s Share) Seal(pub PublicKey, groupID, memberID string) ([]byte, error) {
	return seal(pub, groupID, memberID, s.Encode())
}

// SealPlain seals a plaintext Encode made (a device keeps it to compare).
func SealPlain(pub PublicKey, groupID, memberID string, plain []byte) ([]byte, error) {
	return seal(pub, groupID, memberID, plain)
}

// OpenShare opens a sealed share of member in group with the group's
// private key, and checks it.
func OpenShare(priv PrivateKey, groupID, memberID string, blob []byte) (Share, error) {
	plain, err := open(priv, groupID, memberID, blob)
	if err != nil {
		return Share{}, err
	}
	return decode(plain)
}

// Membership is a group a learner is in, as their app lists it.
type Membership struct {
	// Group is the group's id; Name its trainer's name for it.
	Group, Name string
	// Nickname is what the group's trainers see the learner as.
	Nickname string
	Joined   time.Time
	// Leaving: the learner left, and the server is still to delete what
	// they shared (nothing more is sent).
	Leaving bool
}

// Summary is one of a trainer's groups, as the trainer's screens show it.
type Summary struct {
	ID, Name string
	Created  time.Time
	// Members counts the members last seen; Synced is when (zero: never).
	Members int
	Synced  time.Time
	// Unreadable counts members whose share did not open.
	Unreadable int
	// Codes are the join codes made and not expired, newest first.
	Codes []Code
}

// Code is a join or co-trainer code as the trainer's screens show it.
type Code struct {
	Code    string
	Lookup  string
	Expires time.Time
	Revoked bool
}
