package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// The frame of a mock app or website in a practice simulation: a header
// in the service's colour over the screen, with an outline in that colour,
// so the learner sees at a glance what is the pretend app and what is the
// lesson around it.

// Colours of the mock services. They are the services' own kinds of
// colour, not our theme's, so they stay the same in the dark palette.
var (
	govukBlack = color.NRGBA{0x0b, 0x0c, 0x0c, 0xff} // GOV.UK's header
	govukBlue  = color.NRGBA{0x1d, 0x70, 0xb8, 0xff} // the line under it
	govukGreen = color.NRGBA{0x00, 0x70, 0x3c, 0xff} // its buttons and confirmation panel
	bankTeal   = color.NRGBA{0x1f, 0x5f, 0x5b, 0xff}
	transport  = color.NRGBA{0x1d, 0x35, 0x57, 0xff}
	readerGold = color.NRGBA{0xff, 0xd3, 0x29, 0xff} // a contactless card reader at the gates
	accountSky = color.NRGBA{0x26, 0x32, 0x38, 0xff}
)

// mockFrame draws a mock screen: header lines on the colour, the body
// below. The header wraps rather than cut a long name short.
func (u *UI) mockFrame(colour color.Color, header []fyne.CanvasObject, body fyne.CanvasObject) fyne.CanvasObject {
	for _, h := range header {
		if t, ok := h.(*xwidget.Text); ok {
			t.Wrap = true
		}
	}
	onDark(header...)
	head := container.NewStack(canvas.NewRectangle(colour), container.NewPadded(xwidget.Lines(header...)))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.StrokeColor = colour
	bg.StrokeWidth = 3
	bg.CornerRadius = 12
	inner := container.NewBorder(head, nil, nil, nil, container.New(layout.NewCustomPaddedLayout(8, 12, 8, 8), body))
	return container.NewStack(bg, container.NewPadded(inner))
}

// mockMessage is a text message as a phone shows it: who it is from, the
// words, and a code in large type (if any).
func mockMessage(from, text, code string) fyne.CanvasObject {
	lines := []fyne.CanvasObject{sides(widget.NewIcon(theme.MailComposeIcon()), nil, caption(from)), para(text)}
	if code != "" {
		c := label(code, theme.SizeNameHeadingText, true)
		c.Dir = textlayout.LTR // a code reads left to right in every language
		if xwidget.RTL {
			c.Alignment = fyne.TextAlignTrailing // on the side the message starts
		}
		lines = append(lines, c)
	}
	t := xwidget.NewTile(xwidget.Lines(lines...), nil)
	t.SetState(xwidget.TileChosen)
	return t
}

// notice is a calm note in a tile: good news or something to fix.
func notice(good bool, objs ...fyne.CanvasObject) *xwidget.Tile {
	ic := theme.InfoIcon()
	state := xwidget.TileNote
	if good {
		ic, state = theme.ConfirmIcon(), xwidget.TileGood
	}
	t := xwidget.NewTile(sides(widget.NewIcon(ic), nil, xwidget.Lines(objs...)), nil)
	t.SetState(state)
	return t
}

// onColour draws on a fixed colour: text in fg, buttons in primary.
type onColour struct {
	fyne.Theme
	fg, primary color.Color
}

func (t onColour) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameForeground:
		if t.fg != nil {
			return t.fg
		}
	case theme.ColorNamePrimary:
		if t.primary != nil {
			return t.primary
		}
	case theme.ColorNameForegroundOnPrimary:
		if t.primary != nil {
			return color.White
		}
	}
	return t.Theme.Color(n, v)
}

// actionTile is an action whose words may be long in some languages: a
// tile the width of the screen whose words wrap, where a button's would
// push the screen wider than a phone.
func actionTile(text string, ic fyne.Resource, tapped func()) *xwidget.Tile {
	t := xwidget.NewTile(sides(nil, widget.NewIcon(ic), strong(text)), tapped)
	t.SetState(xwidget.TileChosen)
	return t
}

// enableAction lets an action tile be tapped, or shows it greyed out.
func enableAction(t *xwidget.Tile, on bool) {
	colour, state := fyne.ThemeColorName(""), xwidget.TileChosen
	if on {
		t.Enable()
	} else {
		t.Disable()
		colour, state = theme.ColorNameDisabled, xwidget.TilePlain
	}
	walkText(t.Content, func(x *xwidget.Text) {
		x.ColorName = colour
		x.Refresh()
	})
	t.SetState(state)
}

// walkText calls fn for every Text in o.
func walkText(o fyne.CanvasObject, fn func(*xwidget.Text)) {
	switch v := o.(type) {
	case *xwidget.Text:
		fn(v)
	case *fyne.Container:
		for _, c := range v.Objects {
			walkText(c, fn)
		}
	}
}

// toTop brings the top of the step into view, when a simulation turns to
// a new page that is shorter than the one before.
func (p *playerScreen) toTop() {
	if p.scroll != nil {
		p.scroll.Refresh()
		p.scroll.ScrollToTop()
	}
}

// onDark draws the words of objs in the colour for a mock app's dark
// header or panel (a colour name, not a theme override: Fyne keeps the
// fonts it parses for each override and never frees them).
func onDark(objs ...fyne.CanvasObject) {
	for _, o := range objs {
		switch t := o.(type) {
		case *xwidget.Text:
			t.ColorName = colorOnDark
		case *xwidget.LinkText:
			t.ColorName = colorOnDark
		case *fyne.Container:
			onDark(t.Objects...)
		}
	}
}
