package xwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Switch draws an on/off switch, as in a phone's settings. It only shows
// a state; the tile around it handles taps, so the whole row is the
// touch target.
type Switch struct {
	widget.BaseWidget
	on bool
}

// NewSwitch returns a switch showing on.
func NewSwitch(on bool) *Switch {
	s := &Switch{on: on}
	s.ExtendBaseWidget(s)
	return s
}

// SetOn changes what the switch shows.
func (s *Switch) SetOn(on bool) {
	s.on = on
	s.Refresh()
}

// On reports what the switch shows.
func (s *Switch) On() bool { return s.on }

// CreateRenderer draws the track and the knob.
func (s *Switch) CreateRenderer() fyne.WidgetRenderer {
	r := &switchRenderer{s: s, track: canvas.NewRectangle(nil), knob: canvas.NewCircle(nil)}
	r.Refresh()
	return r
}

type switchRenderer struct {
	s     *Switch
	track *canvas.Rectangle
	knob  *canvas.Circle
}

const switchW, switchH float32 = 46, 26

func (r *switchRenderer) Layout(size fyne.Size) {
	y := (size.Height - switchH) / 2
	r.track.Resize(fyne.NewSize(switchW, switchH))
	r.track.Move(fyne.NewPos(0, y))
	k := switchH - 6
	x := float32(3)
	if r.s.on {
		x = switchW - k - 3
	}
	r.knob.Resize(fyne.NewSquareSize(k))
	r.knob.Move(fyne.NewPos(x, y+3))
}

func (r *switchRenderer) MinSize() fyne.Size { return fyne.NewSize(switchW, switchH) }

func (r *switchRenderer) Refresh() {
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.track.CornerRadius = switchH / 2
	r.track.StrokeWidth = 2
	r.track.StrokeColor = th.Color(theme.ColorNameForeground, v)
	if r.s.on {
		r.track.FillColor = th.Color(theme.ColorNamePrimary, v)
		r.track.StrokeColor = r.track.FillColor
		r.knob.FillColor = th.Color(theme.ColorNameForegroundOnPrimary, v)
	} else {
		r.track.FillColor = th.Color(theme.ColorNameBackground, v)
		r.knob.FillColor = th.Color(theme.ColorNameForeground, v)
	}
	r.track.Refresh()
	r.knob.Refresh()
	r.Layout(r.s.Size())
}

func (r *switchRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.knob} }
func (r *switchRenderer) Destroy()                     {}
