package lessons_test

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/tomldoc"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// factsMD reads the checked UK facts: the team's shared FACTS.md where
// it is (beside the repository), else the copy kept here; the two must be
// the same.
func factsMD(t *testing.T) string {
	t.Helper()
	copyHere, err := os.ReadFile("FACTS.md")
	if err != nil {
		t.Fatal(err)
	}
	if shared, err := os.ReadFile("../../shared/FACTS.md"); err == nil && string(shared) != string(copyHere) {
		t.Fatal("lessons/FACTS.md differs from ../shared/FACTS.md: copy the shared one here and check facts.toml against it")
	}
	return string(copyHere)
}

var (
	numberRun = regexp.MustCompile(`\d[\d ]*\d|\d`)
	emailRun  = regexp.MustCompile(`[\w.+-]+@[\w-]+(\.[\w-]+)+`)
)

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Every phone number, short code and email address the lessons can show
// is in FACTS.md, confirmed. Lessons show them only through the facts
// registry ({fact:key}; waymark-lessons check, run here by Load, rejects
// any typed into a text), so checking the registry checks the content.
func TestRegistryMatchesFactsMD(t *testing.T) {
	md := factsMD(t)
	confirmed, unconfirmed := map[string]bool{}, map[string]bool{}
	emails := map[string]bool{}
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		fact, source := cells[2], cells[3]
		set := confirmed
		if strings.Contains(source, "unconfirmed") {
			set = unconfirmed
		}
		for _, m := range numberRun.FindAllString(fact, -1) {
			set[digits(m)] = true
		}
		for _, m := range emailRun.FindAllString(fact, -1) {
			emails[m] = true
		}
	}
	if len(confirmed) < 10 || !unconfirmed["08004320804"] {
		t.Fatalf("could not read FACTS.md's table: %v confirmed, %v unconfirmed", confirmed, unconfirmed)
	}

	course, ps := lessonfile.Load(lessons.FS)
	if len(ps.Errors()) > 0 {
		t.Fatalf("shipped content: %v", ps.Errors())
	}
	phones := 0
	for key, f := range course.Facts {
		switch f.Kind {
		case learn.FactPhone, learn.FactSMS, learn.FactText:
			phones++
			d := digits(f.Value)
			switch {
			case unconfirmed[d]:
				t.Errorf("%s = %q is unconfirmed in FACTS.md: do not ship it", key, f.Value)
			case !confirmed[d]:
				t.Errorf("%s = %q is not in FACTS.md", key, f.Value)
			}
		case learn.FactEmail:
			if !emails[f.Value] {
				t.Errorf("%s = %q is not in FACTS.md", key, f.Value)
			}
		case learn.FactWeb:
			if !strings.Contains(strings.ToLower(md), site(f.Value)) {
				t.Errorf("%s = %q: FACTS.md names no such site", key, f.Value)
			}
		}
	}
	if phones < 10 {
		t.Errorf("only %d numbers in the registry", phones)
	}
}

// factsRow is one row of FACTS.md's table: the key it suggests, the fact
// as written, and whether it is confirmed.
type factsRow struct {
	key, fact   string
	unconfirmed bool
}

// factsTable reads FACTS.md's table rows that name a key.
func factsTable(t *testing.T, md string) []factsRow {
	t.Helper()
	var rows []factsRow
	for _, line := range strings.Split(md, "\n") {
		cells := strings.Split(line, "|")
		if !strings.HasPrefix(line, "| ") || len(cells) < 5 {
			continue
		}
		key := strings.TrimSpace(cells[1])
		if !factKey.MatchString(key) {
			continue // the heading row
		}
		rows = append(rows, factsRow{key: key, fact: cells[2], unconfirmed: strings.Contains(cells[3], "unconfirmed")})
	}
	if len(rows) < 15 {
		t.Fatalf("read %d rows with a key from FACTS.md's table, want at least 15", len(rows))
	}
	return rows
}

var (
	factKey = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)
	boldRun = regexp.MustCompile(`\*\*(.+?)\*\*`)
	siteRun = regexp.MustCompile(`(?i)\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(uk|org|com)(/[a-z0-9-]+)*`)
)

func site(s string) string { return strings.TrimPrefix(strings.ToLower(s), "www.") }

