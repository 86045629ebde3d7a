package app

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// trainerGroupScreen is one group: its join codes (a new one shown large
// and as a QR code for the room to scan; each live one revocable at
// once), a co-trainer code, its dashboard and report, and deleting it.
type trainerGroupScreen struct {
	u  *UI
	id string
	// shown is a code just made, shown large ("" none); co says it is a
	// co-trainer's.
	shown group.Code
	co    bool
	msg   *xwidget.Text
}

func (u *UI) showTrainerGroup(id string) {
	s := &trainerGroupScreen{u: u, id: id}
	u.showScreen(nil, s.build)
}

func (s *trainerGroupScreen) summary() (group.Summary, bool) {
	groups := s.u.d.Trainer.Groups()
	i := slices.IndexFunc(groups, func(g group.Summary) bool { return g.ID == s.id })
	if i < 0 {
		return group.Summary{}, false
	}
	return groups[i], true
}

func (s *trainerGroupScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showTrainerHome)
	g, ok := s.summary()
	if !ok {
		return container.NewBorder(u.topBar(u.loc.T("trainer.title"), back), nil, nil, nil, page(para(u.loc.T("trainer.no_group"))))
	}
	synced := u.loc.T("trainer.never_updated")
	if !g.Synced.IsZero() {
		synced = u.loc.T("trainer.updated", map[string]any{"When": u.when(g.Synced)})
	}
	objs := []fyne.CanvasObject{
		para(u.loc.T("trainer.members", map[string]any{"Count": g.Members}) + " · " + synced),
		container.NewGridWithColumns(2,
			tall(button(u.loc.T("trainer.dashboard"), theme.GridIcon(), true, func() { u.showDashboard(s.id) })),
			tall(button(u.loc.T("trainer.report"), theme.DocumentIcon(), false, func() { u.showReport(s.id) }))),
	}
	if g.Unreadable > 0 {
		objs = append(objs, caption(u.loc.T("trainer.unreadable", map[string]any{"Count": g.Unreadable})))
	}
	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.join_codes")), para(u.loc.T("trainer.join_hint")))
	if s.shown.Code != "" {
		objs = append(objs, s.codeCard())
	}
	objs = append(objs, container.NewGridWithColumns(2,
		tall(button(u.loc.T("trainer.new_code"), theme.ContentAddIcon(), s.shown.Code == "", func() { s.onNewCode(7 * 24 * time.Hour) })),
		tall(button(u.loc.T("trainer.new_code_day"), theme.ContentAddIcon(), false, func() { s.onNewCode(24 * time.Hour) }))), s.msg)
	now := u.now()
	for _, c := range g.Codes {
		if !c.Expires.After(now) {
			continue
		}
		state := u.loc.T("trainer.code_expires", map[string]any{"When": u.when(c.Expires)})
		var end fyne.CanvasObject
		if c.Revoked {
			state = u.loc.T("trainer.code_revoked")
		} else {
			end = tall(button(u.loc.T("trainer.revoke"), theme.CancelIcon(), false, func() { s.onRevoke(c.Lookup) }))
		}
		code := strong(c.Code)
		code.Dir = textlayout.LTR
		var show func()
		if !c.Revoked {
			// Tapped, a live code shows large, with its QR code, for the
			// room.
			show = func() { s.shown, s.co = c, false; u.rebuild() }
		}
		objs = append(objs, xwidget.NewTile(sides(nil, end, xwidget.Lines(code, caption(state))), show))
	}
	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.cotrainer")), para(u.loc.T("trainer.cotrainer_hint")),
		tall(button(u.loc.T("trainer.cotrainer_code"), theme.AccountIcon(), false, s.onCoTrainer)),
		widget.NewSeparator(),
		tall(button(u.loc.T("trainer.delete_group"), theme.DeleteIcon(), false, s.onDelete)))
	return container.NewBorder(u.topBar(g.Name, back), nil, nil, nil, page(objs...))
}

// codeCard shows a code just made: large, and as a QR code.
func (s *trainerGroupScreen) codeCard() fyne.CanvasObject {
	u := s.u
	code := label(s.shown.Code, theme.SizeNameHeadingText, true)
	code.Alignment = fyne.TextAlignCenter
	code.Dir = textlayout.LTR // typed as it is, whatever the language
	intro := u.loc.T("trainer.code_show")
	if s.co {
		intro = u.loc.T("trainer.cotrainer_show")
	}
	objs := []fyne.CanvasObject{para(intro), code,
		caption(u.loc.T("trainer.code_expires", map[string]any{"When": u.when(s.shown.Expires)}))}
	if png, err := qrcode.Encode(s.shown.Code, qrcode.Medium, 512); err == nil {
		img := canvas.NewImageFromResource(fyne.NewStaticResource("code.png", png))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSquareSize(220))
		objs = append(objs, container.NewCenter(img))
	}
	t := xwidget.NewTile(container.NewVBox(objs...), nil)
	t.SetState(xwidget.TileNote)
	return t
}

// call runs fn in the background, then shows the group again.
func (s *trainerGroupScreen) call(fn func(ctx context.Context) error) {
	u := s.u
	s.msg.SetText(u.loc.T("sync.working"))
	go func() {
		err := fn(context.Background())
		u.do(func() {
			if u.rebuild != nil {
				u.rebuild()
			}
			if err != nil {
				u.d.Log.Warn("trainer mode: a call did not work", "err", err)
				u.showNotice(u.loc.T(trainerProblem(err)))
			}
		})
	}()
}

func (s *trainerGroupScreen) onNewCode(ttl time.Duration) {
	tr := s.u.d.Trainer
	s.call(func(ctx context.Context) error {
		c, err := tr.NewJoinCode(ctx, s.id, ttl)
		if err == nil {
			s.shown, s.co = c, false
		}
		return err
	})
}

func (s *trainerGroupScreen) onRevoke(lookup string) {
	tr := s.u.d.Trainer
	s.call(func(ctx context.Context) error {
		if s.shown.Lookup == lookup {
			s.shown = group.Code{}
		}
		return tr.RevokeJoinCode(ctx, s.id, lookup)
	})
}

func (s *trainerGroupScreen) onCoTrainer() {
	tr := s.u.d.Trainer
	s.call(func(ctx context.Context) error {
		c, err := tr.OfferCoTrainer(ctx, s.id)
		if err == nil {
			s.shown, s.co = c, true
		}
		return err
	})
}

func (s *trainerGroupScreen) onDelete() {
	u := s.u
	g, _ := s.summary()
	back := func() { u.showTrainerGroup(s.id) }
	u.confirm(u.loc.T("trainer.delete_confirm", map[string]any{"Group": g.Name}), u.loc.T("trainer.delete_group"), func() {
		tr := u.d.Trainer
		go func() {
			err := tr.DeleteGroup(context.Background(), s.id)
			u.do(func() {
				u.showTrainerHome()
				if err != nil {
					u.showNotice(u.loc.T(trainerProblem(err)))
				}
			})
		}()
	}, back)
}
