package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefWelcomed is set once the learner has seen the welcome.
const prefWelcomed = "welcomed"

// welcomeScreen is the first run: pick a language, then a short, calm
// welcome that says what the app does, that it works offline and that it
// asks for no name.
type welcomeScreen struct{ u *UI }

func (u *UI) showWelcome() {
	s := welcomeScreen{u}
	u.showScreen(u.showWelcome, s.buildPicker)
}

func (s welcomeScreen) buildPicker() fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{heading(u.loc.T("picker.title"))}
	if u.loc.Language().Tag != "en" {
		// A trainer helping a learner may only read English.
		objs = append(objs, caption(u.d.Catalog.Localizer("en").T("picker.title")))
	}
	objs = append(objs, u.languageTiles(s.onPick)...)
	objs = append(objs, caption(u.loc.T("picker.hint")))
	return container.NewBorder(u.topBar(u.loc.T("app.name"), nil), nil, nil, nil, page(objs...))
}

func (s welcomeScreen) onPick(tag string) {
	u := s.u
	u.setLanguage(tag)
	u.showScreen(u.showWelcome, s.buildWelcome)
}

func (s welcomeScreen) buildWelcome() fyne.CanvasObject {
	u := s.u
	point := func(ic fyne.Resource, text string) fyne.CanvasObject {
		return sides(container.NewCenter(widget.NewIcon(ic)), nil, para(text))
	}
	body := page(
		heading(u.loc.T("welcome.title")),
		para(u.loc.T("welcome.what")),
		point(theme.StorageIcon(), u.loc.T("welcome.offline")),
		point(theme.VisibilityOffIcon(), u.loc.T("welcome.private")),
		point(theme.MediaPauseIcon(), u.loc.T("welcome.pace")),
		point(theme.WindowCloseIcon(), u.loc.T("welcome.quick_exit")),
	)
	change := button(u.loc.T("welcome.language"), backIcon(), false, u.showWelcome)
	start := button(u.loc.T("welcome.start"), nextIcon(), true, s.onStart)
	start.IconAfter = true
	return container.NewBorder(u.topBar(u.loc.T("app.name"), nil), bottomBar(change, start), nil, nil, body)
}

func (s welcomeScreen) onStart() {
	s.u.setPref(prefWelcomed, "1")
	s.u.showHome()
}
