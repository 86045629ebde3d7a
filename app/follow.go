package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/room"
)

// Follow is how the app follows a trainer's live group session
// (internal/syncclient, wired in main.go).
type Follow interface {
	// Follow joins the session at address (what the trainer's screen
	// shows) with the code it shows. With sync on, the learner's progress
	// also syncs through the trainer's laptop while they follow, sealed.
	// claim names the learner's group membership for attendance ("" for
	// none).
	Follow(ctx context.Context, address, code, claim string) (Following, room.View, error)
	// Problem says what went wrong, as an id the interface translates:
	// address, code, offline, not_hub, no_session, full, ended, busy.
	Problem(err error) string
}

// Following is one session being followed.
type Following interface {
	// Run follows until ctx ends or the session does, calling show with
	// each new view and problem with what goes wrong ("" once it is
	// right again); it comes back by itself after the Wi-Fi drops.
	Run(ctx context.Context, first room.View, show func(room.View), problem func(string)) room.View
	// Answer sends the learner's answer to the step showing.
	Answer(ctx context.Context, step string, answer []string) (room.View, error)
	// Leave leaves the session (and syncs a last time through the hub).
	Leave(ctx context.Context) error
}

// followSession is the session the learner follows: the view the trainer
// shows, and whether the learner follows it or goes at their own pace
// for a while.
type followSession struct {
	f         Following
	view      room.View
	following bool
	problem   string
	cancel    context.CancelFunc
	// player is the lesson's player while it shows.
	player *playerScreen
}

// followJoinScreen asks for the address and code on the trainer's screen.
type followJoinScreen struct {
	u             *UI
	address, code *widget.Entry
	msg           *xwidget.Text
	join          *xwidget.Button
}

func (u *UI) showFollowJoin() {
	s := &followJoinScreen{u: u}
	u.showScreen(nil, s.build)
}

func (s *followJoinScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.address = widget.NewEntry()
	s.address.SetPlaceHolder("192.168.1.5")
	s.address.SetText(u.lastJoin.address)
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("XXXX-XXXX-XXXX-XXXX")
	s.code.SetText(u.lastJoin.code)
	s.join = button(u.loc.T("follow.join"), theme.ConfirmIcon(), true, s.onJoin)
	objs := []fyne.CanvasObject{
		para(u.loc.T("follow.intro")),
		strong(u.loc.T("follow.address")), xwidget.Tall(s.address),
		strong(u.loc.T("follow.code")), xwidget.Tall(s.code),
		tall(s.join), s.msg,
		widget.NewSeparator(),
		sides(widget.NewIcon(theme.VisibilityOffIcon()), nil, para(u.loc.T("follow.private"))),
	}
	if u.syncStatus().On {
		objs = append(objs, sides(widget.NewIcon(theme.UploadIcon()), nil, para(u.loc.T("follow.sync_note"))))
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showHome)
	return container.NewBorder(u.topBar(u.loc.T("follow.title"), back), nil, nil, nil, page(objs...))
}

func (s *followJoinScreen) onJoin() {
	u := s.u
	address, code := strings.TrimSpace(s.address.Text), strings.TrimSpace(s.code.Text)
	if address == "" {
		s.msg.SetText(u.loc.T("follow.problem_address"))
		return
	}
	if code == "" {
		s.msg.SetText(u.loc.T("follow.problem_code"))
		return
	}
	if u.d.Follow == nil || u.sec.safeMode {
		s.msg.SetText(u.loc.T("follow.problem_offline"))
		return
	}
	u.lastJoin.address, u.lastJoin.code = address, code
	s.join.Disable()
	s.msg.SetText(u.loc.T("follow.working"))
	fl, groupClaim := u.d.Follow, u.d.GroupClaim
	go func() {
		claim := ""
		if session, _, err := room.SplitAppCode(code); err == nil && groupClaim != nil {
			claim = groupClaim(session)
		}
		f, v, err := fl.Follow(context.Background(), address, code, claim)
		u.do(func() {
			if err != nil {
				u.d.Log.Warn("the session could not be joined", "problem", fl.Problem(err))
				s.join.Enable()
				s.msg.SetText(u.loc.T("follow.problem_" + fl.Problem(err)))
				return
			}
			u.startFollowing(f, v)
		})
	}()
}

// startFollowing follows a session just joined: the trainer's step shows
// at once, and every move of the trainer's after.
func (u *UI) startFollowing(f Following, first room.View) {
	u.leaveFollow()
	ctx, cancel := context.WithCancel(context.Background())
	fs := &followSession{f: f, view: first, following: true, cancel: cancel}
	u.follow = fs
	go f.Run(ctx, first, func(v room.View) {
		u.do(func() { u.onRoomView(fs, v) })
	}, func(p string) {
		u.do(func() {
			if u.follow == fs {
				fs.problem = p
				if fs.player != nil && u.rebuild != nil {
					u.rebuild()
				}
			}
		})
	})
	u.onRoomView(fs, first)
}

