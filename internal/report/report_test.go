package report_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/net/html"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/locales"
)

var march = report.Params{From: day("2026-03-01"), To: day("2026-03-31"), Scope: "Tuesday group", Now: day("2026-04-02")}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var tags = map[string]report.Tags{
	"scam-messages": {Areas: []learn.Area{learn.AreaSafe, learn.AreaCommunicating}, Level: learn.LevelEntry},
	"register-gp":   {Areas: []learn.Area{learn.AreaTransacting}, Level: learn.Level1},
}

// members makes n learners who each finished scam-messages in March and
// reached the GP milestone, named nick-0, nick-1, ...
func members(prefix string, n int, doneDay string) []group.Member {
	var out []group.Member
	for i := range n {
		out = append(out, group.Member{ID: fmt.Sprintf("%s%d", prefix, i), Share: group.Share{Consent: 1,
			Nickname:   fmt.Sprintf("nick-%s%d", prefix, i),
			Done:       []group.LessonDay{{Lesson: "scam-messages", Day: doneDay}},
			Milestones: []group.MilestoneDay{{ID: "gp", Day: doneDay}},
			LastActive: doneDay}})
	}
	return out
}

func value(r report.Report, m report.Measure, area learn.Area, level learn.Level, milestone string) report.Value {
	for _, row := range r.Rows {
		if row.Measure == m && row.Area == area && row.Level == level && row.Milestone == milestone {
			return row.Value
		}
	}
	panic("no row " + string(m))
}

func TestBuildCountsThePeriodAndTheGroups(t *testing.T) {
	in := report.Input{Lessons: tags, Groups: []report.Group{
		{ID: "g1", Name: "Tuesday", Members: append(members("a", 6, "2026-03-10"), members("b", 2, "2026-02-27")...)},
		{ID: "g2", Name: "Thursday", Members: members("c", 3, "2026-03-15")},
	}, Attendance: []report.Attendance{
		{Group: "g1", Member: "b0", Session: "s1", Day: "2026-03-03"}, // active by attending alone
		{Group: "g1", Member: "a0", Session: "s1", Day: "2026-03-03"},
		{Group: "g1", Member: "a0", Session: "s0", Day: "2026-02-24"}, // outside
		{Group: "g2", Member: "c0", Session: "s2", Day: "2026-03-05"}, // the other group
	}}
	// One learner of g1 also started register-gp in March.
	in.Groups[0].Members[1].Share.InProgress = []group.LessonDay{{Lesson: "register-gp", Day: "2026-03-20"}}

	p := march
	p.Groups = []string{"g1"}
	r := report.Build(in, p)
	for _, tc := range []struct {
		m         report.Measure
		area      learn.Area
		level     learn.Level
		milestone string
		want      int
	}{
		{report.LearnersActive, "", "", "", 7}, // a0..a5, and b0 who attended
		{report.SessionsAttended, "", "", "", 2},
		{report.LessonsCompleted, "", "", "", 6},
		{report.MilestonesReached, "", "", "", 6},
		{report.SkillLearners, learn.AreaSafe, learn.LevelEntry, "", 6},
		{report.SkillLessons, learn.AreaCommunicating, learn.LevelEntry, "", 6},
		{report.SkillLessons, learn.AreaTransacting, learn.Level1, "", 0}, // started, not completed
		{report.Milestone, "", "", "gp", 6},
		{report.Milestone, "", "", "bank", 0},
	} {
		if got := value(r, tc.m, tc.area, tc.level, tc.milestone); got != (report.Value{N: tc.want}) {
			t.Errorf("%s %s %s %s: %+v, want %d", tc.m, tc.area, tc.level, tc.milestone, got, tc.want)
		}
	}
	// All groups: g2's three join in.
	p.Groups = nil
	all := report.Build(in, p)
	if got := value(all, report.LessonsCompleted, "", "", ""); got.N != 9 {
		t.Errorf("all groups: %d lessons completed, want 9", got.N)
	}
	if got := value(all, report.SessionsAttended, "", "", ""); got.N != 3 {
		t.Errorf("all groups: %d attendances, want 3", got.N)
	}
	// Every area and level has its rows, and every default milestone.
	if n := len(r.Rows); n != 4+len(learn.Areas)*2*2+len(learn.DefaultMilestones) {
		t.Errorf("%d rows", n)
	}
}

