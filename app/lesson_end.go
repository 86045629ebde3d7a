package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/internal/learn"
)

// noteScreen shows a lesson's content note before it starts; the learner
// chooses whether to go on.
type noteScreen struct {
	u           *UI
	l           *learn.Lesson
	back, start func()
}

func (u *UI) showNote(l *learn.Lesson, back, start func()) {
	s := noteScreen{u, l, back, start}
	u.showScreen(nil, s.build)
}

func (s noteScreen) build() fyne.CanvasObject {
	u := s.u
	body := page(
		heading(u.loc.T("note.title")),
		markdownText(u.markdown(s.l, learn.KeyContentNote)),
		caption(u.loc.T("note.reassure")),
	)
	notNow := button(u.loc.T("note.not_now"), backIcon(), false, s.back)
	goOn := button(u.loc.T("note.continue"), nextIcon(), true, s.start)
	return container.NewBorder(u.topBar(u.lessonTitle(s.l), nil), bottomBar(notNow, goOn), nil, nil, body)
}

// doneScreen is the calm end of a lesson: what was practised, and where
// to go next. No score.
type doneScreen struct {
	u    *UI
	l    *learn.Lesson
	home func()
}

func (u *UI) showDone(l *learn.Lesson, home func()) {
	s := doneScreen{u, l, home}
	u.showScreen(nil, s.build)
}

func (s doneScreen) build() fyne.CanvasObject {
	u := s.u
	var skills strings.Builder
	for _, sk := range s.l.Skills {
		skills.WriteString("- " + u.text(s.l, learn.SkillKey(sk)) + "\n")
	}
	body := page(
		container.NewCenter(icon("shield", 96)),
		heading(u.loc.T("done.title")),
		subheading(u.lessonTitle(s.l)),
		strong(u.loc.T("done.practised")),
		markdownText(skills.String()),
		para(u.loc.T("done.rest")),
	)
	home := button(u.loc.T("done.home"), theme.HomeIcon(), false, u.showHome)
	objs := []fyne.CanvasObject{home}
	if next := s.nextLesson(); next != nil {
		b := button(u.loc.T("done.next"), nextIcon(), true, func() { u.openLesson(next) })
		b.IconAfter = true
		objs = append(objs, b)
	}
	return container.NewBorder(u.topBar(u.lessonTitle(s.l), nil), bottomBar(objs...), nil, nil, body)
}

// nextLesson is the next lesson of the same track not yet done, else the
// next in the course.
func (s doneScreen) nextLesson() *learn.Lesson {
	u := s.u
	course := u.d.Course
	if t := course.Track(s.l.Track); t != nil {
		if l := u.pickLesson(func() []string { return course.TrackLessonIDs(t) }, u.progress.Next); l != nil {
			return l
		}
	}
	return u.pickLesson(course.LessonIDs, u.progress.Next)
}
