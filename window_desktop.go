//go:build !ci && !android && !ios && !js && !wasm

package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.4/glfw"
)

// fitWindow sizes the window to want, or smaller to fit the screen: an old
// laptop or a small virtual display must show the whole window. It must
// run on the main goroutine (inside fyne.Do) after the window is shown.
func fitWindow(w fyne.Window, want fyne.Size) {
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
	w.Resize(size)
}
