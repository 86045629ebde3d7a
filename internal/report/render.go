package report

import (
	"bytes"
	"encoding/csv"
	"html/template"
	"io"

	"github.com/waymark-app/waymark/internal/learn"
)

// Words are a report's words, in English: reports are documents for
// funders, and trainers' screens are in English at least. Milestone names
// are en.toml's (a test keeps them equal).
var (
	areaNames = map[learn.Area]string{
		learn.AreaFoundation:    "Foundation skills",
		learn.AreaCommunicating: "Communicating",
		learn.AreaHandling:      "Handling information and content",
		learn.AreaTransacting:   "Transacting",
		learn.AreaProblem:       "Problem solving",
		learn.AreaSafe:          "Being safe and legal online",
	}
	levelNames     = map[learn.Level]string{learn.LevelEntry: "Entry level", learn.Level1: "Level 1"}
	milestoneNames = map[string]string{
		"phone": "Have a phone and a data plan", "gp": "Registered with a GP", "nhs-app": "NHS App set up",
		"email": "Have an email address", "bank": "Opened a bank account",
		"ni-number": "Have a National Insurance number", "english": "Joined an English course",
		"housing": "Found a safe place to live", "cv": "Wrote my CV", "applications": "Applied for jobs",
		"family": "In touch with family or friends",
	}
	measureNames = map[Measure]string{
		LearnersActive:    "Learners active",
		SessionsAttended:  "Session attendances",
		LessonsCompleted:  "Lessons completed",
		MilestonesReached: "Milestones reached (shared by learners)",
		SkillLearners:     "Learners who completed a lesson",
		SkillLessons:      "Lessons completed",
		Milestone:         "Learners who reached it",
		LearnerLessons:    "Lessons completed",
	}
	sectionOf = map[Measure]string{
		LearnersActive: sectionSummary, SessionsAttended: sectionSummary, LessonsCompleted: sectionSummary,
		MilestonesReached: sectionSummary, SkillLearners: sectionSkills, SkillLessons: sectionSkills,
		Milestone: sectionMilestones, LearnerLessons: sectionLearners,
	}
)

// The sections, in order.
const (
	sectionSummary    = "Summary"
	sectionSkills     = "Skills practised (Essential Digital Skills framework)"
	sectionMilestones = "Milestones reached"
	sectionLearners   = "Learners (not anonymised: not for sharing)"
)

var sections = []string{sectionSummary, sectionSkills, sectionMilestones, sectionLearners}

// Columns are every table's columns, and the CSV's after the section.
var Columns = []string{"Measure", "Detail", "Count"}

// Table is one section of a report, as every rendering shows it.
type Table struct {
	Title string
	Rows  [][]string
}

// Cells returns a row's cells: measure, detail, count.
func (r Report) Cells(row Row) []string {
	detail := ""
	switch {
	case row.Area != "":
		detail = areaNames[row.Area] + ", " + levelNames[row.Level]
	case row.Milestone != "":
		detail = milestoneNames[row.Milestone]
	case row.Nickname != "":
		detail = row.Nickname
	}
	return []string{measureNames[row.Measure], detail, row.Value.Text(r.Anonymised)}
}

// Tables returns the report's sections with their rows' cells: what the
// screen, the CSV and the HTML show.
func (r Report) Tables() []Table {
	var out []Table
	for _, s := range sections {
		t := Table{Title: s}
		for _, row := range r.Rows {
			if sectionOf[row.Measure] == s {
				t.Rows = append(t.Rows, r.Cells(row))
			}
		}
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// Heading returns the lines above the tables: what the report covers.
func (r Report) Heading() []string {
	lines := []string{
		"Scope: " + r.Scope,
		"Period: " + r.From + " to " + r.To,
		"Made: " + r.Made,
	}
	if r.Anonymised {
		lines = append(lines, "Anonymised: no nicknames; any count under 5 is shown as \"fewer than 5\".")
	} else {
		lines = append(lines, "NOT anonymised: it shows nicknames and small counts. Do not share it.")
	}
	return lines
}

// Notes returns the lines below the tables: how to read the figures.
func (r Report) Notes() []string {
	return []string{
		"Only learners who chose to join a group and share their progress are counted. A learner in two groups is counted in each.",
		"Milestones are counted only when the learner chose to share them.",
		"\"at least\" means some groups had fewer than 5, which are never uploaded as numbers.",
	}
}

// Title is the report's title.
const Title = "Waymark: digital skills report"

// FileName is a name for the report's file with the given extension
// ("csv", "html"): the period, so that a folder of them sorts by it.
func (r Report) FileName(ext string) string {
	return "waymark-report-" + r.From + "-to-" + r.To + "." + ext
}

// WriteCSV writes the report as CSV: a header, then one line a row, the
// section first. What the report covers is in its file's name
// (FileName).
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"Section"}, Columns...))
	for _, t := range r.Tables() {
		for _, row := range t.Rows {
			cw.Write(append([]string{t.Title}, row...))
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSV returns WriteCSV's bytes.
func (r Report) CSV() []byte {
	var b bytes.Buffer
	r.WriteCSV(&b) // a bytes.Buffer does not fail
	return b.Bytes()
}

// HTML returns the report as a printable page: A4, every table within the
// page's width, no script and nothing loaded from anywhere.
func (r Report) HTML() []byte {
	var b bytes.Buffer
	if err := page.Execute(&b, struct {
		Title           string
		Heading, Notes  []string
		Tables          []Table
		Columns         []string
		NotAnonymised   bool
		ContentSecurity string
	}{Title, r.Heading(), r.Notes(), r.Tables(), Columns, !r.Anonymised, CSP}); err != nil {
		panic(err) // the template and its data are ours
	}
	return b.Bytes()
}

// CSP is the report page's content security policy: nothing but its own
// inline style.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.ContentSecurity}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 180mm; padding: 0; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
p { margin: 0 0 2mm; }
.warn { font-weight: bold; border: 1pt solid #900; padding: 2mm; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 4mm 0; page-break-inside: auto; }
caption { text-align: left; font-weight: bold; font-size: 11pt; padding: 1mm 0; }
th, td { border: 0.5pt solid #666; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th:nth-child(1), td:nth-child(1) { width: 38%; }
th:nth-child(2), td:nth-child(2) { width: 42%; }
th:nth-child(3), td:nth-child(3) { width: 20%; }
tr { page-break-inside: avoid; }
.notes { font-size: 9pt; color: #333; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Heading}}<p>{{.}}</p>
{{end}}{{if .NotAnonymised}}<p class="warn">Not anonymised: do not share this page.</p>
{{end}}{{range .Tables}}<table>
<caption>{{.Title}}</caption>
<thead><tr>{{range $.Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}<div class="notes">{{range .Notes}}<p>{{.}}</p>
{{end}}</div>
</body>
</html>
`))
