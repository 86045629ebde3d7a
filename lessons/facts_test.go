package lessons_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/lessons"
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
			// Host names are not case-sensitive: FACTS.md writes
			// StopNCII.org, the registry stopncii.org.
			if !strings.Contains(strings.ToLower(md), strings.ToLower(strings.TrimPrefix(f.Value, "www."))) {
				t.Errorf("%s = %q: FACTS.md names no such site", key, f.Value)
			}
		}
	}
	if phones < 10 {
		t.Errorf("only %d numbers in the registry", phones)
	}
}
