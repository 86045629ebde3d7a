package learn

import (
	"slices"
)

// DefaultLanguage is the language every lesson and UI string is written in
// first. A string missing in another language falls back to it.
const DefaultLanguage = "en"

// Area is one of the skill areas of the Essential Digital Skills framework
// (Department for Education, 2018). Trainers report against these.
type Area string

// The Essential Digital Skills areas. The string values appear in lesson
// files and are never changed.
const (
	AreaFoundation    Area = "foundation"
	AreaCommunicating Area = "communicating"
	AreaHandling      Area = "handling-information"
	AreaTransacting   Area = "transacting"
	AreaProblem       Area = "problem-solving"
	AreaSafe          Area = "being-safe"
)

// Areas lists every skill area in the framework's order.
var Areas = []Area{AreaFoundation, AreaCommunicating, AreaHandling, AreaTransacting, AreaProblem, AreaSafe}

// Valid reports whether a is one of the framework's areas.
func (a Area) Valid() bool { return slices.Contains(Areas, a) }

// Level is a level of the national standards for essential digital skills
// (April 2019).
type Level string

// The two levels of the national standards.
const (
	LevelEntry Level = "entry"
	Level1     Level = "level-1"
)

// Valid reports whether l is one of the two levels.
func (l Level) Valid() bool { return l == LevelEntry || l == Level1 }

// Course is all the content the app can show: tracks in order, the lessons
// they hold, and the facts lessons refer to. A course is used from one
// goroutine at a time (the app's interface goroutine).
type Course struct {
	Tracks []*Track
	// Lessons holds the lessons read so far: all of them, unless Load is
	// set.
	Lessons map[string]*Lesson
	// Load, if set, reads a lesson that is not in Lessons yet, or returns
	// nil when it cannot. The app reads each lesson the first time it is
	// needed, so that start-up takes as long with 400 lessons as with 4.
	Load  func(id string) *Lesson
	Facts map[string]Fact

	missing map[string]bool // ids Load could not read
	// Languages lists every language that has at least one text file, in
	// sorted order, DefaultLanguage included.
	Languages []string
}

// Lesson returns the lesson with the given id, reading it if need be, or
// nil.
func (c *Course) Lesson(id string) *Lesson {
	if c == nil {
		return nil
	}
	if l := c.Lessons[id]; l != nil || c.Load == nil || c.missing[id] {
		return l
	}
	l := c.Load(id)
	if l == nil {
		if c.missing == nil {
			c.missing = map[string]bool{}
		}
		c.missing[id] = true
		return nil
	}
	if c.Lessons == nil {
		c.Lessons = map[string]*Lesson{}
	}
	c.Lessons[id] = l
	return l
}

// TrackLessonIDs returns the ids of t's lessons, in order, without
// reading any: every lesson the track lists, except those known not to
// load.
func (c *Course) TrackLessonIDs(t *Track) []string {
	out := make([]string, 0, len(t.Lessons))
	for _, id := range t.Lessons {
		if c.Load == nil && c.Lessons[id] == nil || c.missing[id] {
			continue
		}
		out = append(out, id)
	}
	return out
}

// LessonIDs returns the ids of every lesson in the course, in course
// order, as TrackLessonIDs does.
func (c *Course) LessonIDs() []string {
	var ids []string
	for _, t := range c.Tracks {
		ids = append(ids, c.TrackLessonIDs(t)...)
	}
	return ids
}

