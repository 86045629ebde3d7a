package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/lockbox"
)

// safetySettings is the settings section that keeps the learner safe: the
// app lock, the safe profile, the quick exit, a discreet window title,
// what the app calls them, and deleting everything.
func (s settingsScreen) safetySettings() []fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{widget.NewSeparator(), subheading(u.loc.T("safety.title"))}

	// Nickname: optional, and the only thing the app ever asks to call you.
	nick := widget.NewEntry()
	nick.SetText(u.prefs[prefNickname])
	nick.OnChanged = func(string) { u.touch() }
	nick.OnSubmitted = func(v string) { u.setPref(prefNickname, v) }
	saveNick := button(u.loc.T("journey.save"), theme.DocumentSaveIcon(), false, func() { u.setPref(prefNickname, nick.Text) })
	objs = append(objs, strong(u.loc.T("safety.nickname")), caption(u.loc.T("safety.nickname_hint")),
		sides(nil, tall(saveNick), xwidget.Tall(nick)))

	// App lock.
	objs = append(objs, strong(u.loc.T("safety.lock")))
	if u.hasPIN() {
		objs = append(objs, caption(u.loc.T("safety.lock_on")),
			container.NewVBox(
				tall(button(u.loc.T("safety.lock_change"), theme.SettingsIcon(), false, func() { u.showSetSecret(u.prefs[prefLockKind]) })),
				tall(button(u.loc.T("safety.lock_off"), theme.CancelIcon(), false, func() {
					u.confirm(u.loc.T("safety.lock_off_confirm"), u.loc.T("safety.lock_off"), func() {
						u.removeSecret()
						u.showSettings()
					}, u.showSettings)
				}))))
		objs = append(objs, caption(u.loc.T("safety.idle")))
		var idle []fyne.CanvasObject
		cur := u.prefs[prefIdle]
		if cur == "" {
			cur = "5"
		}
		for _, m := range []string{"1", "5", "15", "0"} {
			text := u.loc.N("safety.idle_minutes", atoi(m))
			if m == "0" {
				text = u.loc.T("safety.idle_never")
			}
			idle = append(idle, s.choice(text, cur == m, func() { u.setPref(prefIdle, m); u.rebuild() }))
		}
		objs = append(objs, container.NewGridWithColumns(2, idle...))

		objs = append(objs, caption(u.loc.T("safety.erase_after")), para(u.loc.T("safety.erase_after_hint")))
		var erase []fyne.CanvasObject
		for _, n := range []string{"", "5", "10", "20"} {
			text := u.loc.T("safety.erase_off")
			if n != "" {
				text = u.loc.N("safety.erase_tries", atoi(n))
			}
			erase = append(erase, s.choice(text, u.prefs[prefEraseAfter] == n, func() { u.setPref(prefEraseAfter, n); u.rebuild() }))
		}
		objs = append(objs, container.NewGridWithColumns(2, erase...))

		// The safe profile: a second PIN that opens English practice only.
		objs = append(objs, strong(u.loc.T("safety.safe_profile")), para(u.loc.T("safety.safe_profile_hint")))
		if u.sec.safe != nil {
			objs = append(objs, tall(button(u.loc.T("safety.safe_profile_off"), theme.CancelIcon(), false, func() { u.removeSafePIN(); u.rebuild() })))
		} else {
			objs = append(objs, tall(button(u.loc.T("safety.safe_profile_set"), theme.ContentAddIcon(), false, u.showSetSafePIN)))
		}
	} else {
		objs = append(objs, para(u.loc.T("safety.lock_none")),
			container.NewVBox(
				tall(button(u.loc.T("safety.lock_pin"), theme.ContentAddIcon(), true, func() { u.showSetSecret("pin") })),
				tall(button(u.loc.T("safety.lock_passphrase"), theme.ContentAddIcon(), false, func() { u.showSetSecret("passphrase") }))))
	}

	// Quick exit and the window title.
	objs = append(objs, strong(u.loc.T("safety.quick_exit")), para(u.loc.T("safety.quick_exit_hint")))
	qe := u.prefs[prefQuickExit]
	qeChoices := []fyne.CanvasObject{s.choice(u.loc.T("safety.quick_exit_cover"), qe != "close", func() { u.setPref(prefQuickExit, "cover"); u.rebuild() })}
	if !u.mobile() {
		qeChoices = append(qeChoices, s.choice(u.loc.T("safety.quick_exit_close"), qe == "close", func() { u.setPref(prefQuickExit, "close"); u.rebuild() }))
	}
	objs = append(objs, container.NewGridWithColumns(1, qeChoices...))
	discreet := xwidget.NewSwitch(u.prefs[prefDiscreet] != "0")
	objs = append(objs, xwidget.NewTile(sides(nil, container.NewCenter(discreet),
		xwidget.Lines(strong(u.loc.T("safety.discreet")), caption(u.loc.T("safety.discreet_hint", map[string]any{"Name": u.loc.T("app.discreet_name")})))), func() {
		if u.prefs[prefDiscreet] == "0" {
			u.setPref(prefDiscreet, "")
		} else {
			u.setPref(prefDiscreet, "0")
		}
		u.setTitle()
		u.rebuild()
	}))

	objs = append(objs,
		tall(button(u.loc.T("privacy.title"), theme.InfoIcon(), false, u.showPrivacy)),
		widget.NewSeparator(),
		strong(u.loc.T("safety.delete")),
		para(u.loc.T("safety.delete_hint")),
		tall(button(u.loc.T("safety.delete"), theme.DeleteIcon(), false, func() {
			u.confirm(u.loc.T("safety.delete_confirm"), u.loc.T("safety.delete_yes"), u.eraseEverything, u.showSettings)
		})),
	)
	return objs
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// setSecretScreen sets or changes the PIN (4 to 8 digits, on the pad) or
// passphrase (8 characters or more): typed twice, to be sure.
type setSecretScreen struct {
	u      *UI
	kind   string
	safe   bool // the safe-profile PIN
	first  string
	pin    *pinPad
	phrase *widget.Entry
	msg    *xwidget.Text
}

