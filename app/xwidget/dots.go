package xwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Dots shows where a learner is in a lesson: one dot a step, the steps
// done filled, the current one larger.
type Dots struct {
	widget.BaseWidget
	total, current int
}

// NewDots returns dots for total steps with current (0-based) selected.
func NewDots(total, current int) *Dots {
	d := &Dots{total: total, current: current}
	d.ExtendBaseWidget(d)
	return d
}

// SetCurrent moves the current step.
func (d *Dots) SetCurrent(i int) {
	d.current = i
	d.Refresh()
}

// Current returns the current step (0-based).
func (d *Dots) Current() int { return d.current }

// CreateRenderer draws the dots.
func (d *Dots) CreateRenderer() fyne.WidgetRenderer {
	r := &dotsRenderer{d: d}
	r.Refresh()
	return r
}

const (
	dotSize    float32 = 10
	dotCurrent float32 = 14
	dotGap     float32 = 8
)

type dotsRenderer struct {
	d    *Dots
	dots []*canvas.Circle
	objs []fyne.CanvasObject
}

func (r *dotsRenderer) Layout(size fyne.Size) {
	n := len(r.dots)
	if n == 0 {
		return
	}
	// Each dot gets a slot; slots shrink on a narrow screen, down to the
	// dot's own width.
	slot := min(dotCurrent+dotGap, size.Width/float32(n))
	x := float32(0)
	for i, c := range r.dots {
		s := dotSize
		if i == r.d.current {
			s = dotCurrent
		}
		s = min(s, slot)
		c.Resize(fyne.NewSquareSize(s))
		pos := x + (slot-s)/2
		if RTL { // the first step on the right
			pos = size.Width - pos - s
		}
		c.Move(fyne.NewPos(pos, (size.Height-s)/2))
		x += slot
	}
}

// maxDotsWidth caps the width the dots ask for: a lesson of many steps
// gets smaller dots, never a screen wider than the phone.
const maxDotsWidth = 12 * (dotSize + 2)

func (r *dotsRenderer) MinSize() fyne.Size {
	n := float32(r.d.total)
	return fyne.NewSize(min(n*(dotSize+2), maxDotsWidth), dotCurrent+4)
}

func (r *dotsRenderer) Refresh() {
	th := r.d.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for len(r.dots) < r.d.total {
		c := canvas.NewCircle(nil)
		r.dots = append(r.dots, c)
		r.objs = append(r.objs, c)
	}
	r.dots, r.objs = r.dots[:r.d.total], r.objs[:r.d.total]
	for i, c := range r.dots {
		switch {
		case i < r.d.current:
			c.FillColor = th.Color(theme.ColorNamePrimary, v)
			c.StrokeWidth = 0
		case i == r.d.current:
			c.FillColor = th.Color(theme.ColorNamePrimary, v)
			c.StrokeColor = th.Color(theme.ColorNameForeground, v)
			c.StrokeWidth = 2
		default:
			c.FillColor = th.Color(theme.ColorNameDisabled, v)
			c.StrokeWidth = 0
		}
		c.Refresh()
	}
	r.Layout(r.d.Size())
}

func (r *dotsRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *dotsRenderer) Destroy()                     {}
