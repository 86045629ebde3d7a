package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// recoveryView: take back an account someone else got into. A mock
// account's security page has three things to do, in any order: change
// the password (it must be strong), sign out every other device, and
// turn on 2-step verification with the code a mock message shows. The
// password and code typed are never kept: only which tasks are done.
type recoveryView struct {
	p        *playerScreen
	s        learn.Step
	password bool            // a strong new password saved
	out      map[string]bool // devices signed out
	twoStep  int             // 0 off, 1 waiting for the code, 2 on
	codeOK   bool            // the last code typed was right ("" typed counts as right)
	frame    *fyne.Container
	fb       *feedback

	// The new password's entry and strength, made once.
	newPass *widget.Entry
	bar     *xwidget.Bar
	level   *xwidget.Text
	reasons *fyne.Container
	save    *xwidget.Tile
	code    *widget.Entry
}

func newRecoveryView(p *playerScreen, s learn.Step) *recoveryView {
	return &recoveryView{p: p, s: s, out: map[string]bool{}, codeOK: true, frame: container.NewStack(), fb: newFeedback()}
}

func (v *recoveryView) build() []fyne.CanvasObject {
	u := v.p.u
	v.show()
	check := button(u.loc.T("recovery.check"), theme.ConfirmIcon(), true, v.onCheck)
	return []fyne.CanvasObject{
		strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))),
		caption(u.loc.T("recovery.practice")),
		v.frame, tall(check), v.fb.box,
	}
}

func (v *recoveryView) show() {
	u := v.p.u
	body := container.NewVBox(v.passwordPart(), widget.NewSeparator(), v.devicesPart(), widget.NewSeparator(), v.twoStepPart())
	header := []fyne.CanvasObject{strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldAccount))), caption(u.loc.T("recovery.security"))}
	v.frame.Objects = []fyne.CanvasObject{u.mockFrame(accountSky, header, body)}
	v.frame.Refresh()
}

// status is a line saying whether a task is done.
func status(done bool, text string) fyne.CanvasObject {
	ic := theme.RadioButtonIcon()
	if done {
		ic = theme.ConfirmIcon()
	}
	return sides(widget.NewIcon(ic), nil, subheading(text))
}

func (v *recoveryView) passwordPart() fyne.CanvasObject {
	u := v.p.u
	objs := []fyne.CanvasObject{status(v.password, u.loc.T("recovery.password"))}
	if v.password {
		return container.NewVBox(append(objs, notice(true, para(u.loc.T("recovery.password_done"))))...)
	}
	if v.newPass == nil {
		// Made once, so what is typed stays while other parts change.
		v.newPass = widget.NewPasswordEntry()
		v.bar = xwidget.NewBar(0)
		v.level = strong("")
		v.level.Hide() // until there is a password to rate
		v.reasons = container.NewVBox()
		v.save = actionTile(u.loc.T("recovery.save_password"), theme.DocumentSaveIcon(), v.onSavePassword)
		v.enableSave(false)
		v.newPass.OnChanged = v.onPassword
	}
	return container.NewVBox(append(objs, caption(u.loc.T("recovery.new_password")), xwidget.Tall(v.newPass), v.bar, v.level, v.reasons, v.save)...)
}

// onPassword shows how strong the new password is, and why it is not
// stronger; only a strong one can be saved.
func (v *recoveryView) onPassword(code string) {
	u := v.p.u
	v.reasons.Objects = nil
	v.level.SetText("")
	v.level.Hide()
	v.bar.SetValue(0)
	v.enableSave(false)
	if code != "" {
		v.level.Show()
		strength, why := learn.PasscodeStrength(code, "password")
		v.bar.SetValue(map[learn.Strength]float32{learn.Weak: 0.25, learn.Fair: 0.6, learn.Strong: 1}[strength])
		v.level.SetText(u.loc.T("passcode." + string(strength)))
		for _, r := range why {
			v.reasons.Add(sides(widget.NewIcon(theme.InfoIcon()), nil, para(u.loc.T("passcode.reason_"+r))))
		}
		v.enableSave(strength == learn.Strong)
	}
	v.reasons.Refresh()
}

// enableSave lets a strong password be saved, and only a strong one.
func (v *recoveryView) enableSave(on bool) { enableAction(v.save, on) }

func (v *recoveryView) onSavePassword() {
	v.password = true
	v.newPass.SetText("") // the words go as soon as they are not needed
	v.show()
}

