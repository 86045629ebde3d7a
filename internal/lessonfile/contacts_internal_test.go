package lessonfile

import (
	"testing"
	"unicode"
)

// digitValue relies on Unicode keeping every script's decimal digits 0 to
// 9 in rows of ten, side by side within a range of the Nd table.
func TestDigitValueEveryScript(t *testing.T) {
	for _, rg := range unicode.Nd.R16 {
		if rg.Stride != 1 || (int(rg.Hi)-int(rg.Lo)+1)%10 != 0 {
			t.Errorf("Nd range %U–%U (stride %d) is not rows of ten digits", rg.Lo, rg.Hi, rg.Stride)
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rg.Stride != 1 || (int(rg.Hi)-int(rg.Lo)+1)%10 != 0 {
			t.Errorf("Nd range %U–%U (stride %d) is not rows of ten digits", rg.Lo, rg.Hi, rg.Stride)
		}
	}
	for s, want := range map[string]string{
		"999":           "999",
		"٩٩٩":           "999",         // Arabic-Indic
		"۰۸۰۰۰ ۱۲۱ ۷۰۰": "08000121700", // Persian
		"१५९":           "159",         // Devanagari
		"０３００":          "0300",        // full width
		"𝟗𝟗𝟗":           "999",         // mathematical bold, a row beside others
		"፱፱፱":           "",            // Ethiopic numerals are not decimal digits
		"24 hours":      "24",
	} {
		if got := digitsOnly(s); got != want {
			t.Errorf("digitsOnly(%q) = %q, want %q", s, got, want)
		}
	}
}
