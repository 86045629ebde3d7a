package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/internal/learn"
)

// trackScreen lists the lessons of one track.
type trackScreen struct {
	u *UI
	t *learn.Track
}

func (u *UI) showTrack(t *learn.Track) {
	s := trackScreen{u, t}
	u.showScreen(func() { u.showTrack(t) }, s.build)
}

func (s trackScreen) build() fyne.CanvasObject {
	u := s.u
	lang := u.loc.Language().Tag
	back := widget.NewButtonWithIcon(u.loc.T("player.back"), theme.NavigateBackIcon(), u.showHome)
	objs := []fyne.CanvasObject{para(s.t.Text.Get(lang, learn.KeySummary))}
	for _, l := range u.d.Course.TrackLessons(s.t) {
		objs = append(objs, u.lessonTile(l))
	}
	return container.NewBorder(topBar(s.t.Text.Get(lang, learn.KeyTitle), back), u.navBar(sectionHome), nil, nil, page(objs...))
}
