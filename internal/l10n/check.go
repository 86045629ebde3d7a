package l10n

import (
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// pluralForms are the keys of a message with plural forms (CLDR names).
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// messageMeta are the other reserved keys go-i18n reads from a message.
var messageMeta = []string{"description", "hash", "id", "leftdelim", "rightdelim"}

// EnglishOnly are the prefixes of message ids that need no translation:
// trainer mode's screens, for trainers (English at least; the learners'
// screens, all eight languages). A translation of one is still checked.
var EnglishOnly = []string{"trainer."}

func englishOnly(id string) bool {
	for _, p := range EnglishOnly {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}`)

// PluralSamples are counts that, between them, need every plural form of
// every CLDR language: the checks localize each one.
var PluralSamples = []int{0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 15, 19, 20, 21, 22, 25, 100, 101, 102, 103, 111, 1000, 1000000}

type message struct {
	line         int
	plural       bool
	placeholders []string // {{.Name}} placeholders and {fact:key} references
	digit        rune     // a digit other than 0-9 in it, or 0
}

// readMessages flattens one message file into message ids.
func readMessages(fsys fs.FS, name string, r *tomldoc.Report) map[string]message {
	d := tomldoc.Read(fsys, name, r)
	if d == nil {
		return nil
	}
	out := map[string]message{}
	for _, e := range d.Entries {
		id, last := e.Key, ""
		if i := strings.LastIndexByte(e.Key, '.'); i >= 0 {
			last = e.Key[i+1:]
		}
		isForm := slices.Contains(pluralForms, last)
		if isForm || slices.Contains(messageMeta, last) {
			id = strings.TrimSuffix(e.Key, "."+last)
		}
		m, seen := out[id]
		if !seen {
			m.line = e.Line
		}
		if isForm && last != "other" {
			m.plural = true
		}
		if s, ok := e.Value.(string); ok && !slices.Contains(messageMeta, last) {
			for _, p := range placeholder.FindAllStringSubmatch(s, -1) {
				if !slices.Contains(m.placeholders, p[1]) {
					m.placeholders = append(m.placeholders, p[1])
				}
			}
			if d, found := learn.ForeignDigit(s); found && m.digit == 0 {
				m.digit = d
			}
			for _, ref := range learn.FactRefs(s) {
				if r := "fact:" + ref; !slices.Contains(m.placeholders, r) {
					m.placeholders = append(m.placeholders, r)
				}
			}
		}
		out[id] = m
	}
	for id, m := range out {
		slices.Sort(m.placeholders)
		out[id] = m
	}
	return out
}

// Check compares every language's messages with English and reports: a
// message a language lacks (a warning: English shows instead), a message
// English does not have, placeholders that differ from English, a plural
// form the language needs but lacks, and digits other than 0-9 (see
// learn.ForeignDigit). It includes the problems of Load.
func Check(fsys fs.FS) tomldoc.Problems {
	c, ps := Load(fsys)
	for _, lang := range c.Languages {
		c.ensure(lang.Tag)
	}
	ps = append(ps, c.Problems()...)
	enFile := learn.DefaultLanguage + ".toml"
	en := readMessages(fsys, enFile, tomldoc.NewReport(enFile, &ps))
	ids := slices.Sorted(maps.Keys(en))
	for _, lang := range c.Languages {
		if lang.Tag == learn.DefaultLanguage {
			continue
		}
		name := lang.Tag + ".toml"
		r := tomldoc.NewReport(name, &ps)
		msgs := readMessages(fsys, name, r)
		loc := c.Localizer(lang.Tag)
		for _, id := range slices.Sorted(maps.Keys(msgs)) {
			if _, ok := en[id]; !ok {
				r.Errorf(msgs[id].line, id, "English has no message with this id; check the spelling against %s", enFile)
			}
		}
		for _, id := range ids {
			m, ok := msgs[id]
			if !ok {
				if !englishOnly(id) {
					r.Warnf(0, id, "not translated yet: English is shown")
				}
				continue
			}
			if m.digit != 0 {
				r.Errorf(m.line, id, "%q: write numbers with the digits 0 to 9, in every language (see Numbers in lessons/README.md)", m.digit)
			}
			if want := en[id].placeholders; !slices.Equal(m.placeholders, want) {
				r.Errorf(m.line, id, "placeholders differ from English: English has %s, this has %s", braces(want), braces(m.placeholders))
				continue
			}
			if en[id].plural {
				for _, n := range PluralSamples {
					if !loc.Has(id, n) {
						r.Errorf(m.line, id, "missing the plural form %s needs for the count %d", lang.English, n)
						break
					}
				}
			} else if !loc.Has(id, -1) {
				r.Errorf(m.line, id, "cannot be shown; check the {{.Placeholders}} are written as in English")
			}
		}
	}
	ps.Sort()
	return ps
}

func braces(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	out := make([]string, len(names))
	for i, n := range names {
		if ref, ok := strings.CutPrefix(n, "fact:"); ok {
			out[i] = "{fact:" + ref + "}"
			continue
		}
		out[i] = fmt.Sprintf("{{.%s}}", n)
	}
	return strings.Join(out, " ")
}
