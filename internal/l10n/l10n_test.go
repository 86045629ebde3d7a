package l10n_test

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/locales"
)

func catalog(t *testing.T) *l10n.Catalog {
	t.Helper()
	c, ps := l10n.Load(locales.FS)
	for _, p := range ps {
		t.Errorf("%s", p)
	}
	return c
}

// TestShippedTranslations fails when a language lacks a message English
// has, has one English does not, or uses other placeholders, or lacks a
// plural form its language needs.
func TestShippedTranslations(t *testing.T) {
	for _, p := range l10n.Check(locales.FS) {
		t.Errorf("%s", p)
	}
	c := catalog(t)
	want := []string{"en", "sq", "vi", "ro", "so", "ti", "ar", "fa"}
	var got []string
	for _, l := range c.Languages {
		got = append(got, l.Tag)
	}
	if !slices.Equal(got, want) {
		t.Errorf("languages: got %v, want %v", got, want)
	}
}

// TestPlurals localizes sample counts in every language: every count must
// give that language's own text (no fallback to English) with the number
// in it, and the languages with many forms must have them all.
func TestPlurals(t *testing.T) {
	c := catalog(t)
	for _, lang := range c.Languages {
		loc := c.Localizer(lang.Tag)
		tag := language.Make(lang.Tag)
		forms := map[plural.Form]string{}
		for _, n := range l10n.PluralSamples {
			if !loc.Has("lesson.minutes", n) {
				t.Errorf("%s: no text for %d minutes", lang.Tag, n)
				continue
			}
			s := loc.N("lesson.minutes", n)
			if !strings.Contains(s, loc.Num(n)) {
				t.Errorf("%s: %d minutes reads %q, without the number", lang.Tag, n, s)
			}
			forms[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)] = s
		}
		want := map[string]int{"ar": 6, "ro": 3, "en": 2, "sq": 2}[lang.Tag]
		if want > 0 && len(forms) != want {
			t.Errorf("%s: samples reach %d plural forms, want %d: %v", lang.Tag, len(forms), want, slices.Collect(maps.Values(forms)))
		}
	}
}

func TestMatch(t *testing.T) {
	c := catalog(t)
	tests := []struct {
		name  string
		prefs []string
		want  string
	}{
		{"learner's choice first", []string{"sq", "vi_VN.UTF-8"}, "sq"},
		{"no choice: the system's", []string{"", "vi_VN.UTF-8"}, "vi"},
		{"Amharic never gets Tigrinya", []string{"am_ET.UTF-8"}, "en"},
		{"Tigrinya in Eritrea", []string{"ti_ER"}, "ti"},
		{"Dari reads Farsi", []string{"prs"}, "fa"},
		{"Farsi in Afghanistan", []string{"fa-AF"}, "fa"},
		{"Arabic in Egypt", []string{"ar-EG"}, "ar"},
		{"Romanian in Moldova", []string{"ro-MD"}, "ro"},
		{"British English", []string{"en-GB"}, "en"},
		{"German: not offered", []string{"de_DE.UTF-8"}, "en"},
		{"the C locale", []string{"C", "POSIX"}, "en"},
		{"skip what does not match", []string{"de", "so_SO"}, "so"},
		{"nothing at all", nil, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Match(tt.prefs...); got != tt.want {
				t.Errorf("Match(%q) = %s, want %s", tt.prefs, got, tt.want)
			}
		})
	}
}

func TestFallbackNeverShowsAnID(t *testing.T) {
	c := catalog(t)
	if got := c.Localizer("sq").T("no.such.message"); got != "" {
		t.Errorf("unknown message: got %q, want empty", got)
	}
	if got := c.Localizer("xx").T("nav.home"); got != "Home" {
		t.Errorf("unknown language: got %q, want English", got)
	}
}

func TestCheckReportsBrokenTranslations(t *testing.T) {
	ps := l10n.Check(os.DirFS("testdata/broken"))
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		"ro.toml:3: player.step_of: placeholders differ from English: English has {{.Step}} {{.Total}}, this has {{.Pas}} {{.Total}}",
		"ro.toml:4: player.finsh: English has no message with this id; check the spelling against en.toml",
		"ro.toml:7: lesson.minutes: missing the plural form Romanian needs for the count 0",
		"ro.toml: warning: player.finish: not translated yet: English is shown",
		`ro.toml:11: help.open: '٢': write numbers with the digits 0 to 9, in every language (see Numbers in lessons/README.md)`,
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing problem:\n  %s\ngot:\n  %s", w, strings.Join(got, "\n  "))
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n  %s", len(got), len(want), strings.Join(got, "\n  "))
	}
	// At run time the broken message shows in English, never with a hole.
	c, _ := l10n.Load(os.DirFS("testdata/broken"))
	ro := c.Localizer("ro")
	if got := ro.T("player.step_of", map[string]any{"Step": 2, "Total": 5}); got != "Step 2 of 5" {
		t.Errorf("broken placeholder: got %q, want the English", got)
	}
	if got := ro.T("player.next"); got != "Înainte" {
		t.Errorf("a good message next to it: got %q, want the Romanian", got)
	}
}

// TestDigits writes numbers with the digits 0 to 9 in every language,
// Arabic and Farsi too: the one digit policy of lessons and interface.
func TestDigits(t *testing.T) {
	c := catalog(t)
	for _, lang := range c.Languages {
		loc := c.Localizer(lang.Tag)
		got := loc.T("player.step_of", map[string]any{"Step": 3, "Total": 12})
		if !strings.Contains(got, "3") || !strings.Contains(got, "12") {
			t.Errorf("%s: step 3 of 12 reads %q", lang.Tag, got)
		}
		if d, found := learn.ForeignDigit(loc.N("lesson.minutes", 5)); found {
			t.Errorf("%s: 5 minutes written with %q", lang.Tag, d)
		}
		if got := loc.Num(2026); got != "2026" {
			t.Errorf("%s: 2026 reads %q", lang.Tag, got)
		}
	}
}
