package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/safety"
)

// safetySettings is the settings section that keeps the learner safe: the
// app lock, the safe profile, the quick exit, a discreet window title,
// what the app calls them, and deleting everything.
func (s settingsScreen) safetySettings() []fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{widget.NewSeparator(), subheading(u.loc.T("safety.title"))}

	// Nickname: optional, and the only thing the app ever asks to call you.
	nick := widget.NewEntry()
	nick.SetText(u.progress.Nickname.Value)
	nick.OnChanged = func(string) { u.touch() }
	setNick := func(v string) {
		if v != u.progress.Nickname.Value {
			u.record(learn.Event{Kind: learn.EventNickname, Data: v})
		}
	}
	nick.OnSubmitted = setNick
	saveNick := button(u.loc.T("journey.save"), theme.DocumentSaveIcon(), false, func() { setNick(nick.Text) })
	objs = append(objs, strong(u.loc.T("safety.nickname")), caption(u.loc.T("safety.nickname_hint")),
		sides(nil, tall(saveNick), xwidget.Tall(nick)))

	// App lock.
	objs = append(objs, strong(u.loc.T("safety.lock")))
	if u.hasPIN() {
		kind := u.prefs[prefLockKind]
		other, otherKey := safety.KindPassphrase, "safety.lock_use_passphrase"
		if kind == safety.KindPassphrase {
			other, otherKey = safety.KindPIN, "safety.lock_use_pin"
		}
		objs = append(objs, caption(u.loc.T("safety.lock_on")),
			container.NewVBox(
				tall(button(u.loc.T("safety.lock_change"), theme.SettingsIcon(), false, func() { u.showSetSecret(kind) })),
				tall(button(u.loc.T(otherKey), theme.SettingsIcon(), false, func() { u.showSetSecret(other) })),
				tall(button(u.loc.T("safety.lock_off"), theme.CancelIcon(), false, func() {
					u.confirm(u.loc.T("safety.lock_off_confirm"), u.loc.T("safety.lock_off"), func() {
						u.removeSecret(func(ok bool) {
							u.showSettings()
							if !ok {
								u.showNotice(u.loc.T("error.save"))
							}
						})
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
			idle = append(idle, s.choice(text, cur == m, func() { u.setPref(prefIdle, m); u.rebuildInPlace() }))
		}
		objs = append(objs, container.NewGridWithColumns(2, idle...))

		objs = append(objs, caption(u.loc.T("safety.erase_after")), para(u.loc.T("safety.erase_after_hint")))
		var erase []fyne.CanvasObject
		for _, n := range []string{"", "5", "10", "20"} {
			text := u.loc.T("safety.erase_off")
			if n != "" {
				text = u.loc.N("safety.erase_tries", atoi(n))
			}
			erase = append(erase, s.choice(text, u.prefs[prefEraseAfter] == n, func() { u.setPref(prefEraseAfter, n); u.rebuildInPlace() }))
		}
		objs = append(objs, container.NewGridWithColumns(2, erase...))

		// The safe profile: a second PIN that opens English practice only.
		objs = append(objs, strong(u.loc.T("safety.safe_profile")), para(u.loc.T("safety.safe_profile_hint")))
		if u.safeProfileSet() {
			objs = append(objs, tall(button(u.loc.T("safety.safe_profile_off"), theme.CancelIcon(), false, func() {
				u.removeSafePIN(func(ok bool) { u.afterSafeChange(false, ok) })
			})))
		} else {
			objs = append(objs, tall(button(u.loc.T("safety.safe_profile_set"), theme.ContentAddIcon(), false, u.showSetSafePIN)))
		}
	} else {
		objs = append(objs, para(u.loc.T("safety.lock_none")),
			container.NewVBox(
				tall(button(u.loc.T("safety.lock_pin"), theme.ContentAddIcon(), true, func() { u.showSetSecret(safety.KindPIN) })),
				tall(button(u.loc.T("safety.lock_passphrase"), theme.ContentAddIcon(), false, func() { u.showSetSecret(safety.KindPassphrase) }))))
	}
	objs = append(objs, caption(u.loc.T("safety.lock_protects")))

	// Quick exit and the window title.
	objs = append(objs, strong(u.loc.T("safety.quick_exit")), para(u.loc.T("safety.quick_exit_hint")))
	qe := u.prefs[prefQuickExit]
	qeChoices := []fyne.CanvasObject{s.choice(u.loc.T("safety.quick_exit_cover"), qe != "close", func() { u.setPref(prefQuickExit, "cover"); u.rebuildInPlace() })}
	if !u.mobile() {
		qeChoices = append(qeChoices, s.choice(u.loc.T("safety.quick_exit_close"), qe == "close", func() { u.setPref(prefQuickExit, "close"); u.rebuildInPlace() }))
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
		u.rebuildInPlace()
	}))

	objs = append(objs,
		tall(button(u.loc.T("privacy.title"), theme.InfoIcon(), false, u.showPrivacy)),
		widget.NewSeparator(),
		strong(u.loc.T("safety.delete")),
		para(u.loc.T("safety.delete_hint")),
		tall(button(u.loc.T("safety.delete"), theme.DeleteIcon(), false, func() {
			question := u.loc.T("safety.delete_confirm")
			if u.shared() && u.d.Profiles.Current() == "" {
				// The laptop's own record takes the learners' with it.
				question = u.loc.T("safety.delete_confirm_shared")
			}
			owner := u.d.Profiles == nil || u.d.Profiles.Current() == ""
			if owner && !u.sec.safeMode && u.d.Trainer != nil && u.d.Trainer.HasProfile() {
				// Only a trainer's laptop has this, and trainers read English.
				question += "\n\n" + u.loc.T("trainer.delete_everything")
			}
			u.confirm(question, u.loc.T("safety.delete_yes"), u.onDeleteEverything, u.showSettings)
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

// safeProfileSet reports whether a safe-profile PIN is set (in the safe
// profile: whether one seems to be, in memory).
func (u *UI) safeProfileSet() bool {
	if u.sec.safeMode {
		return u.fakeSafeProfile
	}
	return u.sec.ring.SafeProfile
}

// afterSafeChange comes back to Settings after the safe profile was set
// or removed.
func (u *UI) afterSafeChange(set, ok bool) {
	if u.sec.safeMode {
		u.fakeSafeProfile = set
	}
	u.showSettings()
	if !ok {
		u.showNotice(u.loc.T("error.save"))
	}
}

// onDeleteEverything deletes everything; in the safe profile it only
// seems to (the real record is not its to delete).
func (u *UI) onDeleteEverything() {
	if u.sec.safeMode {
		u.progress = learn.NewProgress()
		u.fakeSafeProfile = false
		u.showWelcome()
		return
	}
	u.eraseEverything()
}

// setSecretScreen sets or changes the PIN (6 to 10 digits, on the pad) or
// passphrase (10 characters or more): typed twice, to be sure. A PIN or
// passphrase that is easy to guess is refused, saying why.
type setSecretScreen struct {
	u      *UI
	kind   string
	safe   bool // the safe-profile PIN
	first  string
	pin    *pinPad
	phrase *widget.Entry
	msg    *xwidget.Text
	why    *fyne.Container
	busy   bool
}

func (u *UI) showSetSecret(kind string) {
	if kind == "" {
		kind = safety.KindPIN
	}
	s := &setSecretScreen{u: u, kind: kind}
	u.showScreen(nil, s.build)
}

func (u *UI) showSetSafePIN() {
	s := &setSecretScreen{u: u, kind: safety.KindPIN, safe: true}
	u.showScreen(nil, s.build)
}

func (s *setSecretScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.why = container.NewVBox()
	prompt := "safety.new_pin"
	if s.kind == safety.KindPassphrase {
		prompt = "safety.new_passphrase"
	}
	if s.safe {
		prompt = "safety.new_safe_pin"
	}
	if s.first != "" {
		prompt = "safety.again"
	}
	objs := []fyne.CanvasObject{para(u.loc.T(prompt))}
	if s.kind == safety.KindPassphrase {
		s.phrase = widget.NewPasswordEntry()
		s.phrase.OnSubmitted = func(string) { s.onNext() }
		objs = append(objs, xwidget.Tall(s.phrase), tall(button(u.loc.T("player.next"), nextIcon(), true, s.onNext)))
	} else {
		s.pin = newPinPad(u, safety.MaxPINLength, s.onNext)
		objs = append(objs, s.pin.build())
	}
	objs = append(objs, s.msg, s.why)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSettings)
	return container.NewBorder(u.topBar(u.loc.T("safety.lock"), back), nil, nil, nil, page(objs...))
}

func (s *setSecretScreen) value() string {
	if s.phrase != nil {
		return s.phrase.Text
	}
	return s.pin.value()
}

// refuse says kindly why a PIN or passphrase is not used, and starts
// again.
func (s *setSecretScreen) refuse(msg string, reasons []string) {
	u := s.u
	s.first = ""
	u.rebuild()
	s.msg.SetText(msg)
	for _, r := range reasons {
		key := "passcode.reason_" + r
		if r == safety.ReasonLength {
			key = "safety.reason_length_" + s.kind
		}
		s.why.Add(sides(widget.NewIcon(theme.InfoIcon()), nil, para(u.loc.T(key))))
	}
}

func (s *setSecretScreen) onNext() {
	u := s.u
	v := s.value()
	if s.busy || v == "" {
		return
	}
	if ok, why := safety.Acceptable(s.kind, v); !ok {
		s.refuse(u.loc.T("safety.weak"), why)
		return
	}
	if s.first == "" {
		s.first = v
		u.rebuild()
		return
	}
	if v != s.first {
		s.refuse(u.loc.T("safety.no_match"), nil)
		return
	}
	s.busy = true
	s.msg.SetText(u.loc.T("lock.checking"))
	// The main and safe-profile secrets must differ, or one would open the
	// other's profile.
	var other *lockbox.Lock
	switch {
	case s.safe && u.sec.main != nil:
		other = u.sec.main
	case !s.safe && u.safeProfileSet():
		safe := u.sec.safe
		other = &safe
	}
	done := func(ok bool) {
		s.busy = false
		if s.safe {
			u.afterSafeChange(true, ok)
			return
		}
		u.showSettings()
		if !ok {
			u.showNotice(u.loc.T("error.save"))
			return
		}
		u.showNotice(u.loc.T("safety.lock_on"))
	}
	go func() {
		same := false
		if other != nil {
			_, err := other.Check(v)
			same = err == nil
		}
		u.do(func() {
			if same {
				s.busy = false
				s.refuse(u.loc.T("safety.safe_same"), nil)
				return
			}
			if s.safe {
				u.setSafePIN(v, done)
				return
			}
			u.setSecret(s.kind, v, done)
		})
	}()
}
