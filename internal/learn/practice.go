package learn

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds the rules of the practice simulations added for the
// places people get stuck most: a GOV.UK-style form, a trip with
// contactless, a bank's payee check, a CV builder and taking back a
// hijacked account. Each turns what the learner did into ids, never
// keeping what was typed: only whether each part was done.

// Input is the kind of answer a form field or CV part takes.
type Input string

// The inputs. Their string values appear in lesson files.
const (
	InputText   Input = "text"   // any words (form, CV)
	InputLines  Input = "lines"  // several lines of words (CV)
	InputEmail  Input = "email"  // an email address, checked for its form
	InputDate   Input = "date"   // day, month and year: a real date in the past
	InputCode   Input = "code"   // the security code a mock message shows
	InputChoice Input = "choice" // one of Options
)

// FormInputs are the inputs a form field may take; CVInputs, a CV part.
var (
	FormInputs = []Input{InputText, InputEmail, InputDate, InputCode, InputChoice}
	CVInputs   = []Input{InputText, InputLines}
)

// Field is one question of a form, or one part of a CV.
type Field struct {
	ID    string
	Input Input
	// Optional fields may stay empty; their answers are not recorded.
	Optional bool
	// Options are a choice field's options, and Right the one the task
	// asks for ("" when any will do).
	Options []string
	Right   string
	// Code is what a code field's mock message shows.
	Code string
	// LeaveOff marks a CV part that does not belong on a UK CV: the
	// builder offers it, and the right thing is to leave it empty.
	LeaveOff bool
}

func fieldIDs(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

// The problems a form field's answer can have, as ids the interface
// translates.
const (
	ProblemMissing    = "missing"     // nothing entered
	ProblemEmail      = "email"       // not an email address
	ProblemDatePart   = "date-part"   // a day, month or year left out
	ProblemDateYear   = "date-year"   // a year not in 4 digits
	ProblemDateReal   = "date-real"   // no such date, such as 31 April
	ProblemDateFuture = "date-future" // a date still to come
	ProblemCode       = "code"        // not the code the message shows
)

// DateValue joins a date's three boxes the way FieldProblem reads them.
func DateValue(day, month, year string) string {
	return strings.TrimSpace(day) + "/" + strings.TrimSpace(month) + "/" + strings.TrimSpace(year)
}

// FieldProblem checks what a learner entered in a form field (a date as
// DateValue joins it; a choice as the option id) and returns what is
// wrong with it, or "" when it will do. now is today, for dates.
func FieldProblem(f Field, value string, now time.Time) string {
	value = strings.TrimSpace(value)
	if f.Input == InputDate {
		return dateProblem(f, value, now)
	}
	if value == "" {
		if f.Optional {
			return ""
		}
		return ProblemMissing
	}
	switch f.Input {
	case InputEmail:
		if !looksLikeEmail(value) {
			return ProblemEmail
		}
	case InputCode:
		if normalCode(value) != normalCode(f.Code) {
			return ProblemCode
		}
	case InputChoice:
		if !slices.Contains(f.Options, value) {
			return ProblemMissing
		}
	}
	return ""
}

// looksLikeEmail accepts name@place.tld, as a form would.
func looksLikeEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || strings.ContainsAny(s, " <>") {
		return false
	}
	_, host, _ := strings.Cut(s, "@")
	dot := strings.LastIndexByte(host, '.')
	return dot > 0 && dot < len(host)-2
}

// normalCode drops the spaces people type into a code, such as 482 913.
func normalCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

func dateProblem(f Field, value string, now time.Time) string {
	parts := strings.Split(value, "/")
	if len(parts) != 3 {
		parts = []string{"", "", ""}
	}
	empty := 0
	for _, p := range parts {
		if p == "" {
			empty++
		}
	}
	switch {
	case empty == 3 && f.Optional:
		return ""
	case empty == 3:
		return ProblemMissing
	case empty > 0:
		return ProblemDatePart
	}
	d, errD := strconv.Atoi(parts[0])
	m, errM := strconv.Atoi(parts[1])
	y, errY := strconv.Atoi(parts[2])
	switch {
	case errD != nil || errM != nil || m < 1 || m > 12 || d < 1:
		return ProblemDateReal
	case errY != nil || len(parts[2]) != 4 || y < 1900:
		return ProblemDateYear
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April rolls over into May
		return ProblemDateReal
	}
	if !t.Before(now) {
		return ProblemDateFuture
	}
	return ""
}

// FormAnswer turns a form's answers into the step's answer: the id of
// every required field answered well enough to send, and for a choice
// field that asks for one option, "field/option". values holds what was
// entered by field id; it is read, never kept.
func FormAnswer(s Step, values map[string]string, now time.Time) []string {
	var out []string
	for _, f := range s.Fields {
		v := values[f.ID]
		switch {
		case FieldProblem(f, v, now) != "":
		case f.Input == InputChoice && f.Right != "":
			out = append(out, f.ID+"/"+strings.TrimSpace(v))
		case !f.Optional:
			out = append(out, f.ID)
		}
	}
	return out
}

