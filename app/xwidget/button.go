package xwidget

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Importance says how much a button stands out.
type Importance int

// The importances.
const (
	Medium  Importance = iota // a plain button
	High                      // the one thing to do next
	Low                       // no background until hovered
	Warning                   // the quick exit: easy to find at a glance
)

// Button is a button whose label goes through Text, so a label in any
// script and direction reads right, with its icon on the side the label
// starts from. It is at least MinTouch tall.
type Button struct {
	widget.BaseWidget
	Label      *Text
	Icon       fyne.Resource
	Importance Importance
	// IconAfter puts the icon after the label (an arrow pointing on).
	IconAfter bool
	OnTapped  func()

	disabled, hovered, focused bool
	bg                         *canvas.Rectangle
	icon                       *widget.Icon
}

var (
	_ fyne.Tappable     = (*Button)(nil)
	_ fyne.Focusable    = (*Button)(nil)
	_ desktop.Hoverable = (*Button)(nil)
)

// NewButton returns a button showing text and icon (either may be empty).
func NewButton(text string, icon fyne.Resource, tapped func()) *Button {
	l := NewText(text)
	l.Wrap = false
	l.Alignment = fyne.TextAlignCenter
	l.Bold = true
	l.Tight = true
	b := &Button{Label: l, Icon: icon, OnTapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

// Text returns the button's label.
func (b *Button) Text() string { return b.Label.String() }

// SetText changes the label.
func (b *Button) SetText(s string) { b.Label.SetText(s) }

// Disable stops the button responding.
func (b *Button) Disable() {
	b.disabled = true
	b.Refresh()
}

// Enable lets the button respond again.
func (b *Button) Enable() {
	b.disabled = false
	b.Refresh()
}

// Disabled reports whether the button ignores taps.
func (b *Button) Disabled() bool { return b.disabled }

// Tapped calls OnTapped.
func (b *Button) Tapped(*fyne.PointEvent) {
	if OnActivity != nil {
		OnActivity()
	}
	if b.disabled || b.OnTapped == nil {
		return
	}
	b.OnTapped()
}

// MouseIn highlights the button.
func (b *Button) MouseIn(*desktop.MouseEvent) { b.hovered = true; b.Refresh() }

// MouseMoved does nothing.
func (b *Button) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (b *Button) MouseOut() { b.hovered = false; b.Refresh() }

// FocusGained shows keyboard focus.
func (b *Button) FocusGained() { b.focused = true; b.Refresh() }

// FocusLost hides keyboard focus.
func (b *Button) FocusLost() { b.focused = false; b.Refresh() }

// TypedRune presses the button on Space.
func (b *Button) TypedRune(r rune) {
	if r == ' ' {
		b.Tapped(nil)
	}
}

// TypedKey presses the button on Return.
func (b *Button) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		b.Tapped(nil)
	}
}

// Cursor shows a pointing hand.
func (b *Button) Cursor() desktop.Cursor {
	if b.disabled {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

// CreateRenderer lays out the background, icon and label.
func (b *Button) CreateRenderer() fyne.WidgetRenderer {
	b.bg = canvas.NewRectangle(color.Transparent)
	b.icon = widget.NewIcon(b.Icon)
	r := &buttonRenderer{b: b}
	r.build()
	return r
}

type buttonRenderer struct {
	b       *Button
	content *fyne.Container
	objs    []fyne.CanvasObject
}

func (r *buttonRenderer) build() {
	b := r.b
	var parts []fyne.CanvasObject
	iconFirst := !b.IconAfter
	if RTL {
		iconFirst = !iconFirst
	}
	hasText := b.Label.String() != ""
	if b.Icon != nil && iconFirst {
		parts = append(parts, b.icon)
	}
	if hasText {
		parts = append(parts, b.Label)
	}
	if b.Icon != nil && !iconFirst {
		parts = append(parts, b.icon)
	}
	r.content = container.NewCenter(container.NewHBox(parts...))
	r.objs = []fyne.CanvasObject{b.bg, r.content}
	r.applyColors()
}

func (r *buttonRenderer) applyColors() {
	b := r.b
	th := b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := theme.ColorNameForeground
	switch {
	case b.disabled:
		b.bg.FillColor = th.Color(theme.ColorNameDisabledButton, v)
		fg = theme.ColorNameDisabled
	case b.Importance == High:
		b.bg.FillColor = th.Color(theme.ColorNamePrimary, v)
		fg = theme.ColorNameForegroundOnPrimary
	case b.Importance == Warning:
		b.bg.FillColor = th.Color(theme.ColorNameWarning, v)
		fg = theme.ColorNameForegroundOnWarning
	case b.Importance == Low:
		b.bg.FillColor = color.Transparent
	default:
		b.bg.FillColor = th.Color(theme.ColorNameButton, v)
	}
	if b.hovered && !b.disabled {
		b.bg.FillColor = blend(solid(b.bg.FillColor, th.Color(theme.ColorNameBackground, v)), th.Color(theme.ColorNameHover, v))
	}
	b.bg.StrokeWidth = 0
	if b.focused {
		b.bg.StrokeColor = th.Color(theme.ColorNameFocus, v)
		b.bg.StrokeWidth = 2
	}
	b.bg.CornerRadius = th.Size(theme.SizeNameButtonRadius)
	b.Label.ColorName = fg
	if b.icon != nil && b.Icon != nil {
		b.icon.SetResource(iconColour(b.Icon, fg))
	}
}

// solid gives a transparent colour the background behind it.
func solid(c, behind color.Color) color.Color {
	if _, _, _, a := c.RGBA(); a == 0 {
		return behind
	}
	return c
}

// iconColour recolours a theme icon to match the label.
func iconColour(res fyne.Resource, name fyne.ThemeColorName) fyne.Resource {
	return theme.NewColoredResource(res, name)
}

func (r *buttonRenderer) Layout(size fyne.Size) {
	r.b.bg.Resize(size)
	r.content.Resize(size)
}

func (r *buttonRenderer) MinSize() fyne.Size {
	p := r.b.Theme().Size(theme.SizeNameInnerPadding)
	return r.content.MinSize().Add(fyne.NewSize(2*p, p)).Max(fyne.NewSize(MinTouch, MinTouch))
}

func (r *buttonRenderer) Refresh() {
	r.applyColors()
	r.b.bg.Refresh()
	r.b.Label.Refresh()
	r.content.Refresh()
}

func (r *buttonRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *buttonRenderer) Destroy()                     {}
