package xwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Bar is a thin, quiet progress bar with no percentage on it: the words
// next to it say how far the learner is.
type Bar struct {
	widget.BaseWidget
	value float32 // 0 to 1
}

// NewBar returns a bar filled to value (0 to 1).
func NewBar(value float32) *Bar {
	b := &Bar{value: min(max(value, 0), 1)}
	b.ExtendBaseWidget(b)
	return b
}

// Value returns how full the bar is, from 0 to 1.
func (b *Bar) Value() float32 { return b.value }

// SetValue fills the bar to value (0 to 1).
func (b *Bar) SetValue(value float32) {
	b.value = min(max(value, 0), 1)
	b.Refresh()
}

// CreateRenderer draws the track and the filled part.
func (b *Bar) CreateRenderer() fyne.WidgetRenderer {
	track := canvas.NewRectangle(nil)
	fill := canvas.NewRectangle(nil)
	r := &barRenderer{b: b, track: track, fill: fill}
	r.Refresh()
	return r
}

type barRenderer struct {
	b           *Bar
	track, fill *canvas.Rectangle
}

func (r *barRenderer) Layout(size fyne.Size) {
	h := float32(8)
	y := (size.Height - h) / 2
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.track.Move(fyne.NewPos(0, y))
	r.fill.Resize(fyne.NewSize(size.Width*r.b.value, h))
	r.fill.Move(fyne.NewPos(0, y))
	if RTL { // fills from the right
		r.fill.Move(fyne.NewPos(size.Width*(1-r.b.value), y))
	}
	// A rounded rectangle of no width still draws its corners.
	r.fill.Hidden = r.b.value == 0
}

func (r *barRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 12) }

func (r *barRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameSeparator, v)
	r.fill.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.track.CornerRadius, r.fill.CornerRadius = 4, 4
	r.track.Refresh()
	r.fill.Refresh()
	r.Layout(r.b.Size())
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.fill} }
func (r *barRenderer) Destroy()                     {}
