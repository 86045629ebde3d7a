package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/room"
)

// Hub is the trainer's laptop as a hub for a room with no internet
// (internal/hub's Service, wired in main.go): it serves the learners'
// apps and phones on the local network while the session screens are
// open, and passes the learners' sealed progress on when the laptop is
// online.
type Hub interface {
	// Open opens the hub and listens; key seals what it keeps of
	// learners.
	Open(key lockbox.Key) error
	// Reach says how devices reach it.
	Reach() room.Reach
	// Begin starts a session on a lesson; End ends it.
	Begin(ctx context.Context, lessonID string) (*room.Room, error)
	End() (room.Summary, bool)
	// Waiting counts learners whose progress waits to be passed on;
	// Forward passes it on, and says for how many it went and how many
	// still wait.
	Waiting(ctx context.Context) (int, error)
	Forward(ctx context.Context) (passed, left int, err error)
	// Stop ends any session and stops listening.
	Stop()
}

// hostScreen is the trainer's starting point for group sessions: the
// hub's address, progress waiting to be passed on, a lesson to start, and
// whether the laptop is shared by learners.
type hostScreen struct {
	u       *UI
	waiting int
	msg     string
}

// showSessions opens the hub with the trainer profile's key (trainer mode
// is open) and shows the trainer's group session screens.
func (u *UI) showSessions() {
	if u.d.Hub == nil || u.d.Trainer == nil {
		u.showSettings()
		return
	}
	key, err := u.d.Trainer.HubKey()
	if err != nil { // trainer mode closed meanwhile
		u.showTrainer()
		return
	}
	err = u.d.Hub.Open(key)
	clear(key[:])
	s := &hostScreen{u: u}
	if err != nil {
		u.d.Log.Error("the hub could not start", "err", err)
		s.msg = u.loc.T("trainer.hub.problem_listen")
	}
	u.showScreen(nil, s.build)
	s.refresh(true)
}

// refresh counts what waits to be passed on, and passes it on if asked
// and if there is any (a laptop back online does it at once).
func (s *hostScreen) refresh(forward bool) {
	u, h := s.u, s.u.d.Hub
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		n, err := h.Waiting(ctx)
		msg := ""
		if err == nil && n > 0 && forward {
			var passed, left int
			passed, left, err = h.Forward(ctx)
			if err == nil {
				n = left
				msg = u.loc.T("trainer.hub.passed", map[string]any{"Passed": passed, "Left": left})
			}
		}
		u.do(func() {
			if err != nil {
				u.d.Log.Warn("progress could not be passed on", "err", err)
			}
			s.waiting = n
			if msg != "" {
				s.msg = msg
			}
			if u.rebuild != nil {
				u.rebuild()
			}
		})
	}()
}

func (s *hostScreen) build() fyne.CanvasObject {
	u := s.u
	reach := u.d.Hub.Reach()
	objs := []fyne.CanvasObject{para(u.loc.T("trainer.hub.hub_intro"))}
	if len(reach.Hosts) > 0 {
		objs = append(objs, strong(u.loc.T("trainer.hub.address", map[string]any{"Address": reach.Address()})))
		if len(reach.Hosts) > 1 {
			objs = append(objs, caption(u.loc.T("trainer.hub.other_addresses", map[string]any{"Addresses": strings.Join(reach.Hosts[1:], ", ")})))
		}
	}
	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.hub.pass_on_title")))
	if s.waiting > 0 {
		objs = append(objs, para(u.loc.T("trainer.hub.waiting", map[string]any{"Count": s.waiting})))
	} else {
		objs = append(objs, para(u.loc.T("trainer.hub.none_waiting")))
	}
	objs = append(objs, caption(u.loc.T("trainer.hub.pass_on_hint")),
		tall(button(u.loc.T("trainer.hub.pass_on"), theme.UploadIcon(), false, func() {
			s.msg = u.loc.T("sync.working")
			u.rebuild()
			s.refresh(true)
		})))
	if s.msg != "" {
		objs = append(objs, para(s.msg))
	}
	if u.d.Profiles != nil {
		objs = append(objs, widget.NewSeparator(), s.sharedSection())
	}
	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.hub.start_title")), caption(u.loc.T("trainer.hub.start_hint")))
	lang := u.loc.Language().Tag
	for _, t := range u.d.Course.Tracks {
		objs = append(objs, strong(t.Text.Get(lang, learn.KeyTitle)))
		for _, l := range u.d.Course.TrackLessons(t) {
			objs = append(objs, xwidget.NewTile(sides(nil, widget.NewIcon(theme.MediaPlayIcon()),
				xwidget.Lines(para(u.lessonTitle(l)), caption(u.loc.T("trainer.hub.lesson_steps", map[string]any{"Steps": len(l.Steps), "Questions": l.Questions()})))),
				func() { u.beginSession(l) }))
		}
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.leaveSessions)
	return container.NewBorder(u.topBar(u.loc.T("trainer.hub.title"), back), nil, nil, nil, page(objs...))
}

// leaveSessions stops the hub and goes back to trainer mode.
func (u *UI) leaveSessions() {
	u.stopHub()
	u.showTrainer()
}

// stopHub ends a session still running (its attendance is kept, while
// trainer mode is open), closes the projector and stops the hub: it
// listens no more and its key leaves memory. Leaving the session screens
// does it, and so do the lock, the quick exit and trainer mode closing.
func (u *UI) stopHub() {
	if u.run != nil {
		u.run.cancel()
		u.run = nil
		if sum, ok := u.d.Hub.End(); ok {
			u.recordSession(sum)
		}
	}
	u.closeProjector()
	if u.d.Hub != nil {
		u.d.Hub.Stop()
	}
}

// recordSession keeps a session's attendance in trainer mode, and says
// whether it did (false if nobody's was to be kept, or it could not be).
func (u *UI) recordSession(sum room.Summary) bool {
	tr := u.d.Trainer
	if len(sum.Attendees) == 0 || tr == nil || !tr.IsOpen() {
		return false
	}
	if err := tr.RecordSession(context.Background(), sum); err != nil {
		u.d.Log.Error("attendance could not be recorded", "err", err)
		return false
	}
	return true
}

// beginSession starts a session on l and shows the trainer's controls.
func (u *UI) beginSession(l *learn.Lesson) {
	r, err := u.d.Hub.Begin(context.Background(), l.ID)
	if err != nil {
		u.d.Log.Error("the session could not start", "err", err)
		u.showNotice(u.loc.T("trainer.hub.problem_begin"))
		return
	}
	u.showSessionRun(r, l)
}
