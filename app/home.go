package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// homeScreen shows where to carry on and the course's tracks.
type homeScreen struct{ u *UI }

func (u *UI) showHome() {
	s := homeScreen{u}
	u.showSection(sectionHome, u.showHome, func() string { return u.loc.T("app.name") }, s.build)
}

func (s homeScreen) build() fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{para(u.loc.T("app.tagline"))}
	if u.learnerOpen() {
		objs = append([]fyne.CanvasObject{u.signOutTile()}, objs...)
	}
	if nick := u.progress.Nickname.Value; nick != "" && !u.sec.safeMode {
		objs = append([]fyne.CanvasObject{subheading(u.loc.T("home.hello", map[string]any{"Name": nick}))}, objs...)
	}
	if card := s.nextCard(); card != nil {
		objs = append(objs, card)
	}
	if r := u.reviewTile(); r != nil {
		objs = append(objs, r)
	}
	if u.d.Follow != nil && !u.sec.safeMode {
		objs = append(objs, xwidget.NewTile(sides(widget.NewIcon(theme.AccountIcon()), widget.NewIcon(nextIcon()),
			xwidget.Lines(strong(u.loc.T("follow.tile")), caption(u.loc.T("follow.tile_hint")))), u.showFollowJoin))
	}
	objs = append(objs, subheading(u.loc.T("home.tracks_title")))
	for _, t := range u.d.Course.Tracks {
		ids := u.d.Course.TrackLessonIDs(t)
		if len(ids) == 0 {
			continue
		}
		objs = append(objs, s.trackCard(t, ids))
	}
	return page(objs...)
}

// pickLesson reads the lesson pick chooses among ids(), or returns nil
// when pick chooses none. Only that lesson is read; if it cannot be, it
// is left out and pick chooses again.
func (u *UI) pickLesson(ids func() []string, pick func([]string) string) *learn.Lesson {
	for {
		id := pick(ids())
		if id == "" {
			return nil
		}
		if l := u.d.Course.Lesson(id); l != nil {
			return l
		}
	}
}

// nextCard offers the lesson in progress, or the next one to start.
func (s homeScreen) nextCard() fyne.CanvasObject {
	u := s.u
	course := u.d.Course
	if len(course.LessonIDs()) == 0 {
		return nil
	}
	heading, action := u.loc.T("home.continue_title"), u.loc.T("home.continue")
	l := u.pickLesson(course.LessonIDs, u.progress.Continue)
	detail := ""
	if l != nil {
		st := u.progress.Lesson(l.ID)
		detail = u.loc.T("player.step_of", map[string]any{"Step": learn.ResumeIndex(l, st) + 1, "Total": len(l.Steps)})
	} else {
		l = u.pickLesson(course.LessonIDs, u.progress.Next)
		action = u.loc.T("home.start")
		if all := course.LessonIDs(); u.progress.Count(all).NotStarted == len(all) {
			heading = u.loc.T("home.start_title")
		} else {
			heading = u.loc.T("done.next")
		}
		if l == nil {
			return xwidget.NewTile(para(u.loc.T("home.all_done")), nil)
		}
		detail = u.loc.N("lesson.minutes", l.Minutes)
	}
	open := func() { u.openLesson(l) }
	body := container.NewVBox(
		xwidget.Lines(caption(heading), subheading(u.lessonTitle(l)), caption(detail)),
		tall(button(action, nextIcon(), true, open)),
	)
	return xwidget.NewTile(body, open)
}

// trackCard shows a track and how far the learner is through it, without
// reading its lessons.
func (s homeScreen) trackCard(t *learn.Track, ids []string) fyne.CanvasObject {
	u := s.u
	lang := u.loc.Language().Tag
	tally := u.progress.Count(ids)
	done := u.loc.N("track.done", tally.Total(), map[string]any{"Done": tally.Done})
	text := container.NewVBox(
		xwidget.Lines(subheading(t.Text.Get(lang, learn.KeyTitle)), para(t.Text.Get(lang, learn.KeySummary))),
		xwidget.NewBar(float32(tally.Done)/float32(tally.Total())),
		caption(done),
	)
	return xwidget.NewTile(withLead(icon(t.Icon, 56), text), func() { u.showTrack(t) })
}

// statusIcon shows a lesson's status as an icon; the words go beside it.
func statusIcon(s learn.Status) fyne.Resource {
	switch s {
	case learn.Done:
		return theme.ConfirmIcon()
	case learn.InProgress:
		return theme.RadioButtonCheckedIcon()
	}
	return theme.RadioButtonIcon()
}

func (u *UI) statusText(s learn.Status) string {
	switch s {
	case learn.Done:
		return u.loc.T("status.done")
	case learn.InProgress:
		return u.loc.T("status.in_progress")
	}
	return u.loc.T("status.not_started")
}

// lessonTile is a lesson in a list: status, title, length and badges.
func (u *UI) lessonTile(l *learn.Lesson) fyne.CanvasObject {
	st := u.progress.Lesson(l.ID).Status()
	meta := u.statusText(st) + " · " + u.loc.N("lesson.minutes", l.Minutes)
	if l.ContentNote {
		meta += " · " + u.loc.T("badge.content_note")
	}
	if l.Text.Draft(u.loc.Language().Tag) {
		meta += " · " + u.loc.T("badge.draft")
	}
	ic := widget.NewIcon(statusIcon(st))
	body := xwidget.Lines(strong(u.lessonTitle(l)), caption(meta))
	return xwidget.NewTile(withLead(xwidget.AtLeast(ic, fyne.NewSquareSize(28)), body), func() { u.openLesson(l) })
}