// TestSmallCountsSuppressed: an anonymised report writes every count under
// 5, zero too, as "fewer than 5", everywhere it is rendered, and no
// nickname; a named one, for the trainer's eyes, shows both.
func TestSmallCountsSuppressed(t *testing.T) {
	in := report.Input{Lessons: tags, Groups: []report.Group{{ID: "g1", Members: members("a", 4, "2026-03-10")}}}
	r := report.Build(in, march)
	if !r.Anonymised {
		t.Fatal("a report is anonymised unless asked")
	}
	for _, tbl := range r.Tables() {
		for _, row := range tbl.Rows {
			if row[2] != "fewer than 5" {
				t.Errorf("%s / %s: %q, want fewer than 5", tbl.Title, row[0], row[2])
			}
		}
	}
	for name, out := range map[string][]byte{"csv": r.CSV(), "html": r.HTML()} {
		if bytes.Contains(out, []byte("nick-")) {
			t.Errorf("the anonymised %s names a learner", name)
		}
		if regexp.MustCompile(`[,>][0-4]([,<\n]|$)`).Match(out) {
			t.Errorf("the anonymised %s has a count under 5:\n%s", name, out)
		}
	}
	// Five is shown.
	in.Groups[0].Members = members("a", 5, "2026-03-10")
	if got := report.Build(in, march).Cells(report.Row{Measure: report.LessonsCompleted, Value: report.Value{N: 5}})[2]; got != "5" {
		t.Errorf("5 is shown as %q", got)
	}
	if v := value(report.Build(in, march), report.LessonsCompleted, "", "", ""); v.Text(true) != "5" {
		t.Errorf("5 lessons: %q", v.Text(true))
	}
	named := march
	named.Named = true
	nr := report.Build(report.Input{Lessons: tags, Groups: []report.Group{{ID: "g1", Members: members("a", 2, "2026-03-10")}}}, named)
	if !bytes.Contains(nr.CSV(), []byte("nick-a1")) || !bytes.Contains(nr.CSV(), []byte(",2\n")) {
		t.Errorf("a named report shows nicknames and exact counts:\n%s", nr.CSV())
	}
	if !bytes.Contains(nr.HTML(), []byte("do not share")) {
		t.Error("a named report's page does not warn")
	}
}

// TestCSVAndHTMLRenderTheSameCells: the CSV's lines and the HTML's table
// cells are the report's tables, cell for cell (the screen's are checked
// in the app's tests, against the same Tables).
func TestCSVAndHTMLRenderTheSameCells(t *testing.T) {
	in := report.Input{Lessons: tags, Groups: []report.Group{{ID: "g1", Members: members("a", 7, "2026-03-10")}}}
	r := report.Build(in, march)
	var want [][]string
	for _, tbl := range r.Tables() {
		for _, row := range tbl.Rows {
			want = append(want, append([]string{tbl.Title}, row...))
		}
	}
	lines, err := csv.NewReader(bytes.NewReader(r.CSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(lines[0]); got != "[Section Measure Detail Count]" {
		t.Errorf("CSV header %s", got)
	}
	if fmt.Sprint(lines[1:]) != fmt.Sprint(want) {
		t.Errorf("CSV:\n%v\nwant\n%v", lines[1:], want)
	}
	if got := htmlCells(t, r.HTML()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("HTML:\n%v\nwant\n%v", got, want)
	}
	if len(want) < 30 {
		t.Errorf("only %d rows", len(want))
	}
}

func TestAggregateSendsNoSmallCountAndNoName(t *testing.T) {
	named := march
	named.Named = true
	in := report.Input{Lessons: tags, Groups: []report.Group{{ID: "g1", Members: members("a", 6, "2026-03-10")}}}
	a := report.Build(in, named).Aggregate() // even from a named report
	if err := report.CheckAggregate(a); err != nil {
		t.Fatalf("check: %v", err)
	}
	for _, row := range a.Rows {
		if row.Measure == string(report.LearnerLessons) {
			t.Error("a learner's row is uploaded")
		}
		if row.N != nil && *row.N < 5 {
			t.Errorf("%s: %d uploaded", row.Measure, *row.N)
		}
	}
	if v := a.Rows[2]; v.Measure != "lessons_completed" || v.N == nil || *v.N != 6 {
		t.Errorf("lessons completed: %+v", v)
	}
}

// TestAttackAggregateWithSmallCountsOrNames: what the server refuses,
// whatever a modified app uploads.
func TestAttackAggregateWithSmallCountsOrNames(t *testing.T) {
	n := func(v int) *int { return &v }
	for name, a := range map[string]syncapi.Aggregate{
		"a count of 3":        {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "lessons_completed", N: n(3)}}},
		"a count of 0":        {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "lessons_completed", N: n(0)}}},
		"a learner's row":     {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "learner_lessons", Milestone: "Sunflower", N: n(9)}}},
		"a lesson id":         {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "skill_lessons", Area: "register-gp", Level: "entry", N: n(9)}}},
		"a custom milestone":  {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "milestone", Milestone: "Visit my sister", N: n(9)}}},
		"a milestone's id":    {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "milestone", Milestone: "housing", N: n(9)}}},
		"a row twice":         {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "lessons_completed", N: n(9)}, {Measure: "lessons_completed"}}},
		"an unknown version":  {Version: 2},
		"an unknown measure":  {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "nicknames"}}},
		"a measure with area": {Version: 1, Rows: []syncapi.AggregateRow{{Measure: "learners_active", Area: "foundation"}}},
	} {
		if err := report.CheckAggregate(a); !errors.Is(err, report.ErrAggregate) {
			t.Errorf("%s: got %v, want ErrAggregate", name, err)
		}
	}
}