func formChoices(s Step) []string {
	var out []string
	for _, f := range s.Fields {
		if f.Input == InputChoice && f.Right != "" {
			for _, o := range f.Options {
				out = append(out, f.ID+"/"+o)
			}
			continue
		}
		out = append(out, f.ID)
	}
	return out
}

func formRight(s Step) []string {
	var out []string
	for _, f := range s.Fields {
		switch {
		case f.Input == InputChoice && f.Right != "":
			out = append(out, f.ID+"/"+f.Right)
		case !f.Optional:
			out = append(out, f.ID)
		}
	}
	return out
}

// CVAnswer turns a CV builder's parts into the step's answer: the ids of
// the parts filled in. values holds what was typed by part id; it is
// read, never kept.
func CVAnswer(s Step, values map[string]string) []string {
	var out []string
	for _, f := range s.Fields {
		if strings.TrimSpace(values[f.ID]) != "" {
			out = append(out, f.ID)
		}
	}
	return out
}

// cvRight is a CV with every part filled in but the optional ones and
// those that stay off.
func cvRight(s Step) []string {
	var out []string
	for _, f := range s.Fields {
		if !f.Optional && !f.LeaveOff {
			out = append(out, f.ID)
		}
	}
	return out
}

func gradeCV(s Step, answer []string) Verdict {
	var v Verdict
	for _, f := range s.Fields {
		filled := slices.Contains(answer, f.ID)
		switch {
		case filled && f.LeaveOff:
			v.Wrong = append(v.Wrong, f.ID)
		case filled:
			v.Right = append(v.Right, f.ID)
		case !f.Optional && !f.LeaveOff:
			v.Missed = append(v.Missed, f.ID)
		}
	}
	v.Correct = len(v.Wrong) == 0 && len(v.Missed) == 0
	return v
}

// The stages of a trip, and the choice of touching nothing on the way
// out.
const (
	TouchIn  = "in"
	TouchOut = "out"
	NoTouch  = "none"
)

// Touch returns the answer id of touching card on the reader at stage
// (TouchIn or TouchOut); card NoTouch is walking out without touching.
func Touch(stage, card string) string { return stage + "/" + card }

func tripChoices(s Step) []string {
	var out []string
	for _, c := range s.Cards {
		out = append(out, Touch(TouchIn, c))
	}
	for _, c := range s.Cards {
		out = append(out, Touch(TouchOut, c))
	}
	return append(out, Touch(TouchOut, NoTouch))
}

// tripRight is one right trip: in and out with the first card
// that is one card alone. Any such card is right, as long as it is the
// same both times.
func tripRight(s Step) []string {
	for _, c := range s.Cards {
		if !slices.Contains(s.Clash, c) {
			return []string{Touch(TouchIn, c), Touch(TouchOut, c)}
		}
	}
	return nil
}

// gradeTrip checks the touches in order: the reader refuses a purse
// of cards (a clash: a detour, in Wrong), and the trip is right when
// the learner touched out with the card they touched in with.
func gradeTrip(s Step, answer []string) Verdict {
	var v Verdict
	in, out := "", ""
	for _, a := range answer {
		stage, card, _ := strings.Cut(a, "/")
		switch {
		case slices.Contains(s.Clash, card):
			v.Wrong = append(v.Wrong, a)
		case stage == TouchIn:
			in = card
		case stage == TouchOut:
			out = card
		}
	}
	switch {
	case in == "":
		v.Missed = tripRight(s)
	case out == in:
		v.Right = []string{Touch(TouchIn, in), Touch(TouchOut, out)}
	default:
		v.Right = []string{Touch(TouchIn, in)}
		if out != "" {
			v.Wrong = append(v.Wrong, Touch(TouchOut, out))
		}
		v.Missed = []string{Touch(TouchOut, in)}
	}
	v.Correct = len(v.Missed) == 0 && out == in
	return v
}

// Match is what a bank's payee check says about the name a learner is
// paying.
type Match string

// The results of a payee check. Their string values appear in lesson
// files.
const (
	MatchFull  Match = "match" // the name is the account's name
	MatchClose Match = "close" // nearly: the bank shows the account's name
	MatchNone  Match = "none"  // the name is not the account's
)

// Matches lists the results of a payee check.
var Matches = []Match{MatchFull, MatchClose, MatchNone}

// Action is what a learner does after a payee check.
type Action string

// The actions. Their string values appear in lesson files.
const (
	ActionPay    Action = "pay"    // pay as it is
	ActionUpdate Action = "update" // use the name on the account, then pay (close match only)
	ActionStop   Action = "stop"   // stop, and check with the person another way
)

// Actions returns the actions a bank offers after a result, in the order
// shown.
func (m Match) Actions() []Action {
	if m == MatchClose {
		return []Action{ActionUpdate, ActionPay, ActionStop}
	}
	return []Action{ActionPay, ActionStop}
}

// Payment is one payment of a payee check: what the bank's check says,
// and the action that is right.
type Payment struct {
	ID     string
	Result Match
	Right  Action
}

