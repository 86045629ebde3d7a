package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// damagedScreen says, calmly, that the saved progress could not be read,
// that the file is kept (never deleted), and offers a fresh start. The
// lessons themselves are built in and are all still there.
type damagedScreen struct {
	u     *UI
	retry bool // the file may be fine: offer to try again too
	msg   *xwidget.Text
}

// showDamaged shows the screen for a record that could not be read at
// start-up and was moved aside.
func (u *UI) showDamaged(movedTo string) {
	s := &damagedScreen{u: u}
	u.showScreen(nil, s.build)
}

// recordUnreadable shows what to do when the record could not be opened:
// damaged, or not readable just now.
func (u *UI) recordUnreadable(err error) {
	u.forgetScreen()
	s := &damagedScreen{u: u, retry: !errors.Is(err, learn.ErrDamaged)}
	u.showScreen(nil, s.build)
}

func (s *damagedScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	text := "damaged.text"
	if s.retry {
		text = "damaged.not_now"
	}
	objs := []fyne.CanvasObject{
		container.NewCenter(widget.NewIcon(theme.StorageIcon())),
		heading(u.loc.T("damaged.title")),
		para(u.loc.T(text)),
		para(u.loc.T("damaged.lessons_kept")),
		tall(button(u.loc.T("damaged.fresh"), theme.ContentAddIcon(), !s.retry, s.onFresh)),
	}
	if s.retry {
		objs = append(objs, tall(button(u.loc.T("damaged.retry"), theme.ViewRefreshIcon(), true, s.onRetry)))
	}
	objs = append(objs, s.msg)
	return container.NewBorder(u.topBar(u.loc.T("app.discreet_name"), nil), nil, nil, nil, page(objs...))
}

// onFresh moves the old file aside and starts as a new install.
func (s *damagedScreen) onFresh() {
	u := s.u
	if u.d.Fresh == nil {
		return
	}
	u.forgetRecord()
	go func() {
		store, _, err := u.d.Fresh(context.Background())
		u.do(func() {
			if err != nil {
				u.d.Log.Error("a fresh start failed", "err", err)
				s.msg.SetText(u.loc.T("damaged.fresh_failed"))
				return
			}
			u.d.Store = store
			u.rec.setStore(store)
			u.prefs = map[string]string{}
			u.sec = security{params: u.sec.params}
			u.start(context.Background())
		})
	}()
}

// onRetry tries to open the record again.
func (s *damagedScreen) onRetry() {
	u := s.u
	if prefs, err := u.d.Store.Prefs(context.Background()); err == nil {
		u.prefs = prefs
	}
	u.start(context.Background())
}