// onRoomView shows what the trainer shows now, when the learner follows.
func (u *UI) onRoomView(fs *followSession, v room.View) {
	if u.follow != fs {
		return // a session left since
	}
	fs.view = v
	if v.Phase == room.PhaseEnded {
		u.sessionEnded(fs)
		return
	}
	if !fs.following {
		if fs.player != nil && u.rebuild != nil {
			u.rebuild() // the banner says where the trainer is
		}
		return
	}
	u.showTrainerStep(fs)
}

// showTrainerStep opens the session's lesson at the trainer's step, or
// moves the player there.
func (u *UI) showTrainerStep(fs *followSession) {
	v := fs.view
	l := u.d.Course.Lesson(v.Lesson)
	if l == nil {
		u.showScreen(nil, func() fyne.CanvasObject { return u.followMessage("follow.no_lesson") })
		return
	}
	i := l.StepIndex(v.Step)
	if i < 0 {
		i = min(v.Index, len(l.Steps)-1)
	}
	p := fs.player
	if p == nil || p.l.ID != l.ID {
		p = &playerScreen{u: u, l: l, answered: map[string]bool{}, leave: u.leaveFollowAndGoHome, follow: fs}
		fs.player = p
	}
	if p.i == i && u.rebuild != nil && p.shown {
		u.rebuild() // paused or resumed
		return
	}
	p.goTo(i)
}

// followMessage is a calm screen with one message and a way home.
func (u *UI) followMessage(key string) fyne.CanvasObject {
	home := button(u.loc.T("follow.home"), theme.HomeIcon(), true, u.leaveFollowAndGoHome)
	return container.NewBorder(u.topBar(u.loc.T("follow.title"), nil), bottomBar(home), nil, nil, page(para(u.loc.T(key))))
}

// sessionEnded is the trainer ending the session: the learner is told,
// calmly; on a shared laptop they are signed out.
func (u *UI) sessionEnded(fs *followSession) {
	if p := fs.player; p != nil && p.i == len(p.l.Steps)-1 {
		u.finishLesson(p.l)
	}
	u.leaveFollow()
	if u.shared() {
		u.signOut("shared.session_ended")
		return
	}
	u.showScreen(nil, func() fyne.CanvasObject { return u.followMessage("follow.ended") })
}

// leaveFollow leaves the session, if one is followed: the room is told,
// and the hub gets a last sync, in the background.
func (u *UI) leaveFollow() {
	fs := u.follow
	if fs == nil {
		return
	}
	u.follow = nil
	fs.cancel()
	go func() {
		if err := fs.f.Leave(context.Background()); err != nil {
			u.d.Log.Warn("leaving the session did not finish", "err", err)
		}
	}()
}

func (u *UI) leaveFollowAndGoHome() {
	u.leaveFollow()
	u.showHome()
}

// followBanner is the line above a step while in a session: whether the
// learner follows the trainer, and the way to stop or follow again.
func (p *playerScreen) followBanner() fyne.CanvasObject {
	u, fs := p.u, p.follow
	var text string
	var act *xwidget.Button
	if fs.following {
		text = u.loc.T("follow.following")
		act = button(u.loc.T("follow.stop"), theme.MediaPauseIcon(), false, func() {
			fs.following = false
			u.rebuild()
		})
	} else {
		text = u.loc.T("follow.own_pace")
		act = button(u.loc.T("follow.follow"), theme.MediaPlayIcon(), true, func() {
			fs.following = true
			u.showTrainerStep(fs)
		})
	}
	lines := []fyne.CanvasObject{strong(text)}
	if fs.problem != "" {
		lines = append(lines, caption(u.loc.T("follow.offline")))
	}
	t := xwidget.NewTile(container.NewVBox(sides(widget.NewIcon(theme.AccountIcon()), nil, xwidget.Lines(lines...)), tall(act)), nil)
	t.SetState(xwidget.TileChosen)
	return t
}

// pausedView is what a step shows while the trainer has paused.
func (p *playerScreen) pausedView() []fyne.CanvasObject {
	return []fyne.CanvasObject{container.NewCenter(widget.NewIcon(theme.MediaPauseIcon())), para(p.u.loc.T("follow.paused"))}
}

// sendAnswer sends an answer given while following to the room: counted
// there, without the learner's name.
func (p *playerScreen) sendAnswer(step string, answer []string) {
	fs := p.follow
	if fs == nil || fs.view.Step != step || fs.view.Phase != room.PhaseLive {
		return
	}
	f := fs.f
	go func() {
		if _, err := f.Answer(context.Background(), step, answer); err != nil {
			p.u.d.Log.Warn("an answer did not reach the session")
		}
	}()
}
