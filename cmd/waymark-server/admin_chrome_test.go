package main

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waymark-app/waymark/internal/chrometest"
	"github.com/waymark-app/waymark/internal/learn"
)

// TestAdminPageInChromium opens the admin page in headless Chromium: with
// no token, and with a wrong one, it refuses and shows no totals; with the
// right one, it shows the organisation's totals, which six learners'
// lessons, uploaded by their trainer's app as anonymised counts, add up
// to.
func TestAdminPageInChromium(t *testing.T) {
	ctx := chrometest.Browser(t, 2*time.Minute)
	s := setupGroup(t, 0)
	bg := context.Background()
	var out, errOut bytes.Buffer
	if rc := adminToken(bg, []string{"--db", s.m.DB}, &out, &errOut); rc != 0 {
		t.Fatal(errOut.String())
	}
	token := strings.TrimSpace(out.String())
	lesson := &learn.Lesson{ID: "scam-messages", Steps: []learn.Step{{ID: "q1", Kind: learn.KindChoice}}}
	for i := range 6 {
		d := newLearner(t, t.TempDir())
		d.doLesson(t, lesson, 0, true, time.Now())
		if err := d.svc.Join(bg, s.m.URL(), "", ""); err != nil {
			t.Fatal(err)
		}
		if err := d.svc.JoinGroup(bg, s.code.Code, fmt.Sprintf("Learner%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.tr.Refresh(bg); err != nil {
		t.Fatal(err)
	}
	page := func() string {
		t.Helper()
		body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		if err != nil {
			t.Fatal(err)
		}
		return body
	}

	// No token.
	if err := chromedp.Do(ctx, chromedp.Navigate(s.m.URL()+"/admin/"), chromedp.WaitVisible(chromedp.CSS("#login"))); err != nil {
		t.Fatal(err)
	}
	if body := page(); !strings.Contains(body, "Sign in with the organisation's admin token.") || strings.Contains(body, "Learners active") {
		t.Errorf("with no token the page shows:\n%s", body)
	}
	// A wrong token.
	wrong := strings.Repeat("x", len(token))
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#token"), wrong), chromedp.Submit(chromedp.CSS("#login"))); err != nil {
		t.Fatal(err)
	}
	if !waitText(ctx, "That admin token is not right") {
		t.Fatalf("no answer to a wrong token:\n%s", page())
	}
	if body := page(); !strings.Contains(body, "That admin token is not right") || strings.Contains(body, "Learners active") {
		t.Errorf("with a wrong token the page shows:\n%s", body)
	}
	// The right one.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#token"), token), chromedp.Submit(chromedp.CSS("#login"))); err != nil {
		t.Fatal(err)
	}
	if !waitText(ctx, "group(s) reported") {
		t.Fatalf("no totals with the right token:\n%s", page())
	}
	body := page()
	for _, want := range []string{"1 group(s) reported", "Learners active", "Lessons completed", "Being safe and legal online, Entry level"} {
		if !strings.Contains(body, want) {
			t.Errorf("the totals page does not show %q:\n%s", want, body)
		}
	}
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('tbody tr')].filter(r => r.cells[0].textContent === 'Lessons completed' && r.cells[1].textContent === '').map(r => r.cells[2].textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 1 || cells[0] != "6" {
		t.Errorf("lessons completed: %q, want 6", cells)
	}
	for _, name := range []string{"Learner0", "scam-messages"} {
		if strings.Contains(body, name) {
			t.Errorf("the admin page shows %q", name)
		}
	}
	// The CSV (which the page's policy does not let a script fetch: the
	// HTTP tests fetch it) is one link away.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#csv').getAttribute('href')`))
	if want := "totals.csv?period=" + time.Now().Format("2006-01"); err != nil || href != want {
		t.Errorf("the CSV link: %q, %v; want %q", href, err, want)
	}
}

// waitText waits (10 s at most) until the page, once it has loaded,
// shows s.
func waitText(ctx context.Context, s string) bool {
	for range 200 {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === 'complete' && document.body.innerText.includes(`+strconv.Quote(s)+`)`))
		if err == nil && ok {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
