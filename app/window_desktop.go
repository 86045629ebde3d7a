//go:build !ci && !android && !ios && !js && !wasm

package app

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.4/glfw"
)

// fitWindow sizes the window to want, or smaller to fit the screen: an old
// laptop or a small virtual display must show the whole window. It runs
// on the main goroutine, before the window is shown or inside fyne.Do.
// Before the window is shown its scale is not known yet and is taken as 1:
// the screens where that differs (high-density screens narrower than
// want) are fitted again once it is shown.
func fitWindow(w fyne.Window, want fyne.Size) fyne.Size {
	size := want
	if m := glfw.GetPrimaryMonitor(); m != nil {
		if mode := m.GetVideoMode(); mode != nil {
			scale := w.Canvas().Scale()
			if scale <= 0 {
				scale = 1
			}
			screen := fyne.NewSize(float32(mode.Width)/scale, float32(mode.Height)/scale)
			if screen.Width < want.Width+40 {
				// A phone-sized screen: use all of it.
				size = screen
			} else {
				// Leave room for a desktop's panels and the title bar.
				size = want.Min(screen.SubtractWidthHeight(40, 60))
			}
		}
	}
	if w.Canvas().Size() != size {
		w.Resize(size)
	}
	return size
}
