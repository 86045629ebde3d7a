package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
)

// runScreen is the trainer's window while a session runs: where everyone
// is, how many follow and answered (counts, never names), the notes the
// projector does not show, and the controls: back, next, reveal the
// answers, pause, end. The projector window shows the step itself.
type runScreen struct {
	u      *UI
	r      *room.Room
	l      *learn.Lesson
	cancel context.CancelFunc
}

func (u *UI) showSessionRun(r *room.Room, l *learn.Lesson) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &runScreen{u: u, r: r, l: l, cancel: cancel}
	u.showScreen(nil, s.build)
	u.openProjector(r, l)
	// Every change in the room (a follower joining or answering, a move)
	// refreshes the trainer's counts.
	go func() {
		v := r.Version()
		for ctx.Err() == nil {
			v = r.Wait(ctx, v)
			u.do(func() {
				if u.run == s && u.rebuild != nil {
					u.rebuild()
				}
			})
		}
	}()
	u.run = s
}

func (s *runScreen) build() fyne.CanvasObject {
	u, r, l := s.u, s.r, s.l
	p := r.Projection()
	st := r.Status()
	step := l.Steps[p.Index]
	reach := u.d.Hub.Reach()
	objs := []fyne.CanvasObject{
		caption(u.lessonTitle(l)),
		subheading(u.loc.T("player.step_of", map[string]any{"Step": p.Index + 1, "Total": p.Total})),
	}
	if t := u.text(l, learn.StepKey(step.ID, learn.FieldTitle)); t != "" {
		objs = append(objs, heading(t))
	}
	status := u.loc.T("trainer.hub.status", map[string]any{"Following": st.Following, "Answered": st.Answered})
	if !step.Kind.Question() {
		status = u.loc.T("trainer.hub.status_read", map[string]any{"Following": st.Following})
	}
	objs = append(objs, xwidget.NewTile(container.NewVBox(strong(status),
		caption(u.loc.T("trainer.hub.attending", map[string]any{"Count": st.Attending}))), nil))
	if p.Phase == room.PhasePaused {
		objs = append(objs, para(u.loc.T("trainer.hub.paused")))
	}
	// The controls.
	back := button(u.loc.T("player.back"), backIcon(), false, func() { r.Back() })
	if p.Index == 0 {
		back.Disable()
	}
	next := button(u.loc.T("player.next"), nextIcon(), true, func() { r.Next() })
	next.IconAfter = true
	if p.Index == p.Total-1 {
		next.Disable()
	}
	pause := button(u.loc.T("trainer.hub.pause"), theme.MediaPauseIcon(), false, r.Pause)
	if p.Phase == room.PhasePaused {
		pause = button(u.loc.T("trainer.hub.resume"), theme.MediaPlayIcon(), true, r.Resume)
	}
	objs = append(objs, container.NewGridWithColumns(2, tall(back), tall(next)), tall(pause))
	if step.Kind.Question() {
		reveal := button(u.loc.T("trainer.hub.reveal"), theme.VisibilityIcon(), false, func() { r.Reveal() })
		if p.Revealed {
			reveal.Disable()
		}
		objs = append(objs, tall(reveal))
		if p.Revealed {
			objs = append(objs, s.counts(p, step)...)
		}
	}
	// The trainer's notes: what the projector does not show.
	if notes := s.notes(step); len(notes) > 0 {
		objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.hub.notes")))
		objs = append(objs, notes...)
	}
	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.hub.join_title")),
		para(u.loc.T("trainer.hub.join_app", map[string]any{"Address": reach.Address(), "Code": reach.AppCode})),
		para(u.loc.T("trainer.hub.join_page", map[string]any{"Address": reach.PageAddress(), "Code": reach.RoomCode})),
		widget.NewSeparator(),
		tall(button(u.loc.T("trainer.hub.projector"), theme.ComputerIcon(), false, func() { u.openProjector(r, l) })),
		tall(button(u.loc.T("trainer.hub.full_screen"), theme.ViewFullScreenIcon(), false, u.projectorFullScreen)),
	)
	end := xwidget.NewButton(u.loc.T("trainer.hub.end"), theme.CancelIcon(), s.onEnd)
	return container.NewBorder(u.topBar(u.loc.T("trainer.hub.title"), end), nil, nil, nil, page(objs...))
}

