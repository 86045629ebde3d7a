package learn

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Strength is how hard a passcode is to guess.
type Strength string

// The strengths, weakest first.
const (
	Weak   Strength = "weak"
	Fair   Strength = "fair"
	Strong Strength = "strong"
)

func (s Strength) rank() int {
	switch s {
	case Fair:
		return 1
	case Strong:
		return 2
	}
	return 0
}

// AtLeast reports whether s is as strong as goal or stronger.
func (s Strength) AtLeast(goal Strength) bool { return s.rank() >= goal.rank() }

// Valid reports whether s is a known strength.
func (s Strength) Valid() bool { return s == Weak || s == Fair || s == Strong }

// Reasons a passcode is not strong, as ids the interface translates.
const (
	ReasonShort    = "short"    // too few characters
	ReasonRepeat   = "repeat"   // the same character again and again
	ReasonSequence = "sequence" // 1234, 9876, abcd
	ReasonDate     = "date"     // looks like a birthday or a year
	ReasonCommon   = "common"   // one of the codes people try first
	ReasonOneKind  = "one-kind" // a password of only letters, or only digits
	ReasonNotPIN   = "not-pin"  // a PIN must be digits only
)

// commonCodes are among the first codes anyone trying to get in guesses.
var commonCodes = []string{
	"0000", "1111", "1212", "1234", "2222", "4321", "6969", "7777",
	"000000", "111111", "112233", "121212", "123123", "123321", "123456", "654321", "666666", "696969",
	"password", "password1", "passw0rd", "qwerty", "qwerty123", "iloveyou", "letmein", "welcome", "admin", "abc123",
}

// PasscodeStrength rates a PIN (mode "pin") or a password for how hard it
// is to guess, and says why it is not stronger. It never keeps the code.
func PasscodeStrength(code, mode string) (Strength, []string) {
	var why []string
	lower := strings.ToLower(code)
	if slices.Contains(commonCodes, lower) {
		why = append(why, ReasonCommon)
	}
	if repeated(code) {
		why = append(why, ReasonRepeat)
	}
	if sequence(lower) {
		why = append(why, ReasonSequence)
	}
	if mode == "pin" {
		for _, r := range code {
			if r < '0' || r > '9' {
				return Weak, []string{ReasonNotPIN}
			}
		}
		if looksLikeDate(code) {
			why = append(why, ReasonDate)
		}
		switch {
		case len(code) < 6:
			return Weak, append([]string{ReasonShort}, why...)
		case len(why) > 0:
			return Weak, why
		case distinct(code) < 4:
			return Fair, []string{ReasonRepeat}
		}
		return Strong, nil
	}

	kinds := 0
	for _, is := range []func(rune) bool{unicode.IsLower, unicode.IsUpper, unicode.IsDigit, isSymbol} {
		if strings.IndexFunc(code, is) >= 0 {
			kinds++
		}
	}
	words := len(strings.Fields(code))
	n := len([]rune(code))
	switch {
	case n < 8:
		return Weak, append([]string{ReasonShort}, why...)
	case len(why) > 0:
		return Weak, why
	case words >= 3 && n >= 15:
		return Strong, nil // three or more random words: long and easy to remember
	case n >= 12 && kinds >= 2, n >= 10 && kinds >= 3:
		return Strong, nil
	case kinds < 2:
		return Fair, []string{ReasonOneKind}
	}
	return Fair, []string{ReasonShort}
}

func isSymbol(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) }

// repeated reports a code that is one character, or two, over and over.
func repeated(code string) bool {
	return len(code) >= 3 && distinct(code) <= 2 && (distinct(code) == 1 || len(code) >= 4)
}

func distinct(code string) int {
	seen := map[rune]bool{}
	for _, r := range code {
		seen[r] = true
	}
	return len(seen)
}

// sequence reports four or more characters in a row going up or down by
// one, such as 3456 or dcba.
func sequence(code string) bool {
	rs := []rune(code)
	up, down := 1, 1
	for i := 1; i < len(rs); i++ {
		switch rs[i] - rs[i-1] {
		case 1:
			up, down = up+1, 1
		case -1:
			up, down = 1, down+1
		default:
			up, down = 1, 1
		}
		if up >= 4 || down >= 4 {
			return true
		}
	}
	return false
}

// looksLikeDate reports a PIN that is a date (DDMMYY, DDMMYYYY, MMDDYY) or
// holds a year from 1940 to 2039.
func looksLikeDate(code string) bool {
	for _, layout := range []string{"020106", "02012006", "010206", "01022006", "20060102", "060102"} {
		if len(code) == len(layout) {
			if _, err := time.Parse(layout, code); err == nil {
				return true
			}
		}
	}
	for i := 0; i+4 <= len(code); i++ {
		y := code[i : i+4]
		if (y >= "1940" && y <= "1999") || (y >= "2000" && y <= "2039") {
			return len(code) <= 6
		}
	}
	return false
}

// EmailAnswer turns what a learner wrote into an email step's answer: the
// parts that are right and the files attached. The words typed are never
// kept, only whether each part is right.
func EmailAnswer(s Step, to, subject, body string, attached []string) []string {
	var out []string
	if strings.EqualFold(strings.TrimSpace(to), strings.TrimSpace(s.To)) {
		out = append(out, EmailTo)
	}
	if s.NeedSubject && strings.TrimSpace(subject) != "" {
		out = append(out, EmailSubject)
	}
	if strings.TrimSpace(body) != "" {
		out = append(out, EmailBody)
	}
	return append(out, attached...)
}
