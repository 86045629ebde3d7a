package app_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// drawnTexts returns every piece of text the painter draws under o,
// inside widgets too.
func drawnTexts(o fyne.CanvasObject) []*canvas.Text {
	if o == nil || !o.Visible() {
		return nil
	}
	if c, ok := o.(*canvas.Text); ok {
		return []*canvas.Text{c}
	}
	var out []*canvas.Text
	for _, c := range children(o) {
		out = append(out, drawnTexts(c)...)
	}
	return out
}

// The first screen, in English, names the font file of every word it
// draws, so that Fyne reads that one file before the first frame: a text
// without one makes Fyne also read its symbol font and a system font for
// the device's language and index every font on the system, which took
// about 30 ms of a start (BENCHMARKS.md). It fails if a piece of the
// first screen is left to Fyne's lookup.
func TestFirstScreenNamesItsFonts(t *testing.T) {
	for _, returning := range []bool{false, true} {
		h := newHarness(t)
		if returning {
			h.start()
			h.firstRun()
			h.stop()
		}
		ui := h.start()
		texts := drawnTexts(ui.Window().Content())
		if len(texts) < 5 {
			t.Fatalf("returning %v: found %d texts on the first screen; the walk is broken", returning, len(texts))
		}
		for _, c := range texts {
			if c.FontSource == nil {
				t.Errorf("returning %v: %q is drawn without a font file (Fyne's system font lookup)", returning, c.Text)
			}
		}
	}
}
