package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
)

// groupJoinScreen takes the code a trainer shows, and checks it: nothing
// is shared until the learner has read what would be, and agreed.
type groupJoinScreen struct {
	u    *UI
	code *widget.Entry
	msg  *xwidget.Text
	next *xwidget.Button
}

func (u *UI) showJoinGroup() {
	s := &groupJoinScreen{u: u}
	u.showScreen(nil, s.build)
}

func (s *groupJoinScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.code = widget.NewEntry()
	s.code.SetPlaceHolder("XXXX-XXXX-XXXX-XXXX")
	s.code.OnSubmitted = func(string) { s.onNext() }
	s.next = button(u.loc.T("player.next"), nextIcon(), true, s.onNext)
	objs := []fyne.CanvasObject{
		para(u.loc.T("group.code_hint")),
		strong(u.loc.T("group.code")), xwidget.Tall(s.code),
		tall(s.next),
		s.msg,
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showGroups)
	return container.NewBorder(u.topBar(u.loc.T("group.join"), back), nil, nil, nil, page(objs...))
}

// onNext checks the code with the server, in the background (a second or
// two: the code is checked with Argon2id), then shows the consent.
func (s *groupJoinScreen) onNext() {
	u := s.u
	code := strings.TrimSpace(s.code.Text)
	if code == "" {
		s.msg.SetText(u.loc.T("group.code_wrong"))
		return
	}
	if u.sec.safeMode {
		s.msg.SetText(u.loc.T("sync.problem_offline"))
		return
	}
	s.next.Disable()
	s.msg.SetText(u.loc.T("sync.working"))
	groups := u.d.Groups
	go func() {
		info, err := groups.PreviewGroup(context.Background(), code)
		u.do(func() {
			if err != nil {
				s.next.Enable()
				s.msg.SetText(u.loc.T(groupProblem(err)))
				return
			}
			u.showGroupConsent(code, info)
		})
	}()
}

// groupProblem says, as a message key, why a group call failed.
func groupProblem(err error) string {
	switch {
	case errors.Is(err, group.ErrInvalid):
		return "group.code_wrong"
	case errors.Is(err, group.ErrSeal):
		return "group.code_unsafe"
	}
	switch syncProblemOf(err) {
	case learn.SyncCode:
		return "group.code_wrong"
	case learn.SyncOffline:
		return "sync.problem_offline"
	}
	return "group.problem"
}
