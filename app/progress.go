package app

import (
	"fyne.io/fyne/v2"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// progressScreen shows, per track, what is done, in progress and not
// started.
type progressScreen struct{ u *UI }

func (u *UI) showProgress() {
	s := progressScreen{u}
	u.showSection(sectionProgress, u.showProgress, func() string { return u.loc.T("progress.title") }, s.build)
}

func (s progressScreen) build() fyne.CanvasObject {
	u := s.u
	lang := u.loc.Language().Tag
	// This screen lists every lesson, so it reads them all first: any that
	// cannot be read are then left out of the count too.
	byTrack := make([][]*learn.Lesson, len(u.d.Course.Tracks))
	for i, t := range u.d.Course.Tracks {
		byTrack[i] = u.d.Course.TrackLessons(t)
	}
	tally := u.progress.Count(u.d.Course.LessonIDs())
	objs := []fyne.CanvasObject{
		subheading(u.loc.N("progress.summary", tally.Total(), map[string]any{"Done": tally.Done})),
		xwidget.NewBar(float32(tally.Done) / float32(max(1, tally.Total()))),
	}
	groups := []struct {
		status learn.Status
		key    string
	}{
		{learn.InProgress, "progress.in_progress_header"},
		{learn.Done, "progress.done_header"},
		{learn.NotStarted, "progress.not_started_header"},
	}
	for i, t := range u.d.Course.Tracks {
		lessons := byTrack[i]
		if len(lessons) == 0 {
			continue
		}
		objs = append(objs, withLead(icon(t.Icon, 40), heading(t.Text.Get(lang, learn.KeyTitle))))
		for _, g := range groups {
			var tiles []fyne.CanvasObject
			for _, l := range lessons {
				if u.progress.Lesson(l.ID).Status() == g.status {
					tiles = append(tiles, u.lessonTile(l))
				}
			}
			if len(tiles) > 0 {
				objs = append(objs, strong(u.loc.T(g.key)))
				objs = append(objs, tiles...)
			}
		}
	}
	return page(objs...)
}
