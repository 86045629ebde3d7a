package learn

import "unicode"

// Numbers: Waymark writes every number with the digits 0 to 9, in every
// language, in lessons and in the interface alike. They are the digits
// on a phone's keypad and on everything a learner reads in the UK
// (prices, bus numbers, dates, letters, forms), and the ones a code must
// be typed in; and with one set of digits, no screen mixes two (the
// interface once wrote counts in Arabic-Indic and Persian digits while
// lessons used 0 to 9). lessons/README.md explains it to authors and
// translators; `waymark-lessons check` rejects other digits in lessons
// and in the interface's messages (ForeignDigit).

// ForeignDigit returns the first digit in s that is not one of 0 to 9
// (such as the Arabic-Indic ٣, the Persian ۳ or the Ethiopic ፫).
func ForeignDigit(s string) (rune, bool) {
	for _, r := range s {
		if r >= '0' && r <= '9' {
			continue
		}
		if unicode.IsDigit(r) || r >= '\u1369' && r <= '\u137c' {
			return r, true
		}
	}
	return 0, false
}
