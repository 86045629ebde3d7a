package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/waymark-app/waymark/app/xwidget"
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
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showHome)
	objs := []fyne.CanvasObject{para(s.t.Text.Get(lang, learn.KeySummary))}
	if r := u.reviewTile(); r != nil && s.hasPhrases() {
		objs = append(objs, r)
	}
	for _, l := range u.d.Course.TrackLessons(s.t) {
		objs = append(objs, u.lessonTile(l))
	}
	return container.NewBorder(u.topBar(s.t.Text.Get(lang, learn.KeyTitle), back), u.navBar(sectionHome), nil, nil, page(objs...))
}

// hasPhrases reports whether the track teaches English phrases.
func (s trackScreen) hasPhrases() bool {
	for _, l := range s.u.d.Course.TrackLessons(s.t) {
		for _, st := range l.Steps {
			if st.Kind == learn.KindPhrases {
				return true
			}
		}
	}
	return false
}