// PayeeChoice returns the answer id of action on payment p.
func PayeeChoice(p, action string) string { return p + "/" + action }

func payeeChoices(s Step) []string {
	var out []string
	for _, p := range s.Payments {
		for _, a := range p.Result.Actions() {
			out = append(out, PayeeChoice(p.ID, string(a)))
		}
	}
	return out
}

// The answer ids of a recovery step, besides RecoverySignOut's.
const (
	RecoveryPassword = "password" // a new password, strong
	RecoveryTwoStep  = "two-step" // 2-step verification on
)

// RecoverySignOut returns the answer id of signing device out.
func RecoverySignOut(device string) string { return "out/" + device }

func recoveryChoices(s Step) []string {
	out := []string{RecoveryPassword}
	for _, d := range s.Devices {
		out = append(out, RecoverySignOut(d))
	}
	return append(out, RecoveryTwoStep)
}

// recoveryRight is a new strong password, every other device signed
// out, and 2-step verification on.
func recoveryRight(s Step) []string {
	out := []string{RecoveryPassword}
	for _, d := range s.Devices {
		if d != s.Current {
			out = append(out, RecoverySignOut(d))
		}
	}
	return append(out, RecoveryTwoStep)
}

// Text fields of the practice simulations in this file.
const (
	FieldService   = "service"    // form: the service's name, in the header
	FieldDoneTitle = "done_title" // form: the heading of the outcome page
	FieldDone      = "done"       // form: the outcome (Markdown)
	FieldLabel     = "label"      // form field: the question
	FieldHint      = "hint"       // form field, CV part: an example or a tip
	FieldError     = "error"      // form field: what to do when it is left empty
	FieldMessage   = "message"    // code field, recovery: the mock text message
	FieldHeading   = "heading"    // CV part: its heading on the CV
	FieldStart     = "start"      // trip: where it starts
	FieldEnd       = "end"        // trip: where it ends
	FieldRide      = "ride"       // trip: on the way
	FieldDifferent = "different"  // trip: what touching out with another card does
	FieldNoTouch   = "no_touch"   // trip: what not touching out does
	FieldName      = "name"       // payment: the name the learner was given
	FieldAccount   = "account"    // payment: the name on the account; recovery: the account
)

// FieldKey returns the key of a text of a form's field, such as
// "step.code.field.email.label".
func FieldKey(step, field, key string) string {
	return "step." + step + ".field." + field + "." + key
}

// FieldOptionKey returns the key of a text of an option of a form's
// choice field.
func FieldOptionKey(step, field, option, key string) string {
	return "step." + step + ".field." + field + ".option." + option + "." + key
}

// practiceFields lists the text keys of this file's simulations, beyond
// the title, question, explanation and real life every one has.
func practiceFields(s Step) []TextField {
	var out []TextField
	add := func(key string, required bool) { out = append(out, TextField{key, required}) }
	step := func(field string, required bool) { add(StepKey(s.ID, field), required) }
	choice := func(c, field string, required bool) { add(ChoiceKey(s.ID, c, field), required) }
	switch s.Kind {
	case KindForm:
		step(FieldService, true)
		step(FieldDoneTitle, true)
		step(FieldDone, true)
		for _, f := range s.Fields {
			add(FieldKey(s.ID, f.ID, FieldLabel), true)
			add(FieldKey(s.ID, f.ID, FieldHint), false)
			add(FieldKey(s.ID, f.ID, FieldError), false)
			if f.Input == InputCode {
				add(FieldKey(s.ID, f.ID, FieldMessage), true)
			}
			for _, o := range f.Options {
				add(FieldOptionKey(s.ID, f.ID, o, FieldOptionText), true)
				// An option the task does not ask for says why.
				add(FieldOptionKey(s.ID, f.ID, o, FieldFeedback), f.Right != "" && o != f.Right)
			}
		}
	case KindCV:
		for _, f := range s.Fields {
			choice(f.ID, FieldOptionText, true)
			choice(f.ID, FieldHint, false)
			choice(f.ID, FieldHeading, false)
			choice(f.ID, FieldFeedback, f.LeaveOff)
		}
	case KindTrip:
		step(FieldStart, true)
		step(FieldEnd, true)
		step(FieldRide, false)
		step(FieldDifferent, true)
		step(FieldNoTouch, true)
		for _, c := range s.Cards {
			choice(c, FieldOptionText, true)
			choice(c, FieldFeedback, slices.Contains(s.Clash, c))
		}
	case KindPayee:
		for _, p := range s.Payments {
			choice(p.ID, FieldOptionText, true)
			choice(p.ID, FieldName, true)
			choice(p.ID, FieldAccount, p.Result == MatchClose)
			choice(p.ID, FieldFeedback, true)
		}
	case KindRecovery:
		step(FieldAccount, true)
		step(FieldMessage, true)
		for _, d := range s.Devices {
			choice(d, FieldOptionText, true)
			choice(d, FieldDetail, false)
		}
	}
	return out
}
