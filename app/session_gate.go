package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/safety"
)

// The group-session screens are the trainer's. Trainer mode, with its
// own passphrase-protected profile, is issue 11's, built apart; until the
// two are joined, the session screens are reached from Settings through
// this temporary gate: a trainer passphrase of its own, set the first
// time, kept as a lockbox.Lock (never the passphrase itself) in the
// device's settings. The key it derives seals what the hub keeps of
// learners (their couriers), so the hub's files push nothing anywhere
// without the passphrase. When trainer mode lands, showSessions is what
// it calls, with the trainer profile's key.
const prefSessionGate = "session.gate"

// sessionGate asks for the trainer passphrase, or has one set.
type sessionGate struct {
	u       *UI
	first   *widget.Entry
	again   *widget.Entry
	msg     *xwidget.Text
	go_     *xwidget.Button
	setting bool
}

// showSessionGate shows the gate to the group-session screens.
func (u *UI) showSessionGate() {
	s := &sessionGate{u: u, setting: u.prefs[prefSessionGate] == ""}
	u.showScreen(nil, s.build)
}

func (s *sessionGate) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.first = widget.NewPasswordEntry()
	s.first.OnSubmitted = func(string) { s.onGo() }
	objs := []fyne.CanvasObject{para(u.loc.T("trainer.gate_intro"))}
	if s.setting {
		s.again = widget.NewPasswordEntry()
		s.again.OnSubmitted = func(string) { s.onGo() }
		s.go_ = button(u.loc.T("trainer.gate_set"), theme.ConfirmIcon(), true, s.onGo)
		objs = append(objs, para(u.loc.T("trainer.gate_new")),
			strong(u.loc.T("trainer.gate_passphrase")), xwidget.Tall(s.first),
			strong(u.loc.T("trainer.gate_again")), xwidget.Tall(s.again))
	} else {
		s.go_ = button(u.loc.T("trainer.gate_open"), theme.ConfirmIcon(), true, s.onGo)
		objs = append(objs, strong(u.loc.T("trainer.gate_passphrase")), xwidget.Tall(s.first))
	}
	objs = append(objs, tall(s.go_), s.msg)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSettings)
	return container.NewBorder(u.topBar(u.loc.T("trainer.title"), back), nil, nil, nil, page(objs...))
}

func (s *sessionGate) onGo() {
	u := s.u
	secret := s.first.Text
	if s.setting {
		if ok, _ := safety.Acceptable(safety.KindPassphrase, secret); !ok {
			s.msg.SetText(u.loc.T("trainer.gate_weak"))
			return
		}
		if s.again.Text != secret {
			s.msg.SetText(u.loc.T("trainer.gate_mismatch"))
			return
		}
	} else if strings.TrimSpace(secret) == "" {
		return
	}
	s.go_.Disable()
	s.msg.SetText(u.loc.T("lock.checking"))
	params, stored, setting := u.sec.params, u.prefs[prefSessionGate], s.setting
	go func() {
		var kek lockbox.Key
		var lock lockbox.Lock
		var err error
		if setting {
			lock, kek = lockbox.NewLock(secret, params)
		} else if lock, err = lockbox.ParseLock(stored); err == nil {
			kek, err = lock.Check(secret)
		}
		u.do(func() {
			if err != nil {
				s.go_.Enable()
				s.first.SetText("")
				s.msg.SetText(u.loc.T("trainer.gate_wrong"))
				return
			}
			if setting {
				u.setPref(prefSessionGate, lock.String())
			}
			key := lockbox.SubKey(kek, "hub couriers")
			clear(kek[:])
			u.showSessions(key)
		})
	}()
}

// sessionsTile opens the group-session screens from Settings. It is not
// in the safe profile, which has nothing of the trainer's.
func (s settingsScreen) sessionsTile() fyne.CanvasObject {
	u := s.u
	return xwidget.NewTile(sides(widget.NewIcon(theme.ComputerIcon()), widget.NewIcon(nextIcon()),
		xwidget.Lines(strong(u.loc.T("sessions.tile")), caption(u.loc.T("sessions.tile_hint")))), u.showSessionGate)
}
