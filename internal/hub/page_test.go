package hub_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
)

// TestJoinPageInChromium opens the join page in a real headless Chromium
// at 360×640, in English and in Arabic: typing the code, a step, a
// question answered, the end. The page fits the phone's width, its
// answers are a finger high, Arabic reads right to left, and the page
// keeps nothing but the session's token and code, in sessionStorage,
// gone once the session ends. Screenshots go to WAYMARK_SHOTS if set.
func TestJoinPageInChromium(t *testing.T) {
	lesson, facts := demoLesson(t)
	browser := newChromium(t)
	h, _ := startHub(t, facts, nil, nil)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			ctx := context.Background()
			sess, err := h.Begin(ctx, lesson)
			if err != nil {
				t.Fatal(err)
			}
			reach := h.Reach()
			tab, cancel := chromedp.NewContext(browser) // a tab of its own: its own sessionStorage
			defer cancel()
			url := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.PagePort)) + "/?l=" + lang
			if err := chromedp.Do(tab, chromedp.EmulateViewport(360, 640, chromedp.EmulateMobile), chromedp.Navigate(url),
				chromedp.WaitVisible(chromedp.CSS("#k"))); err != nil {
				t.Fatal(err)
			}
			dir, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.dir`))
			if want := map[string]string{"en": "ltr", "ar": "rtl"}[lang]; dir != want {
				t.Errorf("dir %q, want %q", dir, want)
			}
			shot(t, tab, "join-code-"+lang+".png")
			// A wrong code first, then the right one, typed in lower case.
			if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#k"), "zzzz"), chromedp.Click(chromedp.CSS("#f button"))); err != nil {
				t.Fatal(err)
			}
			waitPage(t, tab, map[string]string{"en": "That code did not work", "ar": "لم ينجح هذا الرمز"}[lang])
			if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`document.getElementById('k').value = ''`), chromedp.SendKeys(chromedp.CSS("#k"), strings.ToLower(reach.RoomCode)),
				chromedp.Click(chromedp.CSS("#f button"))); err != nil {
				t.Fatal(err)
			}
			title := func(step string) string { return lesson.Text.Get(lang, learn.StepKey(step, learn.FieldTitle)) }
			waitPage(t, tab, title("intro"))
			fits(t, tab)
			shot(t, tab, "join-step-"+lang+".png")
			sess.Next()
			waitPage(t, tab, title("pick"))
			shot(t, tab, "join-question-"+lang+".png")
			if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(`button[data-id="delete"]`))); err != nil {
				t.Fatal(err)
			}
			waitPage(t, tab, map[string]string{"en": "Your answer is in.", "ar": "وصلت إجابتك."}[lang])
			fits(t, tab)
			shot(t, tab, "join-answered-"+lang+".png")
			if p := sess.Projection(); p.Answered != 1 {
				t.Errorf("answered %d, want 1", p.Answered)
			}
			// The page keeps the token and the code for this tab alone.
			kept, err := chromedp.Run(tab, chromedp.Evaluate[string](`Object.keys(sessionStorage).sort().join(',') + '|' + localStorage.length + '|' + document.cookie`))
			if err != nil || kept != "c,t|0|" {
				t.Errorf("the page keeps %q, want only the session's token and code in sessionStorage (%v)", kept, err)
			}
			// Reloading the page (a phone's browser brought back) is the
			// same follower, at the same step, with its answer.
			if err := chromedp.Do(tab, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			waitPage(t, tab, title("pick"))
			if p := sess.Projection(); p.Answered != 1 || p.Following != 1 {
				t.Errorf("after a reload: answered %d, following %d; want 1 and 1", p.Answered, p.Following)
			}
			sel, _ := chromedp.Run(tab, chromedp.Evaluate[string](`(document.querySelector('.c.s')||{}).getAttribute ? document.querySelector('.c.s').getAttribute('data-id') : ''`))
			if sel != "delete" {
				t.Errorf("after a reload the page shows %q chosen, want delete", sel)
			}
			h.End()
			waitPage(t, tab, map[string]string{"en": "The session has ended.", "ar": "انتهت الجلسة."}[lang])
			shot(t, tab, "join-ended-"+lang+".png")
			kept, _ = chromedp.Run(tab, chromedp.Evaluate[string](`sessionStorage.length + '|' + localStorage.length + '|' + document.cookie`))
			if kept != "0|0|" {
				t.Errorf("after the session the page keeps %q, want nothing", kept)
			}
			if sess.Projection().Phase != room.PhaseEnded {
				t.Error("the session did not end")
			}
		})
	}
}

// fits checks the page at a phone's width: nothing wider than the screen,
// and every answer and button at least 48 pixels high.
func fits(t *testing.T, tab context.Context) {
	t.Helper()
	w, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || w > 360 {
		t.Errorf("the page is %d pixels wide at 360 (%v)", w, err)
	}
	low, err := chromedp.Run(tab, chromedp.Evaluate[int](`Array.prototype.filter.call(document.querySelectorAll('button'), function (b) { return b.offsetParent && b.offsetHeight < 48; }).length`))
	if err != nil || low > 0 {
		t.Errorf("%d buttons are less than a finger high (%v)", low, err)
	}
}
