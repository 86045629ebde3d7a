// Package l10n translates Waymark's interface with go-i18n and picks the
// learner's language with golang.org/x/text/language: the learner's own
// choice first, then the system's languages, then English. A language is
// only picked on a confident match, so a phone set to Amharic gets English,
// never Tigrinya.
package l10n

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// LanguagesFile describes every interface language.
const LanguagesFile = "languages.toml"

// Language is one interface language.
type Language struct {
	Tag     string // BCP 47, such as "ti"
	Name    string // in its own script: "ትግርኛ"
	English string // in English: "Tigrinya"
	Script  string // ISO 15924: Latn, Ethi, Arab
	RTL     bool   // written right to left
	Draft   bool   // translation not yet reviewed by a fluent speaker
}

// aliases map a language the matcher would not pair confidently with one
// of ours to the one its readers read. Dari is written and read as Farsi.
var aliases = map[string]string{
	"prs": "fa", // Dari
	"pes": "fa", // Iranian Persian
}

// Catalog holds every interface language and its messages.
type Catalog struct {
	Languages []Language
	bundle    *i18n.Bundle
	matcher   language.Matcher
	tags      []language.Tag
	// broken holds, per language, messages whose placeholders differ from
	// English: they show in English rather than with a hole in them.
	broken map[string]map[string]bool

	fsys     fs.FS
	mu       sync.Mutex
	loaded   map[string]bool
	en       map[string]message
	problems tomldoc.Problems
}

// Load reads languages.toml and English from fsys. Another language's
// messages are read the first time a Localizer for it is made, so start-up
// reads only what the learner uses. A broken message file is reported
// (see Problems) and its language falls back to English, so one bad
// translation never stops the app.
func Load(fsys fs.FS) (*Catalog, tomldoc.Problems) {
	var ps tomldoc.Problems
	c := &Catalog{fsys: fsys, bundle: i18n.NewBundle(language.English), broken: map[string]map[string]bool{}, loaded: map[string]bool{}}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range readLanguages(fsys, &ps) {
		c.Languages = append(c.Languages, lang)
		c.tags = append(c.tags, language.Make(lang.Tag))
	}
	if c.Language(learn.DefaultLanguage) == nil {
		// Without English there is nothing to fall back to.
		c.Languages = append([]Language{{Tag: "en", Name: "English", English: "English", Script: "Latn"}}, c.Languages...)
		c.tags = append([]language.Tag{language.English}, c.tags...)
	}
	c.matcher = language.NewMatcher(c.tags)
	c.ensure(learn.DefaultLanguage)
	ps = append(ps, c.problems...)
	c.problems = nil
	return c, ps
}

// ensure reads a language's messages if they have not been read yet.
func (c *Catalog) ensure(tag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded[tag] || c.Language(tag) == nil {
		return
	}
	c.loaded[tag] = true
	name := tag + ".toml"
	data, err := fs.ReadFile(c.fsys, name)
	if err == nil {
		_, err = c.bundle.ParseMessageFileBytes(data, name)
	}
	if err != nil {
		c.problems = append(c.problems, tomldoc.Problem{File: name, Line: errorLine(err), Message: "cannot load: " + err.Error()})
		return
	}
	if tag == learn.DefaultLanguage {
		var ignore tomldoc.Problems
		c.en = readMessages(c.fsys, name, tomldoc.NewReport("", &ignore))
		return
	}
	c.findBroken(tag)
}

// findBroken records the messages of a language whose placeholders
// differ from English. Check reports them; here they are only kept from
// the learner's sight.
func (c *Catalog) findBroken(tag string) {
	var ignore tomldoc.Problems
	for id, m := range readMessages(c.fsys, tag+".toml", tomldoc.NewReport("", &ignore)) {
		if e, ok := c.en[id]; ok && !slices.Equal(e.placeholders, m.placeholders) {
			if c.broken[tag] == nil {
				c.broken[tag] = map[string]bool{}
			}
			c.broken[tag][id] = true
		}
	}
}

// Problems returns, and forgets, the problems found reading languages
// since Load.
func (c *Catalog) Problems() tomldoc.Problems {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps := c.problems
	c.problems = nil
	return ps
}

func readLanguages(fsys fs.FS, ps *tomldoc.Problems) []Language {
	r := tomldoc.NewReport(LanguagesFile, ps)
	d := tomldoc.Read(fsys, LanguagesFile, r)
	if d == nil {
		return nil
	}
	var out []Language
	for i := 0; d.HasTable(fmt.Sprintf("language.%d", i)); i++ {
		p := fmt.Sprintf("language.%d.", i)
		var l Language
		l.Tag, _ = d.Str(r, p+"tag")
		l.Name, _ = d.Str(r, p+"name")
		l.English, _ = d.Str(r, p+"english")
		l.Script, _ = d.Str(r, p+"script")
		l.RTL, _ = d.Bool(r, p+"rtl")
		l.Draft, _ = d.Bool(r, p+"draft")
		if _, set := d.Str(r, p+"digits"); set {
			// One digit policy for every language: see learn.ForeignDigit.
			r.Errorf(d.LineOf(p+"digits"), p+"digits", "Waymark writes numbers with the digits 0 to 9 in every language (see Numbers in lessons/README.md): remove it")
		}
		if _, err := language.Parse(l.Tag); err != nil || l.Name == "" || l.Script == "" {
			r.Errorf(d.LineOf(p+"tag"), p+"tag", "every language needs a valid tag, its own name and its script")
			continue
		}
		out = append(out, l)
	}
	d.Unused(r, "", "; a language has tag, name, english, script, rtl and draft")
	return out
}

