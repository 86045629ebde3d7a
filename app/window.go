package app

import "fyne.io/fyne/v2"

// windowSize is the window's size on a laptop; fitWindow makes it smaller
// to fit a small screen, and phones use the whole screen.
var windowSize = fyne.NewSize(1000, 720)

// ShowAndRun sizes the window for the screen, shows it and runs the app
// until the window is closed; started, if not nil, runs once the first
// screen is up. The window has its size before it is first drawn, so the
// first frame is the final one: a window sized once shown is drawn at
// Fyne's default size first and again at its own (which is what made the
// first screen show twice).
func (u *UI) ShowAndRun(started func()) {
	fitWindow(u.win, windowSize)
	u.app.Lifecycle().SetOnStarted(func() {
		// Now that the window's scale is known; a no-op unless it
		// changes what fits.
		fitWindow(u.win, windowSize)
		if started != nil {
			started()
		}
	})
	u.win.ShowAndRun()
}