// Track returns the track with the given id, or nil.
func (c *Course) Track(id string) *Track {
	for _, t := range c.Tracks {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// TrackLessons returns the lessons of t that the course holds, in order.
// Lessons that failed to load are left out, so a broken file never hides
// the rest of its track.
func (c *Course) TrackLessons(t *Track) []*Lesson {
	out := make([]*Lesson, 0, len(t.Lessons))
	for _, id := range t.Lessons {
		if l := c.Lesson(id); l != nil {
			out = append(out, l)
		}
	}
	return out
}

// Track is an ordered group of lessons on one theme, such as "Stay safe
// online".
type Track struct {
	ID      string
	Icon    string   // name of an icon in the app's assets
	Lessons []string // lesson ids, in the order a learner takes them
	Text    Texts    // keys: title, summary
}

// Lesson is one short unit, 5–10 minutes long, taken one step at a time.
type Lesson struct {
	ID      string
	Track   string
	Minutes int
	Areas   []Area
	Level   Level
	// Skills are ids of the concrete skills the lesson practises, shown on
	// the completion screen; their words are the text keys "skill.<id>".
	Skills []string
	// ContentNote is true when the lesson touches on something that may be
	// upsetting; the note's words are the text key "content_note".
	ContentNote bool
	Steps       []Step
	Text        Texts
	// Dir is the lesson's folder in the content file system; step images
	// are read from it when shown, never all at start-up.
	Dir string
}

// StepIndex returns the index of the step with the given id, or -1.
func (l *Lesson) StepIndex(id string) int {
	for i, s := range l.Steps {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// Questions counts the steps that ask the learner something.
func (l *Lesson) Questions() int {
	n := 0
	for _, s := range l.Steps {
		if s.Kind.Question() {
			n++
		}
	}
	return n
}

// StepKind says what a step shows and how it is answered.
type StepKind string

// The step kinds. Their string values appear in lesson files.
const (
	// KindRead shows Markdown text and an optional image.
	KindRead StepKind = "read"
	// KindChoice asks a question with exactly one right option.
	KindChoice StepKind = "choice"
	// KindMulti asks a question with one or more right options; the
	// learner picks all that apply.
	KindMulti StepKind = "multi"
	// KindTrueFalse asks whether a statement is true.
	KindTrueFalse StepKind = "truefalse"
	// KindOrder asks the learner to put items in the right order.
	KindOrder StepKind = "order"
	// KindSpot shows a message made of parts; the learner taps the parts
	// that are warning signs.
	KindSpot StepKind = "spot"

	// The practice simulations: offline mock-ups of the real thing, where
	// a learner can try without risk or data cost. Each ends with what to
	// do in real life (the text key "real_life").

	// KindInbox is a message inbox: the learner sorts each message into
	// safe or scam. Options are the messages; Correct, the scams.
	KindInbox StepKind = "inbox"
	// KindAdvert is a job advert with a checklist of red flags: the
	// learner ticks the ones the advert shows. Options are the flags;
	// Correct, those present.
	KindAdvert StepKind = "advert"
	// KindFlow is a mock app (an NHS-App-like booking, say): one screen at
	// a time, the learner taps the way through. Screens hold the way.
	KindFlow StepKind = "flow"
	// KindEmail is an email to write and send: recipient, subject, body
	// and perhaps an attachment.
	KindEmail StepKind = "email"
	// KindPasscode is a passcode builder that shows strength as the
	// learner types. Nothing typed is ever stored.
	KindPasscode StepKind = "passcode"
	// KindPrivacy is a privacy-settings screen with switches: the learner
	// sets each one safely. Options are the settings; Correct, those that
	// are safe to leave on.
	KindPrivacy StepKind = "privacy"
	// KindPhrases shows key English phrases beside the learner's language;
	// they join the learner's review deck (spaced repetition).
	KindPhrases StepKind = "phrases"
	// KindForm is a GOV.UK-style form: one question a page, validation
	// messages that teach, a check-your-answers page, then the outcome.
	// Fields hold the questions.
	KindForm StepKind = "form"
	// KindTrip is a trip with contactless: touch in at the start and
	// out at the end, with the same card. Cards are what the learner can
	// touch on the reader.
	KindTrip StepKind = "trip"
	// KindPayee is a bank app's payee check (Confirmation of Payee): for
	// each payment the bank says whether the name matches, and the
	// learner pays, uses the name on the account, or stops.
	KindPayee StepKind = "payee"
	// KindCV is a CV builder: the learner fills in the parts and sees the
	// CV laid out. Fields hold the parts. Nothing typed is kept.
	KindCV StepKind = "cv"
	// KindRecovery is a hijacked account to take back: change the
	// password, sign out the other devices, turn on 2-step verification.
	KindRecovery StepKind = "recovery"
)

// StepKinds lists every step kind.
var StepKinds = []StepKind{KindRead, KindChoice, KindMulti, KindTrueFalse, KindOrder, KindSpot,
	KindInbox, KindAdvert, KindFlow, KindEmail, KindPasscode, KindPrivacy, KindPhrases,
	KindForm, KindTrip, KindPayee, KindCV, KindRecovery}

// Simulation reports whether steps of this kind are practice simulations,
// which end with what to do in real life.
func (k StepKind) Simulation() bool {
	switch k {
	case KindInbox, KindAdvert, KindFlow, KindEmail, KindPasscode, KindPrivacy,
		KindForm, KindTrip, KindPayee, KindCV, KindRecovery:
		return true
	}
	return false
}

// Valid reports whether k is a known step kind.
func (k StepKind) Valid() bool { return slices.Contains(StepKinds, k) }

// Question reports whether steps of this kind are answered.
func (k StepKind) Question() bool { return k != KindRead && k != KindPhrases && k != "" }

// The option ids of a true/false step.
const (
	OptionTrue  = "true"
	OptionFalse = "false"
)

// Step is one screen of a lesson. Which fields are used depends on Kind.
type Step struct {
	ID   string
	Kind StepKind
	// Image is the path of an image inside the lesson folder ("" for none).
	Image string
	// Options are the option ids of a choice, multi or truefalse step, in
	// the order they are shown.
	Options []string
	// Correct are the ids of the right options (choice, multi, truefalse).
	Correct []string
	// Items are the ids of an order step's items, in the right order.
	Items []string
	// Parts are the ids of a spot step's message parts, in reading order.
	Parts []string
	// Signs are the ids of the parts that are warning signs.
	Signs []string

	// Style is the look of a flow's mock screens: "nhs", "phone" or "plain".
	Style string
	// Screens are a flow's screens, in the order the right way visits them.
	Screens []Screen
	// To is the address an email step expects (a fictional one, such as
	// jobs@greenleaf.example); Attachments are the files offered, and
	// Attach the one to send ("" for none). NeedSubject asks for a subject.
	To          string
	Attachments []string
	Attach      string
	NeedSubject bool
	// Mode is a passcode step's kind of code ("pin" or "password"), and
	// Goal the strength to reach.
	Mode string
	Goal Strength
	// Phrases are the ids of a phrases step's phrases.
	Phrases []string

	// Fields are a form's questions, one a page, or a CV builder's parts,
	// in order.
	Fields []Field
	// Cards are what a trip's learner can touch on the card reader;
	// Clash, those that hold more than one card (a purse), which a
	// reader refuses.
	Cards []string
	Clash []string
	// Payments are a payee check's payments, in order.
	Payments []Payment
	// Devices are the devices signed in to a recovery step's account, and
	// Current the one in the learner's hand. Code is the security code
	// its mock message shows, to turn on 2-step verification.
	Devices []string
	Current string
	Code    string
}

// Screen is one screen of a flow: choices to tap, one of which (Next)
// moves on. The last screen has no choices: it shows the outcome.
type Screen struct {
	ID      string
	Choices []string
	Next    string
}

// The answer ids of an email step: the parts that are right, besides the
// attachment's own id.
const (
	EmailTo      = "to"
	EmailSubject = "subject"
	EmailBody    = "body"
)

// Choices returns the ids a learner picks from: options, items, parts,
// the choices of every screen of a flow, an email's parts and files, the
// strengths of a passcode, phrases, a form's fields (and the options of
// a choice that asks for one), a CV's parts, a trip's touches, a
// payee check's actions, or a recovery's tasks.
func (s Step) Choices() []string {
	switch s.Kind {
	case KindOrder:
		return s.Items
	case KindSpot:
		return s.Parts
	case KindFlow:
		var out []string
		for _, sc := range s.Screens {
			for _, c := range sc.Choices {
				out = append(out, sc.ID+"/"+c)
			}
		}
		return out
	case KindEmail:
		return append([]string{EmailTo, EmailSubject, EmailBody}, s.Attachments...)
	case KindPasscode:
		return []string{string(Weak), string(Fair), string(Strong)}
	case KindPhrases:
		return s.Phrases
	case KindForm:
		return formChoices(s)
	case KindCV:
		return fieldIDs(s.Fields)
	case KindTrip:
		return tripChoices(s)
	case KindPayee:
		return payeeChoices(s)
	case KindRecovery:
		return recoveryChoices(s)
	default:
		return s.Options
	}
}

// Right returns the answer that is right, as Grade expects it.
func (s Step) Right() []string {
	switch s.Kind {
	case KindOrder:
		return s.Items
	case KindSpot:
		return s.Signs
	case KindFlow:
		var out []string
		for _, sc := range s.Screens {
			if sc.Next != "" {
				out = append(out, sc.ID+"/"+sc.Next)
			}
		}
		return out
	case KindEmail:
		out := []string{EmailTo}
		if s.NeedSubject {
			out = append(out, EmailSubject)
		}
		out = append(out, EmailBody)
		if s.Attach != "" {
			out = append(out, s.Attach)
		}
		return out
	case KindPasscode:
		return []string{string(s.Goal)}
	case KindForm:
		return formRight(s)
	case KindCV:
		return cvRight(s)
	case KindTrip:
		return tripRight(s)
	case KindPayee:
		var out []string
		for _, p := range s.Payments {
			out = append(out, p.ID+"/"+string(p.Right))
		}
		return out
	case KindRecovery:
		return recoveryRight(s)
	}
	return s.Correct
}
