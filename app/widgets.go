package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/assets"
)

// Small builders shared by the screens, so every screen has the same
// type sizes, spacing and touch targets.

func label(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = size
	l.TextStyle.Bold = bold
	return l
}

func heading(text string) *widget.Label    { return label(text, theme.SizeNameHeadingText, true) }
func subheading(text string) *widget.Label { return label(text, theme.SizeNameSubHeadingText, true) }
func para(text string) *widget.Label       { return label(text, theme.SizeNameText, false) }
func strong(text string) *widget.Label     { return label(text, theme.SizeNameText, true) }
func caption(text string) *widget.Label    { return label(text, theme.SizeNameCaptionText, false) }

// markdownText shows Markdown (bold, lists, links) with wrapping.
func markdownText(md string) *widget.RichText {
	r := widget.NewRichTextFromMarkdown(md)
	r.Wrapping = fyne.TextWrapWord
	return r
}

// button is a tall button; primary ones stand out.
func button(text string, icon fyne.Resource, primary bool, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon(text, icon, func() {
		if xwidget.OnActivity != nil {
			xwidget.OnActivity()
		}
		tapped()
	})
	if primary {
		b.Importance = widget.HighImportance
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
func (u *UI) topBar(title string, lead fyne.CanvasObject) fyne.CanvasObject {
	t := label(title, theme.SizeNameSubHeadingText, true)
	t.Truncation = fyne.TextTruncateEllipsis
	t.Wrapping = fyne.TextWrapOff
	var trail fyne.CanvasObject = u.exitButton()
	// Help is everywhere but behind the lock and in the safe profile: it
	// would say what the app is for.
	if !u.sec.safeMode && !u.sec.locked {
		help := widget.NewButtonWithIcon("", theme.HelpIcon(), u.showHelp)
		help.Importance = widget.LowImportance
		trail = container.NewHBox(xwidget.AtLeast(help, fyne.NewSquareSize(xwidget.MinTouch)), trail)
	}
	var leadObj fyne.CanvasObject
	if lead != nil {
		leadObj = tall(lead)
	}
	row := container.NewBorder(nil, nil, leadObj, trail, t)
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
	return container.NewBorder(nil, nil, container.NewCenter(lead), nil, obj)
}

// quote sets a statement apart, with a bar at its start, so it does not
// look like something to tap.
func quote(text string) fyne.CanvasObject {
	bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	bar.SetMinSize(fyne.NewSize(4, 0))
	bar.CornerRadius = 2
	return container.NewBorder(nil, nil, bar, nil, label(text, theme.SizeNameSubHeadingText, true))
}
