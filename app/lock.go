package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/safety"
)

// lockScreen asks for the PIN or passphrase. It shows nothing about
// lessons, the journey or help. Wrong tries are met calmly; after a few,
// the wait before the next try grows.
type lockScreen struct {
	u      *UI
	pin    *pinPad
	phrase *widget.Entry
	msg    *xwidget.Text
	busy   bool
}

func (u *UI) showLock() {
	s := &lockScreen{u: u}
	u.showScreen(nil, s.build)
}

func (s *lockScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	objs := []fyne.CanvasObject{container.NewCenter(widget.NewIcon(theme.VisibilityOffIcon())), heading(u.loc.T("lock.title"))}
	var input fyne.CanvasObject
	if u.prefs[prefLockKind] == "passphrase" {
		s.phrase = widget.NewPasswordEntry()
		s.phrase.OnSubmitted = func(string) { s.onSubmit() }
		input = container.NewVBox(xwidget.Tall(s.phrase), tall(button(u.loc.T("lock.open"), theme.ConfirmIcon(), true, s.onSubmit)))
		objs = append(objs, para(u.loc.T("lock.enter_passphrase")))
	} else {
		s.pin = newPinPad(u, safety.MaxPINLength, s.onSubmit)
		input = s.pin.build()
		objs = append(objs, para(u.loc.T("lock.enter_pin")))
	}
	objs = append(objs, input, s.msg)
	if w := u.waitLeft(); w > 0 {
		s.waitFor(w)
	}
	var lead fyne.CanvasObject
	if u.shared() {
		lead = xwidget.NewButton(u.loc.T("shared.switch"), backIcon(), func() { u.signOut("") })
	}
	return container.NewBorder(u.topBar(u.loc.T("app.discreet_name"), lead), nil, nil, nil, page(objs...))
}

func (s *lockScreen) secret() string {
	if s.phrase != nil {
		return s.phrase.Text
	}
	return s.pin.value()
}

func (s *lockScreen) clear() {
	if s.phrase != nil {
		s.phrase.SetText("")
	} else {
		s.pin.clear()
	}
}

func (s *lockScreen) onSubmit() {
	u := s.u
	if s.busy || s.secret() == "" {
		return
	}
	s.busy = true
	s.msg.SetText(u.loc.T("lock.checking"))
	u.attempt(s.secret(), func(res unlockResult, wait time.Duration) {
		s.busy = false
		s.clear()
		switch res {
		case unlockMain, unlockSafe:
			u.opened(res)
			return
		case unlockWaiting:
			s.waitFor(wait)
			return
		case unlockFailed:
			s.msg.SetText(u.loc.T("lock.not_saved"))
			return
		}
		s.msg.SetText(u.loc.T("lock.wrong"))
		if wait > 0 {
			s.waitFor(wait)
		}
	})
}

// waitFor refuses tries until the wait is over, saying so without a
// countdown.
func (s *lockScreen) waitFor(d time.Duration) {
	s.msg.SetText(s.u.loc.T("lock.wait"))
	s.setEnabled(false)
	time.AfterFunc(d, func() {
		s.u.do(func() {
			s.setEnabled(true)
			s.msg.SetText(s.u.loc.T("lock.try_again"))
		})
	})
}

func (s *lockScreen) setEnabled(on bool) {
	if s.pin != nil {
		s.pin.setEnabled(on)
	}
	if s.phrase != nil {
		if on {
			s.phrase.Enable()
		} else {
			s.phrase.Disable()
		}
	}
}

// pinPad is a large number pad for a PIN: no keyboard pops up, the keys
// are big, and the digits show only as dots.
type pinPad struct {
	u      *UI
	max    int
	digits []byte
	dots   *xwidget.Text
	keys   []*xwidget.Button
	submit func()
}

func newPinPad(u *UI, max int, submit func()) *pinPad {
	return &pinPad{u: u, max: max, submit: submit}
}

func (p *pinPad) build() fyne.CanvasObject {
	p.dots = label("", theme.SizeNameHeadingText, true)
	p.dots.Alignment = fyne.TextAlignCenter
	p.dots.Wrap = false
	p.keys = nil
	key := func(text string, ic fyne.Resource, tapped func()) fyne.CanvasObject {
		b := button(text, ic, false, tapped)
		p.keys = append(p.keys, b)
		return xwidget.AtLeast(b, fyne.NewSize(xwidget.MinTouch*1.4, xwidget.MinTouch*1.2))
	}
	var rows []fyne.CanvasObject
	for _, row := range []string{"123", "456", "789"} {
		var cells []fyne.CanvasObject
		for _, d := range row {
			cells = append(cells, key(string(d), nil, func() { p.press(byte(d)) }))
		}
		rows = append(rows, container.NewGridWithColumns(3, cells...))
	}
	rows = append(rows, container.NewGridWithColumns(3,
		key("", theme.ContentUndoIcon(), p.backspace),
		key("0", nil, func() { p.press('0') }),
		key(p.u.loc.T("pad.ok"), nil, p.submit),
	))
	p.update()
	return container.NewVBox(p.dots, xwidget.Readable(container.NewCenter(xwidget.AtLeast(container.NewVBox(rows...), fyne.NewSize(260, 0)))))
}

func (p *pinPad) press(d byte) {
	if len(p.digits) < p.max {
		p.digits = append(p.digits, d)
	}
	p.update()
}

func (p *pinPad) backspace() {
	if len(p.digits) > 0 {
		p.digits[len(p.digits)-1] = 0
		p.digits = p.digits[:len(p.digits)-1]
	}
	p.update()
}

func (p *pinPad) value() string { return string(p.digits) }

func (p *pinPad) clear() {
	clear(p.digits)
	p.digits = p.digits[:0]
	p.update()
}

func (p *pinPad) update() {
	if p.dots != nil {
		text := strings.Repeat("● ", len(p.digits))
		if text == "" {
			text = " "
		}
		p.dots.SetText(text)
	}
}

func (p *pinPad) setEnabled(on bool) {
	for _, k := range p.keys {
		if on {
			k.Enable()
		} else {
			k.Disable()
		}
	}
}
