package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
)

// trainerHomeScreen is trainer mode's first screen: the organisation's
// server (connected once, with a trainer invite), the trainer's groups,
// a new group, a colleague's group (a co-trainer code), the dashboard and
// the reports of all groups, and a way out.
type trainerHomeScreen struct {
	u      *UI
	msg    *xwidget.Text
	server *widget.Entry
	invite *widget.Entry
	pin    *widget.Entry
	name   *widget.Entry
	co     *widget.Entry
}

func (u *UI) showTrainerHome() {
	s := &trainerHomeScreen{u: u}
	u.showScreen(nil, s.build)
}

// leaveTrainer closes trainer mode and goes back to Settings.
func (u *UI) leaveTrainer() {
	u.closeTrainer()
	u.showSettings()
}

func (s *trainerHomeScreen) build() fyne.CanvasObject {
	u := s.u
	tr := u.d.Trainer
	s.msg = para("")
	var objs []fyne.CanvasObject
	if tr.Server() == "" {
		s.server = widget.NewEntry()
		s.server.SetPlaceHolder(u.loc.T("sync.server_hint"))
		s.invite = widget.NewEntry()
		s.pin = widget.NewEntry()
		objs = append(objs, subheading(u.loc.T("trainer.connect_title")), para(u.loc.T("trainer.connect_hint")),
			strong(u.loc.T("sync.server")), xwidget.Tall(s.server),
			strong(u.loc.T("trainer.invite")), xwidget.Tall(s.invite),
			caption(u.loc.T("sync.pin")), xwidget.Tall(s.pin),
			tall(button(u.loc.T("trainer.connect"), theme.LoginIcon(), true, s.onConnect)), s.msg)
	} else {
		objs = append(objs, caption(u.loc.T("sync.server_is", map[string]any{"Server": tr.Server()})),
			tall(button(u.loc.T("trainer.refresh"), theme.ViewRefreshIcon(), true, s.onRefresh)), s.msg,
			subheading(u.loc.T("trainer.groups")))
		groups := tr.Groups()
		if len(groups) == 0 {
			objs = append(objs, para(u.loc.T("trainer.no_groups")))
		}
		for _, g := range groups {
			synced := u.loc.T("trainer.never_updated")
			if !g.Synced.IsZero() {
				synced = u.loc.T("trainer.updated", map[string]any{"When": u.when(g.Synced)})
			}
			lines := xwidget.Lines(strong(g.Name), caption(u.loc.T("trainer.members", map[string]any{"Count": g.Members})+" · "+synced))
			objs = append(objs, xwidget.NewTile(sides(widget.NewIcon(theme.AccountIcon()), widget.NewIcon(nextIcon()), lines), func() { u.showTrainerGroup(g.ID) }))
		}
		if len(groups) > 0 {
			objs = append(objs, container.NewGridWithColumns(2,
				tall(button(u.loc.T("trainer.dashboard_all"), theme.GridIcon(), false, func() { u.showDashboard("") })),
				tall(button(u.loc.T("trainer.report_all"), theme.DocumentIcon(), false, func() { u.showReport("") }))))
		}
		s.name = widget.NewEntry()
		s.name.SetPlaceHolder(u.loc.T("trainer.group_name_hint"))
		s.co = widget.NewEntry()
		s.co.SetPlaceHolder("XXXX-XXXX-XXXX-XXXX")
		objs = append(objs, widget.NewSeparator(),
			strong(u.loc.T("trainer.new_group")),
			xwidget.Tall(s.name), tall(button(u.loc.T("trainer.create_group"), theme.ContentAddIcon(), false, s.onCreate)),
			strong(u.loc.T("trainer.cotrain")), caption(u.loc.T("trainer.cotrain_hint")),
			xwidget.Tall(s.co), tall(button(u.loc.T("trainer.cotrain_join"), theme.LoginIcon(), false, s.onCoTrain)))
	}
	if u.d.Hub != nil {
		// Group sessions work with no server and no groups: a room with no
		// internet is what they are for.
		objs = append(objs, widget.NewSeparator(), xwidget.NewTile(sides(widget.NewIcon(theme.ComputerIcon()), widget.NewIcon(nextIcon()),
			xwidget.Lines(strong(u.loc.T("trainer.hub.tile")), caption(u.loc.T("trainer.hub.tile_hint")))), u.showSessions))
	}
	objs = append(objs, widget.NewSeparator(), caption(u.loc.T("trainer.sealed")),
		tall(button(u.loc.T("trainer.change"), theme.AccountIcon(), false, u.showTrainerPassphrase)),
		tall(button(u.loc.T("trainer.close"), theme.LogoutIcon(), false, u.leaveTrainer)))
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.leaveTrainer)
	return container.NewBorder(u.topBar(u.loc.T("trainer.title"), back), nil, nil, nil, page(objs...))
}

// busy runs fn in the background with a message, then shows the home
// screen again with done's message (a key, "" for none).
func (s *trainerHomeScreen) busy(fn func(ctx context.Context) error, doneKey string) {
	u := s.u
	s.msg.SetText(u.loc.T("sync.working"))
	go func() {
		err := fn(context.Background())
		u.do(func() {
			u.showTrainerHome()
			if err != nil {
				u.d.Log.Warn("trainer mode: a call did not work", "err", err)
				u.showNotice(u.loc.T(trainerProblem(err)))
				return
			}
			if doneKey != "" {
				u.showNotice(u.loc.T(doneKey))
			}
		})
	}()
}

func (s *trainerHomeScreen) onConnect() {
	server := normaliseServer(s.server.Text)
	if server == "" {
		s.msg.SetText(s.u.loc.T("sync.problem_address"))
		return
	}
	invite, pin := s.invite.Text, s.pin.Text
	tr := s.u.d.Trainer
	s.busy(func(ctx context.Context) error { return tr.Connect(ctx, server, pin, invite) }, "trainer.connected")
}

func (s *trainerHomeScreen) onRefresh() {
	tr := s.u.d.Trainer
	s.busy(tr.Refresh, "trainer.refreshed")
}

func (s *trainerHomeScreen) onCreate() {
	name := s.name.Text
	tr := s.u.d.Trainer
	s.busy(func(ctx context.Context) error { _, err := tr.CreateGroup(ctx, name); return err }, "")
}

func (s *trainerHomeScreen) onCoTrain() {
	code := s.co.Text
	tr := s.u.d.Trainer
	s.busy(func(ctx context.Context) error { _, err := tr.CoTrain(ctx, code); return err }, "trainer.cotrain_done")
}

// trainerProblem says, as a message key, why a trainer's call failed.
func trainerProblem(err error) string {
	switch {
	case errors.Is(err, group.ErrInvalid):
		return "trainer.invalid"
	case errors.Is(err, group.ErrSeal):
		return "group.code_unsafe"
	}
	return "sync.problem_" + string(syncProblemOf(err))
}
