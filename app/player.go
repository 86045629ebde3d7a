package app

import (
	"path"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
)

// playerScreen takes the learner through a lesson one step at a time.
// Every step shown is recorded, so leaving at any point (Pause, closing
// the app, a phone call) resumes at the same step.
type playerScreen struct {
	u    *UI
	l    *learn.Lesson
	i    int
	next *xwidget.Button
	// scroll is the step's scrolling body, so feedback can be brought
	// into view.
	scroll *container.Scroll
	// answered holds the question steps answered in this visit.
	answered map[string]bool
	// leave goes back to the screen the lesson was opened from.
	leave func()
	// follow is the group session the lesson is followed in (follow.go),
	// nil for a lesson the learner takes on their own.
	follow *followSession
	// shown is set once the player has shown a step.
	shown bool
}

// openLesson opens a lesson, showing its content note first if it has one.
func (u *UI) openLesson(l *learn.Lesson) {
	leave := u.rebuildTarget()
	if l.ContentNote {
		u.showNote(l, leave, func() { u.startLesson(l, leave) })
		return
	}
	u.startLesson(l, leave)
}

// rebuildTarget returns a function that shows the current screen again.
func (u *UI) rebuildTarget() func() {
	if u.current == nil {
		return u.showHome
	}
	return u.current
}

func (u *UI) startLesson(l *learn.Lesson, leave func()) {
	p := &playerScreen{u: u, l: l, answered: map[string]bool{}, leave: leave}
	p.goTo(learn.ResumeIndex(l, u.progress.Lesson(l.ID)))
}

// goTo shows step i and records it as the resume position.
func (p *playerScreen) goTo(i int) {
	p.i = i
	p.shown = true
	p.u.record(learn.Event{Kind: learn.EventStepShown, Lesson: p.l.ID, Step: p.l.Steps[i].ID})
	p.u.showScreen(nil, p.build)
}

func (p *playerScreen) build() fyne.CanvasObject {
	u, l := p.u, p.l
	step := l.Steps[p.i]
	total := len(l.Steps)

	pause := xwidget.NewButton(u.loc.T("player.pause"), theme.MediaPauseIcon(), p.onPause)
	if p.follow != nil {
		pause = xwidget.NewButton(u.loc.T("follow.leave"), backIcon(), p.onPause)
	}
	stepOf := caption(u.loc.T("player.step_of", map[string]any{"Step": p.i + 1, "Total": total}))
	stepOf.Wrap = false
	where := sides(nil, stepOf, xwidget.NewDots(total, p.i))

	back := button(u.loc.T("player.back"), backIcon(), false, p.onBack)
	if p.i == 0 {
		back.Hide()
	}
	nextText := u.loc.T("player.next")
	if p.i == total-1 {
		nextText = u.loc.T("player.finish")
	}
	p.next = button(nextText, nextIcon(), true, p.onNext)
	p.next.IconAfter = true
	if step.Kind.Question() && !p.answered[step.ID] && u.progress.Step(l.ID, step.ID).Attempts == 0 {
		p.next.Disable()
	}

	// The lesson's name sits above the step, not in the crowded header.
	content := []fyne.CanvasObject{caption(u.lessonTitle(l)), container.NewPadded(where)}
	following := p.follow != nil && p.follow.following
	if p.follow != nil {
		content = append([]fyne.CanvasObject{p.followBanner()}, content...)
	}
	if following && p.follow.view.Phase == room.PhasePaused {
		p.scroll = page(append(content, p.pausedView()...)...)
		return container.NewBorder(u.topBar("", pause), nil, nil, nil, p.scroll)
	}
	if t := u.text(l, learn.StepKey(step.ID, learn.FieldTitle)); t != "" {
		content = append(content, heading(t))
	}
	content = append(content, p.stepView(step)...)
	p.scroll = page(content...)
	if following {
		// The trainer moves everyone on: no Back or Next of one's own.
		return container.NewBorder(u.topBar("", pause), nil, nil, nil, p.scroll)
	}
	return container.NewBorder(u.topBar("", pause), bottomBar(back, p.next), nil, nil, p.scroll)
}

