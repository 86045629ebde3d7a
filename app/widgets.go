package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/assets"
)

// Small builders shared by the screens, so every screen has the same
// type sizes, spacing and touch targets.

// label is text in any script and direction (see xwidget.Text): every
// visible word in the app goes through it, so a mixed line of Arabic,
// digits and English reads right.
func label(text string, size fyne.ThemeSizeName, bold bool) *xwidget.Text {
	l := xwidget.NewText(text)
	l.SizeName = size
	l.Bold = bold
	return l
}

func heading(text string) *xwidget.Text    { return label(text, theme.SizeNameHeadingText, true) }
func subheading(text string) *xwidget.Text { return label(text, theme.SizeNameSubHeadingText, true) }
func para(text string) *xwidget.Text       { return label(text, theme.SizeNameText, false) }
func strong(text string) *xwidget.Text     { return label(text, theme.SizeNameText, true) }
func caption(text string) *xwidget.Text    { return label(text, theme.SizeNameCaptionText, false) }

// markdownText shows Markdown (bold, lists, links) with wrapping.
func markdownText(md string) fyne.CanvasObject {
	paras := xwidget.Markdown(md)
	if xwidget.HasLinks(paras) {
		return xwidget.NewLinkText(paras)
	}
	t := xwidget.NewText("")
	t.Paras = paras
	return t
}

// button is a tall button; primary ones stand out.
func button(text string, icon fyne.Resource, primary bool, tapped func()) *xwidget.Button {
	b := xwidget.NewButton(text, icon, tapped)
	if primary {
		b.Importance = xwidget.High
	}
	return b
}

// tall wraps a button so it is at least a finger high.
func tall(o fyne.CanvasObject) fyne.CanvasObject { return xwidget.Tall(o) }

func iconClose() fyne.Resource { return theme.CancelIcon() }

// page lays out a scrolling screen body at a readable width.
func page(objs ...fyne.CanvasObject) *container.Scroll {
	body := container.NewVBox(objs...)
	return container.NewVScroll(xwidget.Readable(container.New(layout.NewCustomPaddedLayout(12, 24, 16, 16), body)))
}

// bottomBar holds the buttons under a screen, at a readable width.
func bottomBar(objs ...fyne.CanvasObject) fyne.CanvasObject {
	row := xwidget.Row(theme.Padding()*2, objs...)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	return container.NewStack(bg, xwidget.Readable(container.New(layout.NewCustomPaddedLayout(8, 8, 12, 12), xwidget.Tall(row))))
}

// topBar is a screen's header: an optional button at the start, a
// title, and at the end the help and quick-exit buttons every screen has.
// The title wraps rather than being cut short, and on a narrow screen the
// start button shows its icon alone (xwidget.Header).
func (u *UI) topBar(title string, lead fyne.CanvasObject) fyne.CanvasObject {
	t := label(title, theme.SizeNameSubHeadingText, true)
	var trail fyne.CanvasObject = u.exitButton()
	// Help is everywhere but behind the lock and in the safe profile: it
	// would say what the app is for.
	if !u.sec.safeMode && !u.sec.locked {
		help := xwidget.NewButton("", theme.HelpIcon(), u.showHelp)
		help.Importance = xwidget.Low
		trail = container.NewHBox(xwidget.AtLeast(help, fyne.NewSquareSize(xwidget.MinTouch)), trail)
	}
	row := xwidget.Header(lead, t, trail)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	return container.NewStack(bg, xwidget.Readable(container.New(layout.NewCustomPaddedLayout(6, 6, 8, 8), xwidget.Tall(row))))
}

// icon returns one of our own icons, such as "shield", at the given size,
// or nil when there is no such icon.
func icon(name string, size float32) fyne.CanvasObject {
	data, err := assets.Read("icons/" + name + ".svg")
	if err != nil {
		return nil
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource(name+".svg", data))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSquareSize(size))
	return img
}

// withLead puts obj beside a leading object (an icon) if there is one.
func withLead(lead, obj fyne.CanvasObject) fyne.CanvasObject {
	if lead == nil {
		return obj
	}
	return sides(container.NewCenter(lead), nil, obj)
}

// quote sets a statement apart, with a bar at its start, so it does not
// look like something to tap.
func quote(text string) fyne.CanvasObject {
	bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	bar.SetMinSize(fyne.NewSize(4, 0))
	bar.CornerRadius = 2
	return sides(bar, nil, label(text, theme.SizeNameSubHeadingText, true))
}

// sides lays out a row with start at the beginning of the reading
// direction and end at its end: left and right in English, mirrored in
// Arabic and Farsi. center fills the space between.
func sides(start, end, center fyne.CanvasObject) *fyne.Container {
	if xwidget.RTL {
		start, end = end, start
	}
	return container.NewBorder(nil, nil, start, end, center)
}

// nextIcon points the way a learner reads on: right, or left in a right-
// to-left language. backIcon points back.
func nextIcon() fyne.Resource {
	if xwidget.RTL {
		return theme.NavigateBackIcon()
	}
	return theme.NavigateNextIcon()
}

func backIcon() fyne.Resource {
	if xwidget.RTL {
		return theme.NavigateNextIcon()
	}
	return theme.NavigateBackIcon()
}
