package learn

import (
	"regexp"
	"strings"
	"time"
)

// FactKind says what a fact's value is, so the app can make it tappable.
type FactKind string

// The fact kinds.
const (
	FactPhone FactKind = "phone" // a number to call
	FactSMS   FactKind = "sms"   // a short code to text
	FactEmail FactKind = "email" // an address to write to
	FactWeb   FactKind = "web"   // a website
	FactText  FactKind = "text"  // anything else, shown as is
)

// Valid reports whether k is a known kind.
func (k FactKind) Valid() bool {
	switch k {
	case FactPhone, FactSMS, FactEmail, FactWeb, FactText:
		return true
	}
	return false
}

// Fact is a checked service fact, such as a helpline number, kept in one
// registry with where it came from and when it was last checked. Lessons
// refer to facts by key and never type the value.
type Fact struct {
	Key      string
	Kind     FactKind
	Value    string
	Source   string
	Verified time.Time
}

// Stale reports whether the fact was last checked more than a year before now.
func (f Fact) Stale(now time.Time) bool {
	return f.Verified.AddDate(1, 0, 0).Before(now)
}

// Link returns the URI that opens the fact: a tel:, sms:, mailto: or web
// address, or "" for plain text.
func (f Fact) Link() string {
	switch f.Kind {
	case FactPhone:
		return "tel:" + digits(f.Value)
	case FactSMS:
		return "sms:" + digits(f.Value)
	case FactEmail:
		return "mailto:" + f.Value
	case FactWeb:
		if strings.Contains(f.Value, "://") {
			return f.Value
		}
		return "https://" + f.Value
	}
	return ""
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r == '+' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// factRef matches a fact reference in lesson text: {fact:scam.text}.
var factRef = regexp.MustCompile(`\{fact:([a-z0-9_.\-]+)\}`)

// FactRefs returns the fact keys text refers to, in order.
func FactRefs(text string) []string {
	var out []string
	for _, m := range factRef.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// ExpandFacts replaces every fact reference in text with render(fact). A
// reference to an unknown key becomes "" (content checks catch it first),
// so a learner never sees the raw reference.
func ExpandFacts(text string, facts map[string]Fact, render func(Fact) string) string {
	if !strings.Contains(text, "{fact:") {
		return text
	}
	return factRef.ReplaceAllStringFunc(text, func(m string) string {
		f, ok := facts[factRef.FindStringSubmatch(m)[1]]
		if !ok {
			return ""
		}
		return render(f)
	})
}
