package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
)

// groupConsentScreen shows, before a learner joins a group, exactly what
// its trainers will see, item by item (consent version 1, every item of
// group.ConsentItems and nothing else), what they never see, and that
// leaving deletes it. The learner chooses a nickname for the group and
// agrees, or not.
type groupConsentScreen struct {
	u     *UI
	code  string
	info  group.Info
	nick  *widget.Entry
	msg   *xwidget.Text
	agree *xwidget.Button
}

func (u *UI) showGroupConsent(code string, info group.Info) {
	s := &groupConsentScreen{u: u, code: code, info: info}
	u.showScreen(nil, s.build)
}

// consentIcon picks an icon for each item of the consent. (A function,
// not a table filled at package init: Fyne's icons read the running app's
// theme, and at init there is no app yet, which Fyne logged at every start.)
func consentIcon(item group.ConsentItem) fyne.Resource {
	switch item {
	case group.ItemNickname:
		return theme.AccountIcon()
	case group.ItemLessons:
		return theme.ListIcon()
	case group.ItemStruggled:
		return theme.QuestionIcon()
	case group.ItemMilestones:
		return theme.CalendarIcon()
	case group.ItemLastActive:
		return theme.HistoryIcon()
	case group.ItemAttendance:
		return theme.ComputerIcon()
	}
	return theme.InfoIcon()
}

func (s *groupConsentScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	nick := ""
	if s.nick != nil {
		nick = s.nick.Text
	}
	s.nick = widget.NewEntry()
	s.nick.SetPlaceHolder(u.loc.T("group.nickname_hint"))
	s.nick.SetText(nick)
	s.nick.OnChanged = func(string) { u.touch() }
	objs := []fyne.CanvasObject{
		subheading(s.info.Name),
		para(u.loc.T("group.consent_intro")),
	}
	for _, item := range group.ConsentItems {
		objs = append(objs, sides(container.NewCenter(widget.NewIcon(consentIcon(item))), nil, para(u.loc.T("group.consent_"+string(item)))))
		if item == group.ItemNickname {
			objs = append(objs, caption(u.loc.T("group.nickname")), xwidget.Tall(s.nick))
		}
	}
	never := xwidget.NewTile(sides(container.NewCenter(widget.NewIcon(theme.VisibilityOffIcon())), nil,
		para(u.loc.T("group.consent_never"))), nil)
	never.SetState(xwidget.TileNote)
	s.agree = button(u.loc.T("group.agree"), theme.ConfirmIcon(), true, s.onAgree)
	objs = append(objs,
		never,
		para(u.loc.T("group.consent_locked")),
		para(u.loc.T("group.consent_leave")),
		tall(s.agree),
		tall(button(u.loc.T("group.not_now"), backIcon(), false, u.showGroups)),
		s.msg,
	)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showGroups)
	return container.NewBorder(u.topBar(u.loc.T("group.consent_title"), back), nil, nil, nil, page(objs...))
}

// onAgree joins with the nickname, in the background.
func (s *groupConsentScreen) onAgree() {
	u := s.u
	nick, err := group.CleanNickname(s.nick.Text)
	if err != nil {
		s.msg.SetText(u.loc.T("group.nickname_needed"))
		return
	}
	s.agree.Disable()
	s.msg.SetText(u.loc.T("sync.working"))
	groups := u.d.Groups
	go func() {
		err := groups.JoinGroup(context.Background(), s.code, nick)
		u.do(func() {
			if err != nil {
				u.d.Log.Warn("joining a group did not work", "err", err)
				s.agree.Enable()
				s.msg.SetText(u.loc.T(groupProblem(err)))
				return
			}
			u.showGroups()
			u.showNotice(u.loc.T("group.joined", map[string]any{"Group": s.info.Name}))
		})
	}()
}
