//go:build !ci

package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.4/glfw"
)

// fit is want, or the whole screen when the screen is narrower, as
// Waymark sizes its window (app/window_desktop.go), so that both draw the
// same number of pixels.
func fit(want fyne.Size) fyne.Size {
	if m := glfw.GetPrimaryMonitor(); m != nil {
		if mode := m.GetVideoMode(); mode != nil {
			screen := fyne.NewSize(float32(mode.Width), float32(mode.Height))
			if screen.Width < want.Width+40 {
				return screen
			}
			return want.Min(screen.SubtractWidthHeight(40, 60))
		}
	}
	return want
}
