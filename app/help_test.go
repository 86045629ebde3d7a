package app_test

import (
	"strings"
	"testing"

	"github.com/waymark-app/waymark/lessons"
)

// The help screen shows every helpline's number from the facts registry,
// in every language, and never a fact reference or a placeholder: the
// names (NHS 111) and the Silent Solution line take their numbers from
// the registry too.
func TestHelpShowsRegistryNumbersInEveryLanguage(t *testing.T) {
	for _, lang := range sampled([]struct{ name, want string }{
		{"English", "NHS 111"}, {"Shqip", "NHS 111"}, {"Tiếng Việt", "NHS 111"}, {"Română", "NHS 111"},
		{"Soomaali", "NHS 111"}, {"ትግርኛ", "NHS 111"}, {"العربية", "NHS 111"}, {"فارسی", "NHS 111"},
	}) {
		t.Run(lang.name, func(t *testing.T) {
			h := newHarness(t)
			h.fsys = lessons.FS
			h.start()
			h.mustShow("Choose your language")
			h.tap(lang.name)
			h.tapHelp()
			for _, want := range []string{lang.want, "999", "55", "08000 121 700", "101", "0300 123 2040", "0800 808 3733"} {
				h.mustShow(want)
			}
			for _, s := range h.texts() {
				if strings.Contains(s, "{fact:") || strings.Contains(s, "{{") {
					t.Errorf("help screen shows a reference, not its value: %q", s)
				}
			}
		})
	}
}
