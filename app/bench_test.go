package app_test

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

// BenchmarkOpenLessonFirstStep measures tapping the lesson card on the
// home screen until the lesson's step is built, laid out and rendered by
// the test driver's software painter, then pausing back to home.
func BenchmarkOpenLessonFirstStep(b *testing.B) {
	h := &harness{t: b, a: test.NewTempApp(b), path: filepath.Join(b.TempDir(), "waymark.db")}
	h.start()
	h.tap("English")
	h.tap("Start")
	c := h.ui.Window().Canvas()
	for b.Loop() {
		if h.tappableWith("Continue") != nil {
			h.tap("Continue")
		} else {
			h.tap("Start")
		}
		if c.Capture() == nil || !h.shows("Why lock your phone?") {
			b.Fatal("first step not shown")
		}
		h.tap("Pause")
	}
}
