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
	"github.com/waymark-app/waymark/internal/learn"
)

// GroupMember is what the interface needs to let a learner share with a
// trainer's group (internal/syncclient's Service): check a join code,
// join with consent, leave, and list the groups.
type GroupMember interface {
	// PreviewGroup checks a join code and says which group it is for;
	// nothing is shared.
	PreviewGroup(ctx context.Context, code string) (group.Info, error)
	// JoinGroup joins under a nickname, with the learner's consent to
	// group.ConsentItems, and shares at once.
	JoinGroup(ctx context.Context, code, nickname string) error
	// LeaveGroup stops sharing at once and deletes what was shared.
	LeaveGroup(ctx context.Context, groupID string) error
	Groups(ctx context.Context) ([]group.Membership, error)
}

// groupsTile opens the learner's groups from Settings.
func (s settingsScreen) groupsTile() fyne.CanvasObject {
	u := s.u
	return xwidget.NewTile(sides(widget.NewIcon(theme.AccountIcon()), widget.NewIcon(nextIcon()),
		xwidget.Lines(strong(u.loc.T("group.tile")), caption(u.loc.T("group.tile_hint")))), u.showGroups)
}

// groupsScreen lists the groups a learner shares with, each with what
// the trainer sees them as, and a way out; and a way in to another.
type groupsScreen struct{ u *UI }

func (u *UI) showGroups() {
	s := groupsScreen{u}
	u.showScreen(nil, s.build)
}

func (s groupsScreen) build() fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{para(u.loc.T("group.intro"))}
	if !u.syncStatus().On {
		objs = append(objs, strong(u.loc.T("group.none")), para(u.loc.T("group.needs_sync")),
			tall(button(u.loc.T("group.open_sync"), theme.UploadIcon(), true, u.showSync)))
	} else {
		objs = append(objs, s.list(), tall(button(u.loc.T("group.join"), theme.ContentAddIcon(), true, u.showJoinGroup)))
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSettings)
	return container.NewBorder(u.topBar(u.loc.T("group.title"), back), nil, nil, nil, page(objs...))
}

// list reads the groups in the background.
func (s groupsScreen) list() fyne.CanvasObject {
	u := s.u
	box := container.NewVBox(caption(u.loc.T("sync.working")))
	groups := u.d.Groups
	go func() {
		list, err := groups.Groups(context.Background())
		u.do(func() {
			box.Objects = nil
			switch {
			case err != nil:
				u.d.Log.Error("the groups could not be read", "err", err)
				box.Add(para(u.loc.T("group.problem")))
			case len(list) == 0:
				box.Add(strong(u.loc.T("group.none")))
			}
			for _, m := range list {
				lines := []fyne.CanvasObject{strong(m.Name), para(u.loc.T("group.you_are", map[string]any{"Name": m.Nickname})),
					caption(u.loc.T("group.joined_on", map[string]any{"Date": m.Joined.Local().Format("2006-01-02")}))}
				var end fyne.CanvasObject
				if m.Leaving {
					lines = append(lines, caption(u.loc.T("group.leaving")))
				} else {
					end = tall(button(u.loc.T("group.leave"), theme.LogoutIcon(), false, func() { s.onLeave(m) }))
				}
				box.Add(xwidget.NewTile(container.NewVBox(xwidget.Lines(lines...), orNothing(end)), nil))
			}
			box.Refresh()
		})
	}()
	return box
}

func orNothing(o fyne.CanvasObject) fyne.CanvasObject {
	if o == nil {
		return container.NewVBox()
	}
	return o
}

// onLeave asks, then leaves: sharing stops at once; what was shared is
// deleted on the server now, or at the next connection.
func (s groupsScreen) onLeave(m group.Membership) {
	u := s.u
	u.confirm(u.loc.T("group.leave_confirm", map[string]any{"Group": m.Name}), u.loc.T("group.leave_yes"), func() {
		groups := u.d.Groups
		go func() {
			err := groups.LeaveGroup(context.Background(), m.Group)
			u.do(func() {
				u.showGroups()
				if err != nil && !errors.Is(err, learn.ErrNotFound) {
					u.d.Log.Warn("leaving a group: the server is to be told later", "err", err)
				}
				u.showNotice(u.loc.T("group.left"))
			})
		}()
	}, u.showGroups)
}
