package app_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// TestEveryScreenFitsAPhone builds every screen of the app, and every
// step of the shipped course with its feedback, in English and Arabic at
// 360×640 with the largest text size, the smallest phone Waymark is made
// for and the text size a learner with low vision chooses. No screen may
// need more than the window's width, and no button, tile or text may
// reach past its edge: on a phone, whatever does is cut off (the Exit
// button first, at the end of the header).
func TestEveryScreenFitsAPhone(t *testing.T) {
	course, ps := lessonfile.Load(lessons.FS)
	if len(ps.Errors()) > 0 {
		t.Fatalf("shipped content has errors: %v", ps.Errors())
	}
	cat, _ := l10n.Load(locales.FS)
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			loc := cat.Localizer(lang)
			T := func(id string) string { return loc.T(id) }
			h := newHarness(t)
			h.fsys = lessons.FS
			h.presetPrefs(map[string]string{"text_size": "xlarge"})
			h.start()
			h.fits("language picker")
			h.tap(langName(h, lang))
			h.fits("welcome")
			h.tap(T("welcome.start"))
			h.fits("home")

			for _, tr := range course.Tracks {
				h.tap(tr.Text.Get(lang, learn.KeyTitle))
				h.fits("track " + tr.ID)
				h.tap(T("player.back"))
			}
			// A lesson with a content note shows it first.
			for _, tr := range course.Tracks {
				for _, l := range course.TrackLessons(tr) {
					if !l.ContentNote {
						continue
					}
					h.tap(tr.Text.Get(lang, learn.KeyTitle))
					h.tap(learn.ExpandFacts(l.Text.Get(lang, learn.KeyTitle), course.Facts, func(f learn.Fact) string { return f.Value }))
					h.mustShow(T("note.title"))
					h.fits("content note of " + l.ID)
					h.tap(T("note.not_now"))
					h.tap(T("player.back"))
					break
				}
			}

			// Every step of every lesson, before and after an answer.
			for _, tr := range course.Tracks {
				for _, l := range sampled(course.TrackLessons(tr)) {
					for i, s := range l.Steps {
						where := l.ID + "/" + s.ID + " (" + string(s.Kind) + ")"
						if !h.ui.Open(l.ID + "/" + s.ID) {
							t.Fatalf("cannot open %s", where)
						}
						h.fits(where)
						if h.answerSomehow(s, T) {
							h.fits(where + " answered")
						}
						if i == len(l.Steps)-1 && h.button(T("player.finish")) != nil && !h.button(T("player.finish")).Disabled() {
							h.tap(T("player.finish"))
							h.mustShow(T("done.title"))
							h.fits("end of " + l.ID)
						}
					}
				}
			}

			// Phrases practised above are ready to review.
			h.ui.Open(course.Tracks[0].Lessons[0])
			h.tap(T("player.pause"))
			if h.button(T("review.start")) != nil {
				h.tap(T("review.start"))
				h.fits("review")
				h.tap(T("review.show"))
				h.fits("review, the English shown")
				h.tap(T("review.finish"))
			}

			h.tap(T("nav.progress"))
			h.fits("progress")
			h.tap(T("nav.journey"))
			h.fits("journey")
			h.tap(T("journey.add"))
			h.fits("add a milestone")
			h.tap(T("player.back"))
			if m := h.firstTileIn(T("journey.add")); m != nil {
				test.Tap(m)
				h.fits("milestone")
				h.tap(T("player.back"))
			}
			h.tapHelp()
			h.fits("help")
			h.tap(T("player.back"))
			h.tap(T("nav.settings"))
			h.fits("settings")
			h.tap(T("privacy.title"))
			h.fits("privacy")
			h.tap(T("player.back"))
			h.tap(T("safety.delete"))
			h.fits("confirm")
			h.tap(T("confirm.no"))
			h.tap(T("safety.lock_pin"))
			h.fits("set a PIN")
			h.typePINIn(pin, T("pad.ok"))
			h.fits("set a PIN, again")
			h.typePINIn(pin, T("pad.ok"))
			h.waitFor(T("safety.lock_on"))
			h.fits("settings with a PIN")
			h.tap(T("exit.button"))
			h.fits("quick-exit cover")
			h.restart()
			h.fits("lock")
		})
	}
}

// presetPrefs stores settings before the app first starts.
func (h *harness) presetPrefs(prefs map[string]string) {
	h.t.Helper()
	db, err := sqlite.Open(context.Background(), h.path, sqlite.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetPrefs(context.Background(), prefs); err != nil {
		h.t.Fatal(err)
	}
}

// fits fails the test if the screen needs more than the window's width,
// or if a button, tile or text on it reaches past the window's edges.
func (h *harness) fits(screen string) {
	h.t.Helper()
	c := h.ui.Window().Canvas()
	c.Content().Refresh()
	size := c.Size()
	if w := c.Content().MinSize().Width; w > size.Width {
		h.t.Errorf("%s: needs %.0f wide, more than the window's %.0f; too wide:\n%s", screen, w, size.Width, strings.Join(tooWide(c.Content(), size.Width), "\n"))
	}
	d := fyne.CurrentApp().Driver()
	walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		switch o.(type) {
		case *xwidget.Button, *xwidget.Tile, *xwidget.Text, *xwidget.LinkText, *widget.Entry:
		default:
			return
		}
		x := d.AbsolutePositionForObject(o).X
		if x < -0.5 || x+o.Size().Width > size.Width+0.5 {
			h.t.Errorf("%s: %T %q spans %.0f to %.0f, outside the window's %.0f", screen, o, textOf(o), x, x+o.Size().Width, size.Width)
		}
	})
}

