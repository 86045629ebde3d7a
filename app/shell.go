package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
)

// section names the main screens reached from the bottom bar.
type section int

const (
	sectionHome section = iota
	sectionProgress
	sectionJourney
	sectionSettings
)

// showSection shows one of the main screens under a header and above the
// bottom navigation bar.
func (u *UI) showSection(s section, nav func(), title func() string, build func() fyne.CanvasObject) {
	u.showScreen(nav, func() fyne.CanvasObject {
		return container.NewBorder(u.topBar(title(), nil), u.navBar(s), nil, nil, build())
	})
	u.showsProgress = s != sectionSettings // a sync brings progress these show
}

// navBar is the row of main sections at the bottom of the screen.
func (u *UI) navBar(current section) fyne.CanvasObject {
	// Icon above a short label, as on a phone. Where the labels do not fit
	// side by side (the largest text on a small phone), the icons show
	// alone: the header names the screen.
	item := func(s section, text string, icon fyne.Resource, show func()) fyne.CanvasObject {
		l := label(text, theme.SizeNameCaptionText, false)
		l.Alignment = fyne.TextAlignCenter
		// Labels this small need little padding around them to fit four
		// across a phone in any language: 2 at the sides, 1 above and
		// below, where a label has the theme's inner padding.
		l.Tight = true
		tight := container.New(layout.NewCustomPaddedLayout(1, 1, 2, 2), l)
		t := xwidget.NewTile(xwidget.Lines(widget.NewIcon(icon), tight), show)
		t.Flat = true
		t.Detail = l
		if s == current {
			l.Bold = true
			t.SetState(xwidget.TileChosen)
		}
		return t
	}
	items := []fyne.CanvasObject{
		item(sectionHome, u.loc.T("nav.home"), theme.HomeIcon(), u.showHome),
		item(sectionProgress, u.loc.T("nav.progress"), theme.ListIcon(), u.showProgress),
	}
	// The safe profile has no journey.
	if !u.sec.safeMode {
		items = append(items, item(sectionJourney, u.loc.T("nav.journey"), theme.CalendarIcon(), u.showJourney))
	}
	items = append(items, item(sectionSettings, u.loc.T("nav.settings"), theme.SettingsIcon(), u.showSettings))
	// No theme override for the tight labels: Fyne keeps the fonts it
	// parses for each override it meets, and never frees them, so one on
	// every screen would cost megabytes a screen.
	return bottomBar(items...)
}