// Each FACTS.md row with a key has a registry entry of that key whose
// value is the one that row gives first in bold, and every number the row puts in bold is
// in the registry. A row marked unconfirmed is not. Every web address
// FACTS.md gives learners (in a fact, not as its source) is in the
// registry too.
func TestRegistryHasEveryFactsMDRow(t *testing.T) {
	md := factsMD(t)
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps.Errors()) > 0 {
		t.Fatalf("shipped content: %v", ps.Errors())
	}
	byDigits := map[string]string{}
	sites := map[string]bool{}
	for key, f := range course.Facts {
		switch f.Kind {
		case learn.FactPhone, learn.FactSMS, learn.FactText:
			byDigits[digits(f.Value)] = key
		case learn.FactWeb:
			sites[site(f.Value)] = true
		}
	}
	for _, row := range factsTable(t, md) {
		f, ok := course.Facts[row.key]
		switch {
		case row.unconfirmed && ok:
			t.Errorf("%s is unconfirmed in FACTS.md but the registry has it", row.key)
			continue
		case row.unconfirmed:
			continue
		case !ok:
			t.Errorf("FACTS.md has %s; the registry has no fact of that key", row.key)
			continue
		}
		// The key's own number is the row's first number in bold (a row
		// may give a second one, such as Help to Claim's, for another key).
		inRow := false
		switch f.Kind {
		case learn.FactPhone, learn.FactSMS, learn.FactText:
			for _, b := range boldRun.FindAllStringSubmatch(row.fact, -1) {
				if m := numberRun.FindString(b[1]); m != "" {
					inRow = digits(m) == digits(f.Value)
					break
				}
			}
		default:
			inRow = strings.Contains(strings.ToLower(row.fact), site(f.Value))
		}
		if !inRow {
			t.Errorf("%s = %q, but FACTS.md's row %s says: %s", row.key, f.Value, row.key, strings.TrimSpace(row.fact))
		}
		for _, b := range boldRun.FindAllStringSubmatch(row.fact, -1) {
			for _, m := range numberRun.FindAllString(b[1], -1) {
				if byDigits[digits(m)] == "" {
					t.Errorf("FACTS.md's row %s gives %q; no fact in the registry has it", row.key, m)
				}
			}
		}
	}
	// Web addresses given to learners: in the fact column of the table,
	// and anywhere outside it.
	for _, line := range strings.Split(md, "\n") {
		text := line
		if cells := strings.Split(line, "|"); strings.HasPrefix(line, "| ") && len(cells) >= 5 {
			text = cells[2]
		}
		for _, m := range siteRun.FindAllString(emailRun.ReplaceAllString(text, " "), -1) {
			if !sites[site(m)] {
				t.Errorf("FACTS.md gives the website %q; the registry has no web fact for it", m)
			}
		}
	}
}

// overlay is a content folder with some files replaced.
type overlay struct {
	fs.FS
	files map[string]string
}

func (o overlay) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		return fstest.MapFS{name: {Data: []byte(data)}}.Open(name)
	}
	return o.FS.Open(name)
}

// inScript writes the ASCII digits of s with the digits of another script
// that starts its digits at zero: a translator may type a number so.
func inScript(s string, zero rune) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return zero + r - '0'
		}
		return r
	}, s)
}

// typedNumbers are every number of the registry, as the registry writes
// them, and two UK phone numbers it does not have (Ofcom's numbers kept
// for drama).
func typedNumbers(facts map[string]learn.Fact) []string {
	out := []string{"0161 496 0000", "+44 20 7946 0000"}
	for _, f := range facts {
		if f.Kind == learn.FactPhone || f.Kind == learn.FactSMS || f.Kind == learn.FactText {
			out = append(out, f.Value)
		}
	}
	slices.Sort(out)
	return out
}

// withTitle returns the TOML file data with text added to the first
// title it has.
func withTitle(t *testing.T, data []byte, text string) string {
	t.Helper()
	s := string(data)
	i := strings.Index(s, "\ntitle = \"")
	if i < 0 {
		t.Fatal("no title to type into")
	}
	i += len("\ntitle = \"")
	return s[:i] + text + " " + s[i:]
}

// TestAttackTypedNumberIsCaught types every number of the registry, and
// phone numbers it does not have, into a lesson in English, Arabic (with
// Arabic-Indic digits) and Farsi (with Persian digits), and into the
// interface's messages: the check (waymark-lessons check, and Load, which
// the app's content test runs) must report each one, so no number can
// reach a learner without its source and date. The shipped lessons and
// messages have none.
func TestAttackTypedNumberIsCaught(t *testing.T) {
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps) > 0 {
		t.Fatalf("shipped lessons: %v", ps)
	}
	localeFiles, err := lessonfile.TextFiles(locales.FS, ".", "languages.toml")
	if err != nil || len(localeFiles) < 8 {
		t.Fatalf("locale files %v: %v", localeFiles, err)
	}
	if ps := lessonfile.CheckContactsIn(locales.FS, localeFiles, course.Facts); len(ps) > 0 {
		t.Fatalf("shipped interface messages: %v", ps)
	}

	numbers := typedNumbers(course.Facts)
	for _, tc := range []struct {
		lang string
		zero rune
	}{{"en", '0'}, {"ar", '\u0660'}, {"fa", '\u06f0'}} {
		typed := make([]string, len(numbers))
		for i, n := range numbers {
			typed[i] = inScript(n, tc.zero)
		}
		// " / " keeps the numbers apart: each must be reported on its own.
		text := strings.Join(typed, " / ")

		lessonFile := "get-help/" + tc.lang + ".toml"
		data, err := fs.ReadFile(lessons.FS, lessonFile)
		if err != nil {
			t.Fatal(err)
		}
		_, ps := lessonfile.Load(overlay{lessons.FS, map[string]string{lessonFile: withTitle(t, data, text)}})
		expectEach(t, ps.Errors(), lessonFile, typed)

		localeFile := tc.lang + ".toml"
		data, err = fs.ReadFile(locales.FS, localeFile)
		if err != nil {
			t.Fatal(err)
		}
		ps = lessonfile.CheckContactsIn(overlay{locales.FS, map[string]string{localeFile: withTitle(t, data, text)}}, localeFiles, course.Facts)
		expectEach(t, ps.Errors(), localeFile, typed)
	}
}

// expectEach checks that problems name file and quote each number.
func expectEach(t *testing.T, problems tomldoc.Problems, file string, numbers []string) {
	t.Helper()
	for _, n := range numbers {
		if !slices.ContainsFunc(problems, func(p tomldoc.Problem) bool {
			return p.File == file && strings.Contains(p.Message, strconv.Quote(n))
		}) {
			t.Errorf("%s: %q typed into a title was not reported; got %v", file, n, problems)
		}
	}
	if len(problems) != len(numbers) {
		t.Errorf("%s: %d problems for %d typed numbers: %v", file, len(problems), len(numbers), problems)
	}
}
