package report_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/waymark-app/waymark/internal/chrometest"
	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/report"
)

// layout is what the browser measures of a page laid out at A4.
type layout struct {
	Width    float64   `json:"width"`    // the page's width
	Body     float64   `json:"body"`     // the right edge of the text's column (180 mm wide)
	Scroll   float64   `json:"scroll"`   // the document's scroll width
	Rights   []float64 `json:"rights"`   // each table's right edge
	Overflow int       `json:"overflow"` // cells whose content is wider than the cell
	Tables   int       `json:"tables"`
	Cells    int       `json:"cells"`
}

const measure = `(() => {
  const cells = [...document.querySelectorAll('td, th')];
  return {
    width: document.documentElement.clientWidth,
    body: document.body.getBoundingClientRect().right,
    scroll: document.documentElement.scrollWidth,
    rights: [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right),
    overflow: cells.filter(c => c.scrollWidth > c.clientWidth + 1).length,
    tables: document.querySelectorAll('table').length,
    cells: cells.length,
  };
})()`

// a4 lays a page out as Chromium prints it on A4 (210 mm wide at 96 dpi,
// print media) and measures it.
func a4(t *testing.T, page []byte) layout {
	t.Helper()
	ctx := chrometest.Browser(t, time.Minute)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, page, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(794, 1123), chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	l, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measure))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func fits(l layout) error {
	if l.Tables == 0 || l.Cells == 0 {
		return fmt.Errorf("no tables measured: %+v", l)
	}
	if l.Scroll > l.Width {
		return fmt.Errorf("the page scrolls sideways: %v wide in %v", l.Scroll, l.Width)
	}
	for i, r := range l.Rights {
		if r > l.Width || r > l.Body+0.5 {
			return fmt.Errorf("table %d ends at %v, past the column's %v (page %v)", i+1, r, l.Body, l.Width)
		}
	}
	if l.Overflow > 0 {
		return fmt.Errorf("%d cells overflow", l.Overflow)
	}
	return nil
}

// longReport is a report whose cells are as long as they get: a named one
// (for the trainer's eyes), with nicknames of 30 characters, some with no
// place to break a line, and a long scope.
func longReport() report.Report {
	var members []group.Member
	for i := range 30 {
		nick := strings.Repeat("W", 30)
		if i%2 == 0 {
			nick = fmt.Sprintf("Learner number %02d with a name", i)
		}
		members = append(members, group.Member{ID: fmt.Sprint(i), Share: group.Share{Consent: 1, Nickname: nick,
			Done: []group.LessonDay{{Lesson: "scam-messages", Day: "2026-03-10"}}, LastActive: "2026-03-10"}})
	}
	p := march
	p.Named = true
	p.Scope = "All my groups: Tuesday group at St Mark's community hall, Thursday evening English and digital skills group"
	return report.Build(report.Input{Lessons: tags, Groups: []report.Group{{ID: "g", Members: members}}}, p)
}

// TestReportPageFitsA4 opens the report's printable page in headless
// Chromium at A4 and checks that every table stays within the page,
// anonymised and not, with the longest cells a report has; then prints it
// to a PDF and checks its pages are A4.
func TestReportPageFitsA4(t *testing.T) {
	anon := longReport()
	anon.Anonymised = true
	for name, r := range map[string]report.Report{"named": longReport(), "anonymised": anon} {
		l := a4(t, r.HTML())
		if err := fits(l); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if l.Width < 600 || l.Width > 800 {
			t.Errorf("%s: the page is %v wide, not A4's", name, l.Width)
		}
	}
	// The measurement itself can fail: a page with a wide element does.
	wide := bytes.Replace(longReport().HTML(), []byte("<h1>"), []byte(`<table><tr><td style="white-space:nowrap">`+strings.Repeat("wide ", 400)+`</td></tr></table><h1>`), 1)
	if err := fits(a4(t, wide)); err == nil {
		t.Error("a page with a table wider than A4 passes the check")
	}

	ctx := chrometest.Browser(t, time.Minute)
	path := filepath.Join(t.TempDir(), "report.html")
	os.WriteFile(path, longReport().HTML(), 0o600)
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path)); err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)
	boxes := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 (\d+(\.\d+)?) (\d+(\.\d+)?)\s*\]`).FindAllSubmatch(pdf, -1)
	if len(pages) < 1 || len(boxes) < 1 {
		t.Fatalf("%d pages, %d media boxes in the PDF", len(pages), len(boxes))
	}
	for _, b := range boxes {
		var w, h float64
		fmt.Sscan(string(b[1]), &w)
		fmt.Sscan(string(b[3]), &h)
		if w < 594 || w > 597 || h < 841 || h > 843 {
			t.Errorf("a PDF page is %v × %v points, not A4 (595 × 842)", w, h)
		}
	}
	t.Logf("the named report prints on %d A4 page(s)", len(pages))
}
