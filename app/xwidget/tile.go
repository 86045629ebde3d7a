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

// TileState is how a tile looks: plain, chosen by the learner, or marked
// after an answer is checked.
type TileState int

// The tile states.
const (
	TilePlain  TileState = iota
	TileChosen           // picked, not yet checked
	TileGood             // right
	TileNote             // not quite: calm amber, never alarm red
)

// Tile is a large tappable area holding any content, usually text that
// wraps. Lesson options, track cards and list rows are tiles. It can be
// reached and pressed with the keyboard (Tab, then Space or Return).
type Tile struct {
	widget.BaseWidget
	Content  fyne.CanvasObject
	OnTapped func()
	// Flat tiles have no background or outline until chosen, hovered or
	// focused, as in a navigation bar.
	Flat bool
	// Detail, if set, is a part of Content (the words under a navigation
	// icon) that a row too narrow for them hides (see Shrinker).
	Detail fyne.CanvasObject

	state    TileState
	disabled bool
	hovered  bool
	focused  bool
	bg       *canvas.Rectangle
}

var (
	_ fyne.Tappable     = (*Tile)(nil)
	_ fyne.Focusable    = (*Tile)(nil)
	_ desktop.Hoverable = (*Tile)(nil)
)

// NewTile returns a tile showing content that calls tapped when tapped
// (nil for a tile that only shows something).
func NewTile(content fyne.CanvasObject, tapped func()) *Tile {
	t := &Tile{Content: content, OnTapped: tapped}
	t.ExtendBaseWidget(t)
	return t
}

// CanShrink reports whether the tile has words a narrow row may hide.
func (t *Tile) CanShrink() bool { return t.Detail != nil }

// SetCompact hides the tile's Detail (true) or shows it.
func (t *Tile) SetCompact(compact bool) {
	if t.Detail == nil || compact == !t.Detail.Visible() {
		return
	}
	if compact {
		t.Detail.Hide()
	} else {
		t.Detail.Show()
	}
	t.Refresh()
}

// Compact reports whether the tile's Detail is hidden.
func (t *Tile) Compact() bool { return t.Detail != nil && !t.Detail.Visible() }

// ShrunkWidth is the tile's width with its Detail hidden: a finger's
// width, room for an icon.
func (t *Tile) ShrunkWidth() float32 { return MinTouch }

// NaturalWidth returns the tile's width with its words on one line.
func (t *Tile) NaturalWidth() float32 {
	x, _ := tilePadding{flat: t.Flat}.pad()
	return max(naturalWidth(t.Content)+2*x, t.MinSize().Width)
}

// SetState changes how the tile looks.
func (t *Tile) SetState(s TileState) {
	t.state = s
	t.Refresh()
}

// State returns how the tile looks.
func (t *Tile) State() TileState { return t.state }

// Disable stops the tile responding to taps; it still shows its state.
func (t *Tile) Disable() {
	t.disabled = true
	t.Refresh()
}

// Enable lets the tile respond to taps again.
func (t *Tile) Enable() {
	t.disabled = false
	t.Refresh()
}

// Disabled reports whether the tile ignores taps.
func (t *Tile) Disabled() bool { return t.disabled }

// OnActivity, if set, is called whenever a tile is tapped: the app uses it
// to know the learner is there (for the idle lock).
var OnActivity func()

// Tapped calls OnTapped.
func (t *Tile) Tapped(*fyne.PointEvent) {
	if OnActivity != nil {
		OnActivity()
	}
	if t.disabled || t.OnTapped == nil {
		return
	}
	t.OnTapped()
}

// MouseIn highlights the tile under the pointer.
func (t *Tile) MouseIn(*desktop.MouseEvent) {
	t.hovered = true
	t.Refresh()
}

// MouseMoved does nothing.
func (t *Tile) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (t *Tile) MouseOut() {
	t.hovered = false
	t.Refresh()
}

// FocusGained shows the keyboard focus.
func (t *Tile) FocusGained() {
	t.focused = true
	t.Refresh()
}

// FocusLost hides the keyboard focus.
func (t *Tile) FocusLost() {
	t.focused = false
	t.Refresh()
}

// TypedRune presses the tile on Space.
func (t *Tile) TypedRune(r rune) {
	if r == ' ' {
		t.Tapped(nil)
	}
}

// TypedKey presses the tile on Return.
func (t *Tile) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		t.Tapped(nil)
	}
}

