package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/safety"
)

// trainerPassphraseScreen changes trainer mode's passphrase: the current
// one, then the new one twice.
type trainerPassphraseScreen struct {
	u                    *UI
	current, next, again *widget.Entry
	msg                  *xwidget.Text
	why                  *fyne.Container
	go_                  *xwidget.Button
}

func (u *UI) showTrainerPassphrase() {
	s := &trainerPassphraseScreen{u: u}
	u.showScreen(nil, s.build)
}

func (s *trainerPassphraseScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.why = container.NewVBox()
	s.current, s.next, s.again = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	s.again.OnSubmitted = func(string) { s.onGo() }
	s.go_ = button(u.loc.T("trainer.change"), theme.ConfirmIcon(), true, s.onGo)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showTrainerHome)
	return container.NewBorder(u.topBar(u.loc.T("trainer.change"), back), nil, nil, nil, page(
		para(u.loc.T("trainer.change_hint")),
		strong(u.loc.T("trainer.current")), xwidget.Tall(s.current),
		strong(u.loc.T("trainer.new_passphrase")), xwidget.Tall(s.next),
		strong(u.loc.T("trainer.again")), xwidget.Tall(s.again),
		tall(s.go_), s.msg, s.why))
}

func (s *trainerPassphraseScreen) onGo() {
	u := s.u
	current, next := s.current.Text, s.next.Text
	if current == "" || next == "" || s.go_.Disabled() {
		return
	}
	s.why.Objects = nil
	s.why.Refresh()
	if u.refuseNewPassphrase(next, s.again.Text, s.msg, s.why) {
		return
	}
	s.go_.Disable()
	s.msg.SetText(u.loc.T("lock.checking"))
	tr := u.d.Trainer
	go func() {
		wait, err := tr.ChangePassphrase(context.Background(), current, next)
		u.do(func() {
			s.go_.Enable()
			switch {
			case err == nil:
				u.showTrainerHome()
				u.showNotice(u.loc.T("trainer.changed"))
			case errors.Is(err, lockbox.ErrWrong):
				s.current.SetText("")
				s.msg.SetText(u.loc.T("trainer.wrong"))
			case errors.Is(err, safety.ErrWaiting):
				s.msg.SetText(u.loc.T("trainer.wait", map[string]any{"Seconds": int(wait.Round(time.Second) / time.Second)}))
			default:
				u.d.Log.Error("the trainer passphrase could not be changed", "err", err)
				s.msg.SetText(u.loc.T("error.save"))
			}
		})
	}()
}
