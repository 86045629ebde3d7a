package xwidget_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
)

// TestHeader lays out a header at a phone's width: the title is never cut
// short, the quick exit keeps its words and stays inside the row, and the
// Back button gives up its words only when the title needs the room.
func TestHeader(t *testing.T) {
	for _, rtl := range []bool{false, true} {
		for _, tt := range []struct {
			title        string
			width        float32
			backHasWords bool
		}{
			{"Help", 400, true},
			{"Get help: numbers to call when you need them", 400, false},
			{"Get help: numbers to call when you need them", 1000, true},
			{"", 300, true},
		} {
			setup(t, rtl)
			back := xwidget.NewButton("Back", theme.NavigateBackIcon(), nil)
			exit := xwidget.NewButton("Exit", theme.CancelIcon(), nil)
			exit.Importance = xwidget.Warning
			title := xwidget.NewText(tt.title)
			h := xwidget.Header(back, title, exit)
			w := test.NewWindow(container.NewVBox(h))
			w.SetPadded(false)
			w.Resize(fyne.NewSize(tt.width, 200))
			if got := !back.Compact(); got != tt.backHasWords {
				t.Errorf("rtl %v, %q at %v: Back shows its words %v, want %v", rtl, tt.title, tt.width, got, tt.backHasWords)
			}
			if exit.Compact() {
				t.Errorf("rtl %v, %q at %v: the quick exit lost its words", rtl, tt.title, tt.width)
			}
			if x := exit.Position().X + exit.Size().Width; x > tt.width+0.5 || exit.Position().X < 0 {
				t.Errorf("rtl %v, %q at %v: the quick exit is at %v, outside the row", rtl, tt.title, tt.width, exit.Position())
			}
			// The exit sits at the end of the reading direction.
			if rtl != (exit.Position().X < back.Position().X) {
				t.Errorf("rtl %v: exit at %v, back at %v", rtl, exit.Position().X, back.Position().X)
			}
			if title.Size().Width < title.MinSize().Width {
				t.Errorf("rtl %v, %q at %v: the title is %v wide, less than its %v", rtl, tt.title, tt.width, title.Size().Width, title.MinSize().Width)
			}
			w.Close()
		}
	}
}

// TestRow lays out a row of buttons ever narrower: first every button
// keeps its words, then the ones that can shrink show their icons alone
// while the one thing to do next keeps its words, and the row never asks
// for more width than its widest button at its narrowest.
func TestRow(t *testing.T) {
	setup(t, false)
	home := xwidget.NewButton("Back to home", theme.HomeIcon(), nil)
	next := xwidget.NewButton("Next lesson", theme.NavigateNextIcon(), nil)
	next.Importance = xwidget.High
	row := xwidget.Row(10, home, next)
	w := test.NewWindow(row)
	w.SetPadded(false)
	defer w.Close()
	for _, tt := range []struct {
		width       float32
		homeCompact bool
	}{
		{700, false},
		{260, true},
		{120, true},
	} {
		w.Resize(fyne.NewSize(tt.width, 300))
		row.Refresh()
		if home.Compact() != tt.homeCompact {
			t.Errorf("at %v: Back to home compact %v, want %v", tt.width, home.Compact(), tt.homeCompact)
		}
		if next.Compact() {
			t.Errorf("at %v: Next lesson lost its words", tt.width)
		}
		if home.Text() != "Back to home" {
			t.Errorf("at %v: the compact button's text is %q: its words must stay for screen readers", tt.width, home.Text())
		}
		for _, b := range []*xwidget.Button{home, next} {
			if p := b.Position(); p.X < 0 || p.X+b.Size().Width > tt.width+0.5 {
				t.Errorf("at %v: %q spans %v to %v", tt.width, b.Text(), p.X, p.X+b.Size().Width)
			}
		}
		if m := row.MinSize().Width; m > tt.width {
			t.Errorf("at %v: the row asks for %v", tt.width, m)
		}
	}
	// At 120 the two do not fit side by side: they stack.
	if home.Position().Y == next.Position().Y {
		t.Error("at 120 the buttons are still side by side")
	}
}

// TestTextAtItsNaturalWidth lays text out at the width it asks for on
// one line, as layouts compute it (sums and differences of float32s, a
// hair narrower or wider): it must stay on one line, never be broken by
// float rounding (a Pause button's "Paus" and "e" once were, at the
// largest text size).
func TestTextAtItsNaturalWidth(t *testing.T) {
	setup(t, false)
	rounded := 0
	for _, text := range []string{"Pause", "Back", "Next lesson", "إيقاف مؤقت", "Check my answer"} {
		l := xwidget.NewText(text)
		l.Bold = true
		n := l.NaturalWidth()
		oneLine := l.HeightFor(1e6)
		for a := float32(0.1); a < 200; a += 0.37 {
			w := (n + a) - a
			if w < n {
				rounded++
			}
			if h := l.HeightFor(w); h > oneLine {
				t.Errorf("%q at %v (its natural width %v): %v tall, one line is %v", text, w, n, h, oneLine)
				break
			}
		}
	}
	if rounded == 0 {
		t.Error("no width came out narrower than the natural one: the test tests nothing")
	}
}
