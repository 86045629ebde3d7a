package locales_test

import (
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/locales"
)

// The help screen keeps the helplines' English names, so a learner can
// say and search them; every other language must then explain each name
// in its own words, in brackets, in the name or the line under it.
func TestHelpNamesAreGlossed(t *testing.T) {
	var ps tomldoc.Problems
	en := tomldoc.Read(locales.FS, "en.toml", tomldoc.NewReport("en.toml", &ps))
	if en == nil {
		t.Fatalf("en.toml: %v", ps)
	}
	langs := []string{"sq", "vi", "ro", "so", "ti", "ar", "fa"}
	for _, lang := range langs {
		name := lang + ".toml"
		d := tomldoc.Read(locales.FS, name, tomldoc.NewReport(name, &ps))
		if d == nil {
			t.Fatalf("%s: %v", name, ps)
		}
		for _, id := range []string{"slavery", "nhs", "fraud"} {
			enName, _ := en.Str(nil, "help."+id)
			trName, _ := d.Str(nil, "help."+id)
			when, _ := d.Str(nil, "help."+id+"_when")
			if trName != enName {
				continue // translated, nothing to explain
			}
			if !strings.Contains(trName+when, "(") {
				t.Errorf("%s: help.%s keeps the English %q but explains it nowhere: add a gloss in brackets to help.%s_when", name, id, enName, id)
			}
		}
	}
}
