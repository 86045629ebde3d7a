package app

import (
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// drawCurtain hides the window's content at once behind a plain screen,
// while the app is in the background: a task switcher's thumbnail, or a
// glance at a laptop left open, shows nothing of the app. It asks for
// nothing: the learner may only have switched to a browser.
func (u *UI) drawCurtain() {
	if u.curtain != nil || u.win == nil {
		return
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	u.curtain = container.NewStack(bg)
	u.win.SetContent(u.curtain)
}

// liftCurtain shows the window's content again.
func (u *UI) liftCurtain() {
	if u.curtain == nil {
		return
	}
	u.curtain = nil
	u.win.SetContent(u.root)
}
