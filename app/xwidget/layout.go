package xwidget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// minSize lays out its objects on top of each other, filling the space,
// and asks for at least min.
type minSize struct{ min fyne.Size }

func (l minSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l minSize) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := l.min
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

// Tall makes obj at least MinTouch tall, so a finger can hit it.
func Tall(obj fyne.CanvasObject) *fyne.Container {
	return container.New(minSize{fyne.NewSize(0, MinTouch)}, obj)
}

// AtLeast makes obj at least the given size.
func AtLeast(obj fyne.CanvasObject, size fyne.Size) *fyne.Container {
	return container.New(minSize{size}, obj)
}

// maxWidth centres its objects horizontally, no wider than max.
type maxWidth struct{ max float32 }

func (l maxWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.max)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

func (l maxWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

// MaxWidth centres obj horizontally, no wider than width (a trainer's
// tables take a laptop's width; Readable is for reading).
func MaxWidth(obj fyne.CanvasObject, width float32) *fyne.Container {
	return container.New(maxWidth{width}, obj)
}

// Readable keeps obj to a comfortable reading width on wide screens,
// centred; on a phone it fills the width.
func Readable(obj fyne.CanvasObject) *fyne.Container {
	return container.New(maxWidth{720}, obj)
}

// Shrinker is something that can show less of itself in a row too
// narrow for it: a button its icon without its words, a navigation tile
// its icon without the words under it. Its words stay its text, for
// screen readers and tests.
type Shrinker interface {
	CanShrink() bool
	SetCompact(bool)
	Compact() bool
	// ShrunkWidth is its width when compact.
	ShrunkWidth() float32
}

// naturalWidth returns the width o takes with its words on one line: the
// most it needs (its minimum width, for anything that does not wrap).
func naturalWidth(o fyne.CanvasObject) float32 {
	if n, ok := o.(interface{ NaturalWidth() float32 }); ok {
		return n.NaturalWidth()
	}
	if c, ok := o.(*fyne.Container); ok {
		switch c.Layout.(type) {
		case lines, minSize, maxWidth:
			var w float32
			for _, k := range visible(c.Objects) {
				w = max(w, naturalWidth(k))
			}
			return max(w, c.MinSize().Width)
		}
	}
	return o.MinSize().Width
}

// shrunkWidth returns the narrowest o can be: compact if it can shrink.
func shrunkWidth(o fyne.CanvasObject) float32 {
	if s, ok := o.(Shrinker); ok && s.CanShrink() {
		return s.ShrunkWidth()
	}
	return o.MinSize().Width
}

// row lays objects out side by side, with a gap between. Where they fit
// at the width of the widest, they share the width equally; where they
// fit on one line, each gets what it needs and an equal share of the
// rest. Where they do not, buttons and tiles that can shrink show their
// icons alone (Shrinker), and what is left wraps its words; where even
// that does not fit, they stack, one above the other.
type row struct {
	gap     float32
	stacked bool // at the last layout's width
}

func (l *row) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	vis := visible(objs)
	if len(vis) == 0 {
		return
	}
	avail := size.Width - l.gap*float32(len(vis)-1)
	setCompact(vis, false)
	if sum(vis, naturalWidth) > avail {
		setCompact(vis, true)
	}
	l.stacked = sum(vis, func(o fyne.CanvasObject) float32 { return o.MinSize().Width }) > avail
	if l.stacked {
		y := float32(0)
		for _, o := range vis {
			o.Resize(fyne.NewSize(size.Width, o.Size().Height))
			h := o.MinSize().Height
			o.Resize(fyne.NewSize(size.Width, h))
			o.Move(fyne.NewPos(0, y))
			y += h + l.gap
		}
		return
	}
	widths := shareOut(vis, avail)
	x := float32(0)
	for i := range vis {
		o := vis[i]
		w := widths[i]
		if RTL {
			o, w = vis[len(vis)-1-i], widths[len(vis)-1-i] // the first one on the right
		}
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w + l.gap
	}
}

// setCompact makes every shrinker among objs compact, or not.
func setCompact(objs []fyne.CanvasObject, compact bool) {
	for _, o := range objs {
		if s, ok := o.(Shrinker); ok && s.CanShrink() && s.Compact() != compact {
			s.SetCompact(compact)
		}
	}
}

func sum(objs []fyne.CanvasObject, width func(fyne.CanvasObject) float32) float32 {
	var w float32
	for _, o := range objs {
		w += width(o)
	}
	return w
}

// shareOut divides avail among objs: equally where that gives each what
// it needs on one line; else what each needs and an equal share of the
// rest; else at least its minimum, and the rest to those that would wrap,
// as much as they lack.
func shareOut(objs []fyne.CanvasObject, avail float32) []float32 {
	n := float32(len(objs))
	out := make([]float32, len(objs))
	var widest float32
	for _, o := range objs {
		widest = max(widest, naturalWidth(o))
	}
	if widest*n <= avail {
		for i := range out {
			out[i] = avail / n
		}
		return out
	}
	if nat := sum(objs, naturalWidth); nat <= avail {
		for i, o := range objs {
			out[i] = naturalWidth(o) + (avail-nat)/n
		}
		return out
	}
	mins := sum(objs, func(o fyne.CanvasObject) float32 { return o.MinSize().Width })
	lack := float32(0)
	for _, o := range objs {
		lack += naturalWidth(o) - o.MinSize().Width
	}
	for i, o := range objs {
		m := o.MinSize().Width
		out[i] = m
		if lack > 0 && avail > mins {
			out[i] += (avail - mins) * (naturalWidth(o) - m) / lack
		}
	}
	return out
}

// MinSize is as narrow as the row's widest object at its narrowest
// (stacked), and as tall as the row is at its last layout's width.
func (l *row) MinSize(objs []fyne.CanvasObject) fyne.Size {
	vis := visible(objs)
	var m fyne.Size
	for _, o := range vis {
		m.Width = max(m.Width, shrunkWidth(o))
		h := o.MinSize().Height
		if l.stacked {
			m.Height += h
		} else {
			m.Height = max(m.Height, h)
		}
	}
	if l.stacked && len(vis) > 1 {
		m.Height += l.gap * float32(len(vis)-1)
	}
	return m
}

func visible(objs []fyne.CanvasObject) []fyne.CanvasObject {
	out := objs[:0:0]
	for _, o := range objs {
		if o.Visible() {
			out = append(out, o)
		}
	}
	return out
}

// Row lays objects out side by side, with gap between: in equal widths
// where they fit, else as they fit, buttons shrinking to their icons (see
// row). It never needs more width than its objects at their narrowest.
func Row(gap float32, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&row{gap: gap}, objs...)
}

// lines stacks objects top to bottom like a VBox, but lets neighbouring
// labels share their inner padding, so the lines of one item (a title and
// its caption) read as one block.
type lines struct{}

func (lines) gap() float32 { return theme.Padding() - theme.InnerPadding() }

func (l lines) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range visible(objs) {
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(size.Width, h))
		o.Move(fyne.NewPos(0, y))
		y += h + l.gap()
	}
}

func (l lines) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	vis := visible(objs)
	for _, o := range vis {
		s := o.MinSize()
		m.Width = max(m.Width, s.Width)
		m.Height += s.Height
	}
	if len(vis) > 1 {
		m.Height += l.gap() * float32(len(vis)-1)
	}
	return m
}

// Lines stacks labels that belong together, closer than a VBox would.
func Lines(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(lines{}, objs...)
}