func (v *recoveryView) devicesPart() fyne.CanvasObject {
	u := v.p.u
	others := 0
	for _, d := range v.s.Devices {
		if d != v.s.Current && !v.out[d] {
			others++
		}
	}
	objs := []fyne.CanvasObject{status(others == 0, u.loc.T("recovery.devices"))}
	for _, d := range v.s.Devices {
		lines := []fyne.CanvasObject{strong(u.text(v.p.l, learn.ChoiceKey(v.s.ID, d, learn.FieldOptionText)))}
		if detail := u.text(v.p.l, learn.ChoiceKey(v.s.ID, d, learn.FieldDetail)); detail != "" {
			lines = append(lines, caption(detail))
		}
		var content fyne.CanvasObject
		switch {
		case d == v.s.Current:
			content = xwidget.Lines(append(lines, caption(u.loc.T("recovery.this_device")))...)
		case v.out[d]:
			content = xwidget.Lines(append(lines, caption(u.loc.T("recovery.signed_out")))...)
		default:
			b := xwidget.NewButton(u.loc.T("recovery.sign_out"), theme.LogoutIcon(), func() {
				v.out[d] = true
				v.show()
			})
			content = container.NewVBox(xwidget.Lines(lines...), sides(b, nil, nil))
		}
		t := xwidget.NewTile(content, nil)
		if v.out[d] {
			t.SetState(xwidget.TileGood)
		}
		objs = append(objs, t)
	}
	if others > 1 {
		// A tile, not a button: its words wrap in any language.
		objs = append(objs, xwidget.NewTile(sides(widget.NewIcon(theme.LogoutIcon()), nil, strong(u.loc.T("recovery.sign_out_all"))), func() {
			for _, d := range v.s.Devices {
				if d != v.s.Current {
					v.out[d] = true
				}
			}
			v.show()
		}))
	}
	return container.NewVBox(objs...)
}

func (v *recoveryView) twoStepPart() fyne.CanvasObject {
	u := v.p.u
	objs := []fyne.CanvasObject{status(v.twoStep == 2, u.loc.T("recovery.two_step"))}
	switch v.twoStep {
	case 0:
		objs = append(objs, para(u.loc.T("recovery.two_step_off")), tall(button(u.loc.T("recovery.turn_on"), nil, false, func() {
			v.twoStep = 1
			v.show()
		})))
	case 1:
		objs = append(objs, mockMessage(u.loc.T("form.message"), u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldMessage)), v.s.Code))
		if !v.codeOK {
			objs = append(objs, notice(false, para(u.loc.T("form.error_code"))))
		}
		if v.code == nil {
			v.code = widget.NewEntry()
			v.code.OnSubmitted = func(string) { v.onCode() }
		}
		objs = append(objs, caption(u.loc.T("recovery.enter_code")), xwidget.Tall(v.code),
			tall(button(u.loc.T("recovery.confirm"), nil, true, v.onCode)))
	default:
		objs = append(objs, notice(true, para(u.loc.T("recovery.two_step_on"))))
	}
	return container.NewVBox(objs...)
}

func (v *recoveryView) onCode() {
	f := learn.Field{Input: learn.InputCode, Code: v.s.Code}
	v.codeOK = learn.FieldProblem(f, v.code.Text, v.p.u.now()) == ""
	if v.codeOK {
		v.twoStep = 2
	}
	v.show()
}

// answer is what the learner has done, as ids: never the password or
// the code.
func (v *recoveryView) answer() []string {
	var out []string
	if v.password {
		out = append(out, learn.RecoveryPassword)
	}
	for _, d := range v.s.Devices {
		if v.out[d] {
			out = append(out, learn.RecoverySignOut(d))
		}
	}
	if v.twoStep == 2 {
		out = append(out, learn.RecoveryTwoStep)
	}
	return out
}

func (v *recoveryView) onCheck() {
	u := v.p.u
	verdict := v.p.answer(v.s, v.answer())
	var notes []fyne.CanvasObject
	var still []string
	for _, m := range verdict.Missed {
		switch m {
		case learn.RecoveryPassword:
			notes = append(notes, para(u.loc.T("recovery.missed_password")))
		case learn.RecoveryTwoStep:
			notes = append(notes, para(u.loc.T("recovery.missed_two_step")))
		default:
			for _, d := range v.s.Devices {
				if m == learn.RecoverySignOut(d) && !slices.Contains(still, d) {
					still = append(still, d)
				}
			}
		}
	}
	if len(still) > 0 {
		lines := []fyne.CanvasObject{caption(u.loc.T("recovery.missed_device"))}
		for _, d := range still {
			lines = append(lines, strong(u.text(v.p.l, learn.ChoiceKey(v.s.ID, d, learn.FieldOptionText))))
		}
		notes = append(notes, xwidget.Lines(lines...))
	}
	v.fb.show(v.p, v.s, verdict, notes, func() {})
}
