package learn_test

import (
	"slices"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
)

func TestPasscodeStrength(t *testing.T) {
	tests := []struct {
		code, mode string
		want       learn.Strength
		why        string // one reason expected, "" for none
	}{
		{"1234", "pin", learn.Weak, learn.ReasonShort},
		{"123456", "pin", learn.Weak, learn.ReasonCommon},
		{"111111", "pin", learn.Weak, learn.ReasonRepeat},
		{"456789", "pin", learn.Weak, learn.ReasonSequence},
		{"140396", "pin", learn.Weak, learn.ReasonDate},
		{"19880412", "pin", learn.Weak, learn.ReasonDate},
		{"343435", "pin", learn.Fair, learn.ReasonRepeat},
		{"730591", "pin", learn.Strong, ""},
		{"48203917", "pin", learn.Strong, ""},
		{"12ab56", "pin", learn.Weak, learn.ReasonNotPIN},
		{"password", "password", learn.Weak, learn.ReasonCommon},
		{"sunflower", "password", learn.Fair, learn.ReasonOneKind},
		{"Sunfl0wer", "password", learn.Fair, learn.ReasonShort},
		{"Sunfl0wer!7", "password", learn.Strong, ""},
		{"kettle river blue lamp", "password", learn.Strong, ""},
		{"abcd1234", "password", learn.Weak, learn.ReasonSequence},
		{"short", "password", learn.Weak, learn.ReasonShort},
	}
	for _, tt := range tests {
		got, why := learn.PasscodeStrength(tt.code, tt.mode)
		if got != tt.want || (tt.why != "" && !slices.Contains(why, tt.why)) || (tt.why == "" && len(why) > 0) {
			t.Errorf("PasscodeStrength(%q, %s) = %s %v, want %s with %q", tt.code, tt.mode, got, why, tt.want, tt.why)
		}
	}
}

func TestGradeSimulations(t *testing.T) {
	inbox := learn.Step{ID: "i", Kind: learn.KindInbox, Options: []string{"gp", "parcel", "friend", "refund"}, Correct: []string{"parcel", "refund"}}
	flow := learn.Step{ID: "f", Kind: learn.KindFlow, Screens: []learn.Screen{
		{ID: "home", Choices: []string{"rx", "appts"}, Next: "appts"},
		{ID: "slots", Choices: []string{"tue", "wed"}, Next: "tue"},
		{ID: "done"},
	}}
	email := learn.Step{ID: "e", Kind: learn.KindEmail, To: "jobs@greenleaf.example", NeedSubject: true, Attachments: []string{"cv", "passport"}, Attach: "cv"}
	pass := learn.Step{ID: "p", Kind: learn.KindPasscode, Mode: "pin", Goal: learn.Strong}
	privacy := learn.Step{ID: "v", Kind: learn.KindPrivacy, Options: []string{"location", "backup", "public"}, Correct: []string{"backup"}}
	tests := []struct {
		name    string
		step    learn.Step
		answer  []string
		correct bool
		missed  []string
	}{
		{"inbox sorted right", inbox, []string{"refund", "parcel"}, true, nil},
		{"inbox: a scam marked safe", inbox, []string{"parcel"}, false, []string{"refund"}},
		{"flow straight through", flow, []string{"home/appts", "slots/tue"}, true, nil},
		{"flow with a detour is still done", flow, []string{"home/rx", "home/appts", "slots/tue"}, true, nil},
		{"flow not finished", flow, []string{"home/appts"}, false, []string{"slots/tue"}},
		{"email all right", email, learn.EmailAnswer(email, " Jobs@GreenLeaf.example ", "My CV", "Hello", []string{"cv"}), true, nil},
		{"email: no attachment", email, learn.EmailAnswer(email, "jobs@greenleaf.example", "My CV", "Hello", nil), false, []string{"cv"}},
		{"email: wrong address", email, learn.EmailAnswer(email, "jobs@greenleef.example", "CV", "Hello", []string{"cv"}), false, []string{learn.EmailTo}},
		{"email: no subject", email, learn.EmailAnswer(email, "jobs@greenleaf.example", " ", "Hello", []string{"cv"}), false, []string{learn.EmailSubject}},
		{"passcode strong", pass, []string{"strong"}, true, nil},
		{"passcode fair", pass, []string{"fair"}, false, []string{"strong"}},
		{"privacy safe", privacy, []string{"backup"}, true, nil},
		{"privacy: all off is safe too", privacy, nil, true, nil},
		{"privacy: location left on", privacy, []string{"backup", "location"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := learn.Grade(tt.step, tt.answer)
			if err != nil {
				t.Fatal(err)
			}
			if v.Correct != tt.correct || (tt.missed != nil && !slices.Equal(v.Missed, tt.missed)) {
				t.Errorf("got %+v, want correct %v, missed %v", v, tt.correct, tt.missed)
			}
		})
	}
	if _, err := learn.Grade(email, []string{"subject", "nonsense"}); err == nil {
		t.Error("an unknown id in an email answer is accepted")
	}
}

func TestEmailAnswerKeepsNoWords(t *testing.T) {
	email := learn.Step{Kind: learn.KindEmail, To: "jobs@greenleaf.example", NeedSubject: true, Attachments: []string{"cv"}}
	got := learn.EmailAnswer(email, "jobs@greenleaf.example", "My secret subject", "My private message", []string{"cv"})
	for _, a := range got {
		if a == "My secret subject" || a == "My private message" {
			t.Errorf("answer keeps what was typed: %v", got)
		}
	}
}