// stepView builds the body of one step.
func (p *playerScreen) stepView(s learn.Step) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	if s.Image != "" {
		objs = append(objs, p.image(s))
	}
	switch s.Kind {
	case learn.KindRead:
		return append(objs, markdownText(p.u.markdown(p.l, learn.StepKey(s.ID, learn.FieldText))))
	case learn.KindChoice, learn.KindTrueFalse:
		return append(objs, newChoiceView(p, s).build()...)
	case learn.KindMulti, learn.KindSpot, learn.KindAdvert, learn.KindPrivacy:
		return append(objs, newPickView(p, s).build()...)
	case learn.KindInbox:
		return append(objs, newInboxView(p, s).build()...)
	case learn.KindFlow:
		return append(objs, newFlowView(p, s).build()...)
	case learn.KindEmail:
		return append(objs, newEmailView(p, s).build()...)
	case learn.KindPasscode:
		return append(objs, newPasscodeView(p, s).build()...)
	case learn.KindPhrases:
		return append(objs, phrasesView{p, s}.build()...)
	case learn.KindOrder:
		return append(objs, newOrderView(p, s).build()...)
	case learn.KindForm:
		return append(objs, newFormView(p, s).build()...)
	case learn.KindTrip:
		return append(objs, newTripView(p, s).build()...)
	case learn.KindPayee:
		return append(objs, newPayeeView(p, s).build()...)
	case learn.KindCV:
		return append(objs, newCVView(p, s).build()...)
	case learn.KindRecovery:
		return append(objs, newRecoveryView(p, s).build()...)
	}
	return objs
}

// image shows a step's picture, read from the content only now.
func (p *playerScreen) image(s learn.Step) fyne.CanvasObject {
	alt := p.u.text(p.l, learn.StepKey(s.ID, learn.FieldImageAlt))
	data, err := readFile(p.u.d.Content, path.Join(p.l.Dir, s.Image))
	var img fyne.CanvasObject
	if err == nil {
		img, err = picture(s.Image, data, fyne.NewSize(270, 180))
	}
	if err != nil {
		p.u.d.Log.Warn("lesson image unreadable", "lesson", p.l.ID, "image", s.Image, "err", err)
		return caption(p.u.loc.T("player.picture_missing"))
	}
	// The description is there for everyone, not only screen readers: it
	// says what the picture is meant to show.
	return container.NewVBox(img, caption(alt))
}

// answer grades an answer, records it and lets the learner go on,
// whether it was right or not: there is no fail state.
func (p *playerScreen) answer(s learn.Step, answer []string) learn.Verdict {
	v, err := learn.Grade(s, answer)
	if err != nil {
		p.u.d.Log.Error("answer could not be graded", "lesson", p.l.ID, "step", s.ID)
		return v
	}
	p.u.record(learn.Event{Kind: learn.EventAnswered, Lesson: p.l.ID, Step: s.ID, Answer: answer, Correct: v.Correct})
	p.answered[s.ID] = true
	p.next.Enable()
	if p.follow != nil && p.follow.following {
		p.sendAnswer(s.ID, answer)
	}
	return v
}

func (p *playerScreen) onBack() {
	if p.i > 0 {
		p.goTo(p.i - 1)
	}
}

func (p *playerScreen) onNext() {
	if p.i < len(p.l.Steps)-1 {
		p.goTo(p.i + 1)
		return
	}
	p.u.finishLesson(p.l)
	p.u.showDone(p.l, p.leave)
}

// finishLesson records that a lesson is done, and asks for a sync.
func (u *UI) finishLesson(l *learn.Lesson) {
	u.record(learn.Event{Kind: learn.EventLessonDone, Lesson: l.ID})
	u.nudgeSync()
}

// onPause leaves the lesson; the step is already saved.
func (p *playerScreen) onPause() { p.leave() }
