package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// drawCurtain hides the window's content at once behind a plain screen,
// while the app is in the background: a task switcher's thumbnail, or a
// glance at a laptop left open, shows nothing of the app. It asks for
// nothing: the learner may only have switched to a browser. Coming back
// lifts it, and so does a tap or click on it (some desktops do not tell a
// window it has the focus again).
func (u *UI) drawCurtain() {
	if u.curtain != nil || u.win == nil {
		return
	}
	c := &curtain{lift: u.onForeground}
	c.ExtendBaseWidget(c)
	u.curtain = c
	u.win.SetContent(c)
}

// liftCurtain shows the window's content again.
func (u *UI) liftCurtain() {
	if u.curtain == nil {
		return
	}
	u.curtain = nil
	u.win.SetContent(u.root)
}

// curtain is the plain screen: the background colour, and a tap that
// counts as coming back.
type curtain struct {
	widget.BaseWidget
	lift func()
}

// Tapped lifts the curtain (or shows the lock screen, if the learner was
// away longer than the idle time they chose).
func (c *curtain) Tapped(*fyne.PointEvent) { c.lift() }

// CreateRenderer draws the background colour only.
func (c *curtain) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)))
}