// errorLine finds a line number in a TOML decoding error, or 0.
func errorLine(err error) int {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		return line
	}
	return 0
}

// Language returns the language with the given tag, or nil.
func (c *Catalog) Language(tag string) *Language {
	for i := range c.Languages {
		if c.Languages[i].Tag == tag {
			return &c.Languages[i]
		}
	}
	return nil
}

// Match returns the tag of the first preference that confidently matches
// one of the catalog's languages: a BCP 47 tag such as "fa-AF" or a POSIX
// locale such as "ti_ER.UTF-8". It returns "en" when none does.
func (c *Catalog) Match(prefs ...string) string {
	for _, p := range prefs {
		if tag, ok := c.match(p); ok {
			return tag
		}
	}
	return learn.DefaultLanguage
}

func (c *Catalog) match(pref string) (string, bool) {
	pref, _, _ = strings.Cut(pref, ".") // POSIX: drop the encoding
	pref, _, _ = strings.Cut(pref, "@")
	pref = strings.ReplaceAll(pref, "_", "-")
	if pref == "" || pref == "C" || pref == "POSIX" {
		return "", false
	}
	t, err := language.Parse(pref)
	if err != nil {
		return "", false
	}
	base, _ := t.Base()
	if alias, ok := aliases[base.String()]; ok {
		t = language.Make(alias)
	}
	_, i, conf := c.matcher.Match(t)
	if conf < language.High {
		return "", false
	}
	return c.Languages[i].Tag, true
}

// Localizer translates into one language, falling back to English for a
// message that language lacks. It never returns a message id.
type Localizer struct {
	lang   Language
	loc    *i18n.Localizer
	en     *i18n.Localizer
	broken map[string]bool
}

// Localizer returns a localizer for tag (English if the tag is unknown),
// reading its messages the first time.
func (c *Catalog) Localizer(tag string) *Localizer {
	l := c.Language(tag)
	if l == nil {
		l = c.Language(learn.DefaultLanguage)
	}
	c.ensure(l.Tag)
	return &Localizer{
		lang:   *l,
		loc:    i18n.NewLocalizer(c.bundle, l.Tag),
		en:     i18n.NewLocalizer(c.bundle, learn.DefaultLanguage),
		broken: c.brokenFor(l.Tag),
	}
}

// Language returns the language the localizer translates into.
func (l *Localizer) Language() Language { return l.lang }

// T translates a message. data fills its {{.Placeholders}}.
func (l *Localizer) T(id string, data ...map[string]any) string {
	return l.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: first(data)})
}

// N translates a message that depends on a count, with the plural form
// the language needs for it; {{.Count}} is the count.
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	d := map[string]any{"Count": count}
	for k, v := range first(data) {
		d[k] = v
	}
	return l.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: count})
}

// Num writes a whole number. Every language writes numbers with the
// digits 0 to 9, as lessons do: one set of digits on every screen, the
// one on phones' keypads and on UK prices, buses and letters (the policy
// is explained at learn.ForeignDigit, which the checks use).
func (l *Localizer) Num(n int) string { return strconv.Itoa(n) }

// Has reports whether the language itself (without falling back) has the
// message, in every plural form it needs for count (-1: no count).
func (l *Localizer) Has(id string, count int) bool {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if count >= 0 {
		cfg.PluralCount = count
		cfg.TemplateData = map[string]any{"Count": count}
	}
	if l.broken[id] {
		return false
	}
	_, tag, err := l.loc.LocalizeWithTag(cfg)
	base, _ := tag.Base()
	return err == nil && base.String() == strings.SplitN(l.lang.Tag, "-", 2)[0]
}

func (l *Localizer) localize(cfg *i18n.LocalizeConfig) string {
	if !l.broken[cfg.MessageID] {
		if s, err := l.loc.Localize(cfg); err == nil && s != "" {
			return s
		}
	}
	// A broken or missing translation: English, never the id.
	if s, err := l.en.Localize(cfg); err == nil {
		return s
	}
	return ""
}

func first(data []map[string]any) map[string]any {
	if len(data) == 0 {
		return nil
	}
	return data[0]
}

func (c *Catalog) brokenFor(tag string) map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken[tag]
}
