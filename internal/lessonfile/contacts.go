package lessonfile

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// Phone numbers, short codes, email and web addresses belong in the facts
// registry, with their source and the date they were checked; lesson text
// refers to them as {fact:key}. These patterns find the ones typed in.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	webPattern   = regexp.MustCompile(`(?i)\b(https?://)?(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(uk|com|org|net|gov|info|eu)\b`)
	// numberRun finds runs of digits in any script: a translator may type
	// 999 as ٩٩٩ (Arabic) or ۹۹۹ (Farsi), and it is still 999.
	numberRun   = regexp.MustCompile(`\+?\p{Nd}[\p{Nd} ]*\p{Nd}|\p{Nd}`)
	factRefText = regexp.MustCompile(`\{fact:[^}]*\}`)
	exampleHost = regexp.MustCompile(`(?i)(^|[.@])(example\.(com|org|net)|[a-z0-9-]+\.(example|test))$`)
)

// checkContacts reports a phone number, short code, email or web address
// typed into a text instead of referred to from the facts registry. A
// made-up address on a domain kept for examples (jobs@greenleaf.example)
// is allowed: it can never reach anyone.
func checkContacts(r *tomldoc.Report, e tomldoc.Entry, v string, facts map[string]learn.Fact) bool {
	if !strings.ContainsAny(v, "@.") && !hasDigit(v) {
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
	if !hasDigit(text) {
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
		case strings.HasPrefix(m, "+") && strings.HasPrefix(d, "44") || strings.HasPrefix(d, "0") && len(d) >= 10:
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

// digitsOnly keeps the digits of s, in any script, as ASCII 0–9.
func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := digitValue(r); ok {
			b.WriteByte('0' + d)
		}
	}
	return b.String()
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// digitValue is the value of a decimal digit in any script. Unicode keeps
// each script's digits 0 to 9 in a row, so in a range of the Nd table
// (rows side by side merge into one range) a digit's value is its
// distance from the range's start, modulo 10.
func digitValue(r rune) (byte, bool) {
	if r >= '0' && r <= '9' {
		return byte(r - '0'), true
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return byte((r - lo) % 10), true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return byte((r - lo) % 10), true
		}
	}
	return 0, false
}

// CheckContactsIn checks the texts of other content, such as the
// interface's message files, with the same rule as lesson texts: no
// phone number, short code from the registry, email or web address typed
// in. Each file is a TOML file of strings; {fact:key} references are
// allowed. File names in the problems are as given.
func CheckContactsIn(fsys fs.FS, files []string, facts map[string]learn.Fact) tomldoc.Problems {
	var ps tomldoc.Problems
	for _, name := range files {
		r := tomldoc.NewReport(name, &ps)
		d := tomldoc.Read(fsys, name, r)
		if d == nil {
			continue
		}
		for _, e := range d.Entries {
			if v, ok := e.Value.(string); ok {
				checkContacts(r, e, v, facts)
			}
		}
	}
	ps.Sort()
	return ps
}

// TextFiles lists the .toml files directly in dir of fsys, but for skip.
func TextFiles(fsys fs.FS, dir string, skip ...string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("list text files in %q: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != textFileExt || slices.Contains(skip, e.Name()) {
			continue
		}
		out = append(out, path.Join(dir, e.Name()))
	}
	return out, nil
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
