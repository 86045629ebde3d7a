package learn_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

var today = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

func TestFieldProblem(t *testing.T) {
	email := learn.Field{ID: "email", Input: learn.InputEmail}
	date := learn.Field{ID: "dob", Input: learn.InputDate}
	code := learn.Field{ID: "code", Input: learn.InputCode, Code: "482913"}
	choice := learn.Field{ID: "why", Input: learn.InputChoice, Options: []string{"work", "rent"}, Right: "work"}
	text := learn.Field{ID: "name", Input: learn.InputText}
	optional := learn.Field{ID: "nhs", Input: learn.InputText, Optional: true}
	tests := []struct {
		name  string
		f     learn.Field
		value string
		want  string
	}{
		{"an email address", email, "amina@example.com", ""},
		{"an email address with spaces around it", email, "  amina@example.com ", ""},
		{"no @", email, "amina.example.com", learn.ProblemEmail},
		{"no dot after the @", email, "amina@example", learn.ProblemEmail},
		{"a space inside", email, "amina @example.com", learn.ProblemEmail},
		{"two @", email, "a@b@example.com", learn.ProblemEmail},
		{"an empty email", email, " ", learn.ProblemMissing},
		{"a real date", date, learn.DateValue("27", "3", "1990"), ""},
		{"a date with leading zeros", date, learn.DateValue("07", "03", "1990"), ""},
		{"no month", date, learn.DateValue("27", "", "1990"), learn.ProblemDatePart},
		{"no date at all", date, learn.DateValue("", "", ""), learn.ProblemMissing},
		{"31 April", date, learn.DateValue("31", "4", "1990"), learn.ProblemDateReal},
		{"month 13", date, learn.DateValue("1", "13", "1990"), learn.ProblemDateReal},
		{"a two-digit year", date, learn.DateValue("1", "3", "90"), learn.ProblemDateYear},
		{"letters", date, learn.DateValue("1", "March", "1990"), learn.ProblemDateReal},
		{"tomorrow", date, learn.DateValue("3", "12", "2026"), learn.ProblemDateFuture},
		{"the code", code, "482913", ""},
		{"the code with a space", code, "482 913", ""},
		{"another code", code, "482931", learn.ProblemCode},
		{"an option", choice, "rent", ""},
		{"no option", choice, "", learn.ProblemMissing},
		{"an unknown option", choice, "holiday", learn.ProblemMissing},
		{"words", text, "Amina", ""},
		{"no words", text, "", learn.ProblemMissing},
		{"optional, empty", optional, "", ""},
	}
	for _, tt := range tests {
		if got := learn.FieldProblem(tt.f, tt.value, today); got != tt.want {
			t.Errorf("%s: FieldProblem(%q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
}

var (
	form = learn.Step{ID: "f", Kind: learn.KindForm, Fields: []learn.Field{
		{ID: "email", Input: learn.InputEmail},
		{ID: "code", Input: learn.InputCode, Code: "482913"},
		{ID: "dob", Input: learn.InputDate},
		{ID: "nhs", Input: learn.InputText, Optional: true},
		{ID: "why", Input: learn.InputChoice, Options: []string{"work", "rent"}, Right: "work"},
		{ID: "help", Input: learn.InputChoice, Options: []string{"yes", "no"}},
	}}
	cv = learn.Step{ID: "c", Kind: learn.KindCV, Fields: []learn.Field{
		{ID: "name", Input: learn.InputText},
		{ID: "summary", Input: learn.InputLines},
		{ID: "town", Input: learn.InputText, Optional: true},
		{ID: "birth", Input: learn.InputText, LeaveOff: true},
	}}
	trip  = learn.Step{ID: "j", Kind: learn.KindTrip, Cards: []string{"card", "phone", "purse"}, Clash: []string{"purse"}}
	payee = learn.Step{ID: "p", Kind: learn.KindPayee, Payments: []learn.Payment{
		{ID: "rent", Result: learn.MatchFull, Right: learn.ActionPay},
		{ID: "friend", Result: learn.MatchClose, Right: learn.ActionUpdate},
		{ID: "bank", Result: learn.MatchNone, Right: learn.ActionStop},
	}}
	recovery = learn.Step{ID: "r", Kind: learn.KindRecovery, Devices: []string{"phone", "laptop", "tablet"}, Current: "phone", Code: "582916"}
)

func TestFormAnswerKeepsNoWords(t *testing.T) {
	values := map[string]string{"email": "secret@example.com", "code": "482913", "dob": learn.DateValue("27", "3", "1990"),
		"nhs": "485 777 3456", "why": "work", "help": "yes"}
	got := learn.FormAnswer(form, values, today)
	want := []string{"email", "code", "dob", "why/work", "help"}
	if !slices.Equal(got, want) {
		t.Errorf("FormAnswer = %v, want %v", got, want)
	}
	for _, a := range got {
		for _, v := range values {
			if v != "work" && v != "yes" && strings.Contains(a, v) {
				t.Errorf("answer %q keeps what was typed (%q)", a, v)
			}
		}
	}
}

func TestGradePractice(t *testing.T) {
	tests := []struct {
		name    string
		step    learn.Step
		answer  []string
		correct bool
		wrong   []string
		missed  []string
	}{
		{"form all done", form, []string{"email", "code", "dob", "why/work", "help"}, true, nil, nil},
		{"form: a code for renting", form, []string{"email", "code", "dob", "why/rent", "help"}, false, []string{"why/rent"}, []string{"why/work"}},
		{"form: the email left out", form, []string{"code", "dob", "why/work", "help"}, false, nil, []string{"email"}},
		{"cv all parts", cv, learn.CVAnswer(cv, map[string]string{"name": "Amina", "summary": "I cook."}), true, nil, nil},
		{"cv with the town too", cv, []string{"name", "summary", "town"}, true, nil, nil},
		{"cv: date of birth on it", cv, []string{"name", "summary", "birth"}, false, []string{"birth"}, nil},
		{"cv: no summary", cv, []string{"name"}, false, nil, []string{"summary"}},
		{"trip: same card", trip, []string{"in/card", "out/card"}, true, nil, nil},
		{"trip: same phone", trip, []string{"in/phone", "out/phone"}, true, nil, nil},
		{"trip: a clash, then one card", trip, []string{"in/purse", "in/card", "out/card"}, true, []string{"in/purse"}, nil},
		{"trip: out with another card", trip, []string{"in/card", "out/phone"}, false, []string{"out/phone"}, []string{"out/card"}},
		{"trip: not touched out", trip, []string{"in/phone", "out/none"}, false, []string{"out/none"}, []string{"out/phone"}},
		{"payee all right", payee, []string{"rent/pay", "friend/update", "bank/stop"}, true, nil, nil},
		{"payee: paid a no match", payee, []string{"rent/pay", "friend/update", "bank/pay"}, false, []string{"bank/pay"}, []string{"bank/stop"}},
		{"recovery all done", recovery, []string{"password", "out/laptop", "out/tablet", "two-step"}, true, nil, nil},
		{"recovery: one device left", recovery, []string{"two-step", "out/laptop", "password"}, false, nil, []string{"out/tablet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := learn.Grade(tt.step, tt.answer)
			if err != nil {
				t.Fatal(err)
			}
			if v.Correct != tt.correct || !slices.Equal(v.Wrong, tt.wrong) || !slices.Equal(v.Missed, tt.missed) {
				t.Errorf("got %+v, want correct %v, wrong %v, missed %v", v, tt.correct, tt.wrong, tt.missed)
			}
		})
	}
	for name, bad := range map[string]struct {
		step   learn.Step
		answer []string
	}{
		"payee: a payment answered twice": {payee, []string{"rent/pay", "rent/stop", "bank/stop"}},
		"payee: update on a full match":   {payee, []string{"rent/update", "friend/update", "bank/stop"}},
		"trip: an unknown card":           {trip, []string{"in/oyster"}},
		"recovery: an unknown device":     {recovery, []string{"out/desktop"}},
		"form: an unknown option":         {form, []string{"why/holiday"}},
	} {
		if _, err := learn.Grade(bad.step, bad.answer); !errors.Is(err, learn.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
}

func TestPracticeKindsAreSimulations(t *testing.T) {
	for _, k := range []learn.StepKind{learn.KindForm, learn.KindTrip, learn.KindPayee, learn.KindCV, learn.KindRecovery} {
		if !k.Valid() || !k.Simulation() || !k.Question() {
			t.Errorf("%s: valid %v, simulation %v, question %v", k, k.Valid(), k.Simulation(), k.Question())
		}
		fields := learn.StepFields(learn.Step{ID: "s", Kind: k})
		if !slices.ContainsFunc(fields, func(f learn.TextField) bool { return f.Key == "step.s.real_life" && f.Required }) {
			t.Errorf("%s: real_life is not a required text", k)
		}
	}
}