// answerSomehow answers the step on screen (not necessarily rightly), so
// that its feedback shows, and reports whether it did.
func (h *harness) answerSomehow(s learn.Step, T func(string) string) bool {
	h.t.Helper()
	check := func() {
		if b := h.button(T("player.check")); b != nil && !b.Disabled() {
			test.Tap(b)
		}
	}
	switch s.Kind {
	case learn.KindChoice, learn.KindTrueFalse:
		return h.tapFirstOption()
	case learn.KindMulti, learn.KindSpot, learn.KindAdvert, learn.KindPrivacy:
		h.tapFirstOption()
		check()
	case learn.KindInbox:
		for {
			t, _ := h.tappableWith(T("player.safe")).(*xwidget.Tile)
			if t == nil || t.State() == xwidget.TileChosen {
				break
			}
			// Mark every message safe, one by one.
			var next *xwidget.Tile
			walk(h.content(), nil, func(o fyne.CanvasObject, tap fyne.Tappable) {
				if tile, ok := tap.(*xwidget.Tile); ok && next == nil && textOf(o) == T("player.safe") && tile.State() != xwidget.TileChosen {
					next = tile
				}
			})
			if next == nil {
				break
			}
			test.Tap(next)
		}
		check()
	case learn.KindOrder:
		check()
	case learn.KindFlow:
		for i := 0; i < 40 && !h.shows(T("player.real_life")); i++ {
			var tiles []*xwidget.Tile
			walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
				if t, ok := o.(*xwidget.Tile); ok && t.OnTapped != nil && !t.Disabled() {
					tiles = append(tiles, t)
				}
			})
			if len(tiles) == 0 {
				break
			}
			test.Tap(tiles[i%len(tiles)])
		}
	case learn.KindEmail:
		h.tap(T("email.send"))
	case learn.KindPasscode:
		test.Type(h.entries()[0], "sunny7")
		h.tap(T("passcode.done"))
	default:
		return false
	}
	return true
}

// tapFirstOption taps the first tile that answers the step.
func (h *harness) tapFirstOption() bool {
	var first *xwidget.Tile
	walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		if t, ok := o.(*xwidget.Tile); ok && first == nil && t.OnTapped != nil && !t.Disabled() {
			first = t
		}
	})
	if first == nil {
		return false
	}
	test.Tap(first)
	return true
}

// firstTileIn returns the first tile on screen that opens something,
// leaving out the one holding the text not and the navigation bar.
func (h *harness) firstTileIn(not string) *xwidget.Tile {
	var found *xwidget.Tile
	walk(h.content(), nil, func(o fyne.CanvasObject, tap fyne.Tappable) {
		t, ok := o.(*xwidget.Tile)
		if !ok || found != nil || t.OnTapped == nil || t.Flat || strings.Contains(textsIn(t), not) {
			return
		}
		found = t
	})
	return found
}

// textsIn returns the words shown inside o.
func textsIn(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, nil, func(c fyne.CanvasObject, _ fyne.Tappable) { b.WriteString(textOf(c)) })
	return b.String()
}

// typePINIn taps a PIN on the number pad, then the pad's OK key.
func (h *harness) typePINIn(pin, ok string) {
	h.t.Helper()
	for _, d := range pin {
		h.tap(string(d))
	}
	h.tap(ok)
}

// tooWide lists the objects that make o wider than w: those wider than w
// whose children are each narrower, with the children's widths.
func tooWide(o fyne.CanvasObject, w float32) []string {
	if o == nil || !o.Visible() || o.MinSize().Width <= w {
		return nil
	}
	kids := children(o)
	var out []string
	var parts []string
	for _, c := range kids {
		if !c.Visible() {
			continue
		}
		out = append(out, tooWide(c, w)...)
		words := textOf(c)
		if words == "" {
			words = textsIn(c)
		}
		parts = append(parts, fmt.Sprintf("%T %.0f %q", c, c.MinSize().Width, words))
	}
	if len(out) > 0 {
		return out
	}
	kind := fmt.Sprintf("%T", o)
	if c, ok := o.(*fyne.Container); ok && c.Layout != nil {
		kind += " " + reflect.TypeOf(c.Layout).String()
	}
	return []string{fmt.Sprintf("  %s %.0f: %s", kind, o.MinSize().Width, strings.Join(parts, " + "))}
}
