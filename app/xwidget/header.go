package xwidget

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Header lays out a screen's header row: lead (a Back or Pause button, or
// nil) at the start of the reading direction, then the title, and trail
// (help and the quick exit) at the end. The trail always gets the width
// it needs, so the quick exit is never cut off. The title wraps onto more
// lines rather than being cut short; when the row is too narrow for both
// the lead's words and the title on one line, the lead shows its icon
// alone.
func Header(lead fyne.CanvasObject, title *Text, trail fyne.CanvasObject) *fyne.Container {
	l := &header{lead: lead, title: title, trail: trail}
	var objs []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{lead, title, trail} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	l.box = container.New(l, objs...)
	return l.box
}

type header struct {
	lead  fyne.CanvasObject
	title *Text
	trail fyne.CanvasObject
	// width is the row's width at its last layout: its height follows
	// from it (the title's lines), not from widths the title had before.
	width float32
	box   *fyne.Container
	// relaying is set while a new layout of the window is asked for.
	relaying bool
}

func (l *header) gap() float32 { return theme.Padding() }

func (l *header) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	stale := l.width > 0 && l.width != size.Width
	l.width = size.Width
	leadW, titleW, trailW := l.widths(size.Width, true)
	if need := l.MinSize(nil).Height; stale && math.Abs(float64(need-size.Height)) > 0.5 && !l.relaying {
		// The window laid the row out from its height at the width it had
		// before (its title wraps onto more or fewer lines now), and Fyne
		// does not always lay a window out again when a row's height
		// changes with its width: ask for it, once, after this layout.
		l.relaying = true
		fyne.Do(func() {
			if c := fyne.CurrentApp().Driver().CanvasForObject(l.box); c != nil && c.Content() != nil {
				c.Content().Refresh()
			}
			l.relaying = false
		})
	}
	gap := l.gap()
	titleH := min(size.Height, l.title.HeightFor(titleW))
	place := func(o fyne.CanvasObject, x, w, h float32) {
		if o == nil {
			return
		}
		if RTL {
			x = size.Width - x - w
		}
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
	}
	tall := func(o fyne.CanvasObject) float32 {
		if o == nil {
			return 0
		}
		return min(size.Height, max(o.MinSize().Height, MinTouch))
	}
	place(l.lead, 0, leadW, tall(l.lead))
	place(l.title, leadW+gap, titleW, titleH)
	place(l.trail, size.Width-trailW, trailW, tall(l.trail))
}

// widths shares out a row width wide: the trail what it needs, the lead
// its words if the title still fits on one line beside them (else its
// icon alone: decide makes it compact, or not), the title the rest.
func (l *header) widths(width float32, decide bool) (lead, title, trail float32) {
	gap := l.gap()
	if l.trail != nil {
		trail = l.trail.MinSize().Width
	}
	if l.lead != nil {
		if decide {
			setCompact([]fyne.CanvasObject{l.lead}, false)
			// The title first: the lead keeps its words only if the title
			// still fits on one line beside them.
			want := l.title.NaturalWidth()
			if l.title.String() == "" {
				want = 0
			}
			if width-trail-2*gap-naturalWidth(l.lead) < want {
				setCompact([]fyne.CanvasObject{l.lead}, true)
			}
		}
		lead = naturalWidth(l.lead)
	}
	return lead, max(0, width-trail-lead-2*gap), trail
}

func (l *header) MinSize([]fyne.CanvasObject) fyne.Size {
	m := fyne.NewSize(l.title.MinSize().Width+2*l.gap(), MinTouch)
	if l.width > 0 {
		// As tall as the title is at the width it gets in this row.
		_, titleW, _ := l.widths(l.width, false)
		m.Height = max(m.Height, l.title.HeightFor(titleW))
	} else {
		m.Height = max(m.Height, l.title.MinSize().Height)
	}
	for _, o := range []fyne.CanvasObject{l.lead, l.trail} {
		if o == nil {
			continue
		}
		w := o.MinSize().Width
		if o == l.lead {
			w = shrunkWidth(o)
		}
		m.Width += w
		m.Height = max(m.Height, o.MinSize().Height)
	}
	return m
}