// counts are the revealed answers, as the projector shows them.
func (s *runScreen) counts(p room.Projection, step learn.Step) []fyne.CanvasObject {
	u := s.u
	if len(p.Counts) == 0 {
		return []fyne.CanvasObject{para(u.loc.T("trainer.hub.answered_only", map[string]any{"Count": p.Answered}))}
	}
	var out []fyne.CanvasObject
	for _, c := range p.Counts {
		text := u.choiceWords(s.l, step, c.Choice)
		if c.Right {
			text = "✓ " + text
		}
		out = append(out, sides(nil, strong(u.loc.Num(c.N)), para(text)))
	}
	return out
}

// choiceWords are the words of one choice of a step.
func (u *UI) choiceWords(l *learn.Lesson, s learn.Step, id string) string {
	if s.Kind == learn.KindTrueFalse {
		return u.loc.T("player." + id)
	}
	return u.text(l, learn.ChoiceKey(s.ID, id, learn.FieldOptionText))
}

// notes are the trainer's notes on a step: the right answer and the
// explanation learners see after answering. (Lessons have no notes meant
// for trainers alone; these are what they need to lead the talk.)
func (s *runScreen) notes(step learn.Step) []fyne.CanvasObject {
	u, l := s.u, s.l
	var out []fyne.CanvasObject
	if step.Kind.Question() {
		var right []string
		for _, id := range step.Right() {
			right = append(right, u.choiceWords(l, step, id))
		}
		if len(right) > 0 && right[0] != "" {
			out = append(out, strong(u.loc.T("trainer.hub.right_answer", map[string]any{"Answer": strings.Join(right, "; ")})))
		}
	}
	if t := u.markdown(l, learn.StepKey(step.ID, learn.FieldExplanation)); t != "" {
		out = append(out, markdownText(t))
	}
	return out
}

// onEnd asks before ending the session.
func (s *runScreen) onEnd() {
	u := s.u
	u.confirm(u.loc.T("trainer.hub.end_confirm"), u.loc.T("trainer.hub.end"), s.end, func() { u.showScreen(nil, s.build) })
}

// end ends the session: followers are told, the projector thanks them,
// attendance is recorded for the consenting members, and the trainer sees
// the summary.
func (s *runScreen) end() {
	u := s.u
	s.cancel()
	u.run = nil
	sum, _ := u.d.Hub.End()
	u.refreshProjector()
	recorded := u.recordSession(sum)
	u.showScreen(nil, func() fyne.CanvasObject {
		objs := []fyne.CanvasObject{
			heading(u.loc.T("trainer.hub.ended")),
			para(u.loc.T("trainer.hub.ended_followers", map[string]any{"Count": sum.Followers})),
		}
		switch {
		case recorded:
			objs = append(objs, para(u.loc.T("trainer.hub.ended_attendance", map[string]any{"Count": len(sum.Attendees)})))
		case len(sum.Attendees) > 0:
			objs = append(objs, para(u.loc.T("trainer.hub.ended_attendance_failed")))
		default:
			objs = append(objs, para(u.loc.T("trainer.hub.ended_no_attendance")))
		}
		if sum.Followers > 0 {
			// Some may have synced through the hub; the sessions screen
			// says how many wait.
			objs = append(objs, caption(u.loc.T("trainer.hub.ended_pass_on")))
		}
		done := button(u.loc.T("trainer.hub.back_to_sessions"), backIcon(), true, func() {
			u.closeProjector()
			hs := &hostScreen{u: u}
			u.showScreen(nil, hs.build)
			hs.refresh(true)
		})
		return container.NewBorder(u.topBar(u.loc.T("trainer.hub.title"), nil), bottomBar(done), nil, nil, page(objs...))
	})
}