// Cursor shows a pointing hand over a tile that can be tapped.
func (t *Tile) Cursor() desktop.Cursor {
	if t.disabled || t.OnTapped == nil {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

// CreateRenderer builds the tile's background and padded content.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	t.bg = canvas.NewRectangle(color.Transparent)
	t.applyColors()
	pad := container.New(tilePadding{flat: t.Flat}, t.Content)
	return &tileRenderer{t: t, objs: []fyne.CanvasObject{t.bg, pad}, pad: pad}
}

func (t *Tile) applyColors() {
	if t.bg == nil {
		return
	}
	th := t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	c := func(n fyne.ThemeColorName, fallback fyne.ThemeColorName) color.Color {
		col := th.Color(n, v)
		if _, _, _, a := col.RGBA(); a == 0 {
			return th.Color(fallback, v)
		}
		return col
	}
	edge := c(ColorNameCardEdge, theme.ColorNameSeparator)
	t.bg.StrokeWidth = 1
	switch t.state {
	case TileChosen:
		t.bg.FillColor = c(ColorNameChosenBg, theme.ColorNameSelection)
		edge = th.Color(theme.ColorNamePrimary, v)
		t.bg.StrokeWidth = 2
	case TileGood:
		t.bg.FillColor = c(ColorNameGoodBg, theme.ColorNameSelection)
		edge = th.Color(theme.ColorNameSuccess, v)
		t.bg.StrokeWidth = 2
	case TileNote:
		t.bg.FillColor = c(ColorNameNoteBg, theme.ColorNameHover)
		edge = th.Color(theme.ColorNameWarning, v)
		t.bg.StrokeWidth = 2
	default:
		t.bg.FillColor = c(ColorNameCard, theme.ColorNameInputBackground)
		if t.Flat {
			t.bg.FillColor, edge = color.Transparent, color.Transparent
		}
		if t.hovered && !t.disabled && t.OnTapped != nil {
			t.bg.FillColor = th.Color(theme.ColorNameHover, v)
			if !t.Flat {
				t.bg.FillColor = blend(c(ColorNameCard, theme.ColorNameInputBackground), t.bg.FillColor)
			}
		}
	}
	if t.focused {
		edge = th.Color(theme.ColorNameFocus, v)
		t.bg.StrokeWidth = 3
	}
	t.bg.StrokeColor = edge
	t.bg.CornerRadius = th.Size(theme.SizeNameInputRadius) * 2
}

// blend lays over on top of base.
func blend(base, over color.Color) color.Color {
	br, bg, bb, _ := base.RGBA()
	or, og, ob, oa := over.RGBA()
	mix := func(b, o uint32) uint8 { return uint8((b*(0xffff-oa) + o*oa) / 0xffff >> 8) }
	return color.NRGBA{mix(br, or), mix(bg, og), mix(bb, ob), 0xff}
}

type tileRenderer struct {
	t    *Tile
	objs []fyne.CanvasObject
	pad  *fyne.Container
}

func (r *tileRenderer) Layout(size fyne.Size) {
	r.t.bg.Resize(size)
	r.pad.Resize(size)
}

func (r *tileRenderer) MinSize() fyne.Size {
	return r.pad.MinSize().Max(fyne.NewSize(MinTouch, MinTouch+8))
}

func (r *tileRenderer) Refresh() {
	r.t.applyColors()
	r.t.bg.Refresh()
	r.pad.Objects[0] = r.t.Content
	r.pad.Refresh()
}

func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *tileRenderer) Destroy()                     {}

// tilePadding pads a tile's content: more than the theme's padding, so
// text never touches the rounded edge, and centred vertically. Flat
// tiles (a navigation bar's) have no edge to keep away from.
type tilePadding struct{ flat bool }

func (l tilePadding) pad() (x, y float32) {
	p := theme.Padding()
	if l.flat {
		return p, p
	}
	return p * 3, p * 2
}

func (l tilePadding) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x, y := l.pad()
	for _, o := range objs {
		h := o.MinSize().Height
		inner := size.Height - 2*y
		top := y
		if h < inner {
			top = (size.Height - h) / 2
			inner = h
		}
		o.Resize(fyne.NewSize(size.Width-2*x, inner))
		o.Move(fyne.NewPos(x, top))
	}
}

func (l tilePadding) MinSize(objs []fyne.CanvasObject) fyne.Size {
	x, y := l.pad()
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m.Add(fyne.NewSize(2*x, 2*y))
}
