package lessonfile

import (
	"regexp"
	"strings"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// Phone numbers, short codes, email and web addresses belong in the facts
// registry, with their source and the date they were checked; lesson text
// refers to them as {fact:key}. These patterns find the ones typed in.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	webPattern   = regexp.MustCompile(`(?i)\b(https?://)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(uk|com|org|net|gov|info|eu)\b`)
	numberRun    = regexp.MustCompile(`\+?\d[\d ]*\d|\d`)
	factRefText  = regexp.MustCompile(`\{fact:[^}]*\}`)
	exampleHost  = regexp.MustCompile(`(?i)(^|[.@])(example\.(com|org|net)|[a-z0-9-]+\.(example|test))$`)
)

// checkContacts reports a phone number, short code, email or web address
// typed into a text instead of referred to from the facts registry. A
// made-up address on a domain kept for examples (jobs@greenleaf.example)
// is allowed: it can never reach anyone.
func checkContacts(r *tomldoc.Report, e tomldoc.Entry, v string, facts map[string]learn.Fact) bool {
	if !strings.ContainsAny(v, "0123456789@.") {
		return true
	}
	text := v
	if strings.Contains(text, "{fact:") {
		text = factRefText.ReplaceAllString(v, " ")
	}
	ok := true
	if strings.IndexByte(text, '@') >= 0 {
		for _, m := range emailPattern.FindAllString(text, -1) {
			if !exampleHost.MatchString(m) {
				r.Errorf(e.Line, e.Key, "%q is an email address: add it to %s and write {fact:key}", m, FactsFile)
				ok = false
			}
		}
		text = emailPattern.ReplaceAllString(text, " ")
	}
	for _, m := range webPatternIn(text) {
		if !exampleHost.MatchString(strings.TrimPrefix(strings.TrimPrefix(m, "https://"), "http://")) {
			r.Errorf(e.Line, e.Key, "%q is a web address: add it to %s and write {fact:key}", m, FactsFile)
			ok = false
		}
	}
	if !strings.ContainsAny(text, "0123456789") {
		return ok
	}
	known := map[string]string{}
	for key, f := range facts {
		if f.Kind == learn.FactPhone || f.Kind == learn.FactSMS || f.Kind == learn.FactText {
			known[digitsOnly(f.Value)] = key
		}
	}
	for _, m := range numberRun.FindAllString(text, -1) {
		d := digitsOnly(m)
		switch {
		case known[d] != "":
			r.Errorf(e.Line, e.Key, "%q is a number from the facts registry: write {fact:%s}", strings.TrimSpace(m), known[d])
			ok = false
		case strings.HasPrefix(m, "+44") || (strings.HasPrefix(d, "0") && len(d) >= 10):
			r.Errorf(e.Line, e.Key, "%q looks like a phone number: add it to %s and write {fact:key}", strings.TrimSpace(m), FactsFile)
			ok = false
		}
	}
	return ok
}

// checkDigits reports a number written with digits other than 0 to 9
// (learn.ForeignDigit): Waymark writes numbers with 0 to 9 in every
// language.
func checkDigits(r *tomldoc.Report, e tomldoc.Entry, v string) bool {
	d, found := learn.ForeignDigit(v)
	if found {
		r.Errorf(e.Line, e.Key, "%q: write numbers with the digits 0 to 9, in every language (see Numbers in lessons/README.md)", d)
	}
	return !found
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// webPatternIn finds web addresses, looking only where one could be: a
// dot with a letter after it.
func webPatternIn(text string) []string {
	for i := 0; i+1 < len(text); i++ {
		if text[i] == '.' && (text[i+1]|0x20) >= 'a' && (text[i+1]|0x20) <= 'z' {
			return webPattern.FindAllString(text, -1)
		}
	}
	return nil
}
