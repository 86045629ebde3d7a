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

// Readable keeps obj to a comfortable reading width on wide screens,
// centred; on a phone it fills the width.
func Readable(obj fyne.CanvasObject) *fyne.Container {
	return container.New(maxWidth{720}, obj)
}

// rowsEqual lays objects out side by side with equal widths and a gap.
type rowsEqual struct{ gap float32 }

func (l rowsEqual) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	vis := visible(objs)
	if len(vis) == 0 {
		return
	}
	w := (size.Width - l.gap*float32(len(vis)-1)) / float32(len(vis))
	x := float32(0)
	for i := range vis {
		o := vis[i]
		if RTL {
			o = vis[len(vis)-1-i] // the first one on the right
		}
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w + l.gap
	}
}

func (l rowsEqual) MinSize(objs []fyne.CanvasObject) fyne.Size {
	vis := visible(objs)
	var m fyne.Size
	for _, o := range vis {
		m = m.Max(o.MinSize())
	}
	if len(vis) == 0 {
		return m
	}
	return fyne.NewSize(m.Width*float32(len(vis))+l.gap*float32(len(vis)-1), m.Height)
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

// Row lays objects out side by side in equal widths, with gap between.
func Row(gap float32, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(rowsEqual{gap}, objs...)
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
