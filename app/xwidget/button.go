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
// starts from. It is at least MinTouch tall. A label too long for the
// button's width wraps onto more lines; in a row too narrow for it, a
// button with an icon can show its icon alone (SetCompact).
type Button struct {
	widget.BaseWidget
	Label      *Text
	Icon       fyne.Resource
	Importance Importance
	// IconAfter puts the icon after the label (an arrow pointing on).
	IconAfter bool
	OnTapped  func()
	// compact shows the icon without the label; the label stays the
	// button's text (Text), for screen readers and tests.
	compact bool

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

// CanShrink reports whether the button can show its icon alone: it has
// both an icon and words, and it is not the one thing to do next (that
// keeps its words) nor the quick exit.
func (b *Button) CanShrink() bool {
	return b.Icon != nil && b.Label.String() != "" && b.Importance != High && b.Importance != Warning
}

// SetCompact shows the icon alone (true) or with the label (false), if
// the button can shrink; Row and Header do it when space is short.
func (b *Button) SetCompact(compact bool) {
	compact = compact && b.CanShrink()
	if compact == b.compact {
		return
	}
	b.compact = compact
	b.Refresh()
}

// Compact reports whether the button shows its icon alone.
func (b *Button) Compact() bool { return b.compact }

// ShrunkWidth returns the button's width showing its icon alone.
func (b *Button) ShrunkWidth() float32 {
	p := b.Theme().Size(theme.SizeNameInnerPadding)
	return max(b.Theme().Size(theme.SizeNameInlineIcon)+2*p, MinTouch)
}

// NaturalWidth returns the button's width with its label on one line
// (or its icon alone, when compact): the most it needs.
func (b *Button) NaturalWidth() float32 {
	l := buttonLayout{b: b}
	showIcon, showLabel := l.showing()
	var w float32
	if showIcon {
		w = l.iconSize()
	}
	if showLabel {
		if showIcon {
			w += l.gap()
		}
		w += b.Label.NaturalWidth()
	}
	p := b.Theme().Size(theme.SizeNameInnerPadding)
	return max(w+2*p, MinTouch)
}

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
	r.content = container.New(&buttonLayout{b: b}, b.icon, b.Label)
	r.objs = []fyne.CanvasObject{b.bg, r.content}
	r.applyColors()
}

// buttonLayout puts the icon and the label side by side, centred, the
// icon on the side the label starts from (or ends at, for IconAfter).
// The label gets the width that is left, up to what it needs on one
// line, and wraps in less.
type buttonLayout struct{ b *Button }

// showing returns what the button shows now.
func (l *buttonLayout) showing() (icon, label bool) {
	b := l.b
	label = b.Label.String() != "" && !b.compact
	return b.Icon != nil, label
}

func (l *buttonLayout) gap() float32 { return l.b.Theme().Size(theme.SizeNamePadding) }

func (l *buttonLayout) iconSize() float32 { return l.b.Theme().Size(theme.SizeNameInlineIcon) }

func (l *buttonLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	b := l.b
	showIcon, showLabel := l.showing()
	b.icon.Hidden = !showIcon
	b.Label.Hidden = !showLabel
	if size.Width <= 0 {
		return
	}
	is := l.iconSize()
	var iconW, gap float32
	if showIcon {
		iconW = is
	}
	if showIcon && showLabel {
		gap = l.gap()
	}
	var labelW, labelH float32
	if showLabel {
		p := b.Theme().Size(theme.SizeNameInnerPadding)
		labelW = max(0, min(b.Label.NaturalWidth(), size.Width-2*p-iconW-gap))
		b.Label.Resize(fyne.NewSize(labelW, b.Label.Size().Height))
		labelH = b.Label.MinSize().Height
	}
	total := iconW + gap + labelW
	x := (size.Width - total) / 2
	iconFirst := !b.IconAfter
	if RTL {
		iconFirst = !iconFirst
	}
	iconX, labelX := x, x+iconW+gap
	if !iconFirst {
		labelX, iconX = x, x+labelW+gap
	}
	if showIcon {
		b.icon.Resize(fyne.NewSquareSize(is))
		b.icon.Move(fyne.NewPos(iconX, (size.Height-is)/2))
	}
	if showLabel {
		b.Label.Resize(fyne.NewSize(labelW, labelH))
		b.Label.Move(fyne.NewPos(labelX, (size.Height-labelH)/2))
	}
}

func (l *buttonLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	b := l.b
	showIcon, showLabel := l.showing()
	var w, h float32
	if showIcon {
		w, h = l.iconSize(), l.iconSize()
	}
	if showLabel {
		m := b.Label.MinSize()
		if showIcon {
			w += l.gap()
		}
		w += m.Width
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
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