func TestSumSaysWhatItDoesNotKnow(t *testing.T) {
	in := func(n int) syncapi.Aggregate {
		return report.Build(report.Input{Lessons: tags, Groups: []report.Group{{ID: "g", Members: members("a", n, "2026-03-10")}}}, march).Aggregate()
	}
	total := report.Sum([]syncapi.Aggregate{in(6), in(7)}, "Organisation", "2026-03-01", "2026-03-31", "2026-04-02")
	if got := value(total, report.LessonsCompleted, "", "", "").Text(true); got != "13" {
		t.Errorf("6 + 7 = %q", got)
	}
	some := report.Sum([]syncapi.Aggregate{in(6), in(3)}, "Organisation", "", "", "")
	if got := value(some, report.LessonsCompleted, "", "", "").Text(true); got != "at least 6" {
		t.Errorf("6 + fewer than 5 = %q", got)
	}
	none := report.Sum([]syncapi.Aggregate{in(2), in(3)}, "Organisation", "", "", "")
	if got := value(none, report.LessonsCompleted, "", "", "").Text(true); got != "fewer than 5 in each group" {
		t.Errorf("two small groups = %q", got)
	}
	if got := value(report.Sum(nil, "", "", "", ""), report.LessonsCompleted, "", "", "").Text(true); got != "fewer than 5" {
		t.Errorf("nothing = %q", got)
	}
}

// TestMilestoneNamesAreTheApps: the report's English milestone names are
// the app's.
func TestMilestoneNamesAreTheApps(t *testing.T) {
	b, err := fs.ReadFile(locales.FS, "en.toml")
	if err != nil {
		t.Fatal(err)
	}
	var en struct {
		Journey struct {
			M map[string]string `toml:"m"`
		} `toml:"journey"`
	}
	if err := toml.Unmarshal(b, &en); err != nil {
		t.Fatal(err)
	}
	r := report.Build(report.Input{}, march)
	for _, m := range learn.DefaultMilestones {
		got := r.Cells(report.Row{Measure: report.Milestone, Milestone: m.ID})[1]
		if want := en.Journey.M[m.ID]; got != want || got == "" {
			t.Errorf("milestone %s: %q, the app says %q", m.ID, got, want)
		}
	}
	if !strings.Contains(string(r.HTML()), "Being safe and legal online, Entry level") {
		t.Error("the skills rows do not name the framework's areas")
	}
}

// htmlCells reads a report page's tables as a browser would: each row's
// cells, after its table's caption.
func htmlCells(t *testing.T, page []byte) [][]string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	text := func(n *html.Node) string {
		var b strings.Builder
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode {
				b.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(n)
		return strings.TrimSpace(b.String())
	}
	var out [][]string
	caption := ""
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "caption":
				caption = text(n)
			case "tr":
				row := []string{caption}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode && c.Data == "td" {
						row = append(row, text(c))
					}
				}
				if len(row) > 1 {
					out = append(out, row)
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestEveryMilestoneHasACode: a default milestone without an aggregate
// code would be uploaded as nothing.
func TestEveryMilestoneHasACode(t *testing.T) {
	a := report.Build(report.Input{}, march).Aggregate()
	codes := map[string]bool{}
	for _, row := range a.Rows {
		if row.Measure == string(report.Milestone) {
			if row.Milestone == "" || codes[row.Milestone] || learn.DefaultMilestone(row.Milestone) != nil {
				t.Errorf("milestone code %q: empty, twice, or a milestone's own id", row.Milestone)
			}
			codes[row.Milestone] = true
		}
	}
	if len(codes) != len(learn.DefaultMilestones) {
		t.Errorf("%d milestone codes for %d milestones", len(codes), len(learn.DefaultMilestones))
	}
}