func (u *UI) showSetSecret(kind string) {
	if kind == "" {
		kind = "pin"
	}
	s := &setSecretScreen{u: u, kind: kind}
	u.showScreen(nil, s.build)
}

func (u *UI) showSetSafePIN() {
	s := &setSecretScreen{u: u, kind: "pin", safe: true}
	u.showScreen(nil, s.build)
}

func (s *setSecretScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	prompt := "safety.new_pin"
	if s.kind == "passphrase" {
		prompt = "safety.new_passphrase"
	}
	if s.safe {
		prompt = "safety.new_safe_pin"
	}
	if s.first != "" {
		prompt = "safety.again"
	}
	objs := []fyne.CanvasObject{para(u.loc.T(prompt))}
	if s.kind == "passphrase" {
		s.phrase = widget.NewPasswordEntry()
		s.phrase.OnSubmitted = func(string) { s.onNext() }
		objs = append(objs, xwidget.Tall(s.phrase), tall(button(u.loc.T("player.next"), nextIcon(), true, s.onNext)))
	} else {
		s.pin = newPinPad(u, 8, s.onNext)
		objs = append(objs, s.pin.build())
	}
	objs = append(objs, s.msg)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSettings)
	return container.NewBorder(u.topBar(u.loc.T("safety.lock"), back), nil, nil, nil, page(objs...))
}

func (s *setSecretScreen) value() string {
	if s.phrase != nil {
		return s.phrase.Text
	}
	return s.pin.value()
}

func (s *setSecretScreen) onNext() {
	u := s.u
	v := s.value()
	switch {
	case s.kind == "pin" && (len(v) < 4 || len(v) > 8):
		s.msg.SetText(u.loc.T("safety.pin_length"))
		return
	case s.kind == "passphrase" && len([]rune(v)) < 8:
		s.msg.SetText(u.loc.T("safety.passphrase_length"))
		return
	}
	if s.first == "" {
		s.first = v
		u.rebuild()
		return
	}
	if v != s.first {
		s.first = ""
		u.rebuild()
		s.msg.SetText(u.loc.T("safety.no_match"))
		return
	}
	s.msg.SetText(u.loc.T("lock.checking"))
	if s.safe {
		// The safe PIN must differ from the real one, or it would open the
		// real profile.
		u.tryUnlock(v, func(res unlockResult, _ lockbox.Key) {
			if res == unlockMain {
				s.first = ""
				u.rebuild()
				s.msg.SetText(u.loc.T("safety.safe_same"))
				return
			}
			u.setSafePIN(v, u.showSettings)
		})
		return
	}
	u.setSecret(s.kind, v, u.showSettings)
}
