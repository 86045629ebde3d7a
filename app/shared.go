package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/safety"
)

// Profiles are the learners of a shared laptop (wired in main.go: the
// list in internal/sqlite's Profiles, and switching the store in use).
// Each learner has a nickname and a record of their own: a store file of
// its own, sealed under a keyring of its own and locked with their own
// PIN, so that nothing of one learner's can be read while another's is
// open.
type Profiles interface {
	// Shared reports whether the laptop is shared by several learners.
	Shared() bool
	SetShared(on bool) error
	// List lists the learners.
	List() ([]learn.Profile, error)
	// Create adds a learner and returns their id.
	Create(nickname string) (string, error)
	// Switch closes the store in use and opens learner id's ("": the
	// laptop's own record).
	Switch(ctx context.Context, id string) (Store, error)
	// Current is the id of the store in use.
	Current() string
}

// shared reports whether this laptop is shared by several learners.
func (u *UI) shared() bool { return u.d.Profiles != nil && u.d.Profiles.Shared() }

// learnerOpen reports whether a shared laptop's learner (not its owner)
// is signed in.
func (u *UI) learnerOpen() bool {
	return u.shared() && u.d.Profiles.Current() != "" && u.sec.open
}

// signOut signs the learner out: everything of theirs is wiped from
// memory and the screen, their store is closed and locked, and the
// laptop shows who is learning now, with why (a message id, or "").
// Without a shared laptop it locks, if a PIN is set.
func (u *UI) signOut(reason string) {
	if !u.shared() {
		u.lock()
		return
	}
	u.switchTo("", func() { u.showChooser(reason) })
}

// switchTo wipes what is open from memory and the screen, and opens
// learner id's store (its lock screen, as any start); then runs then if
// not nil (instead of the start).
func (u *UI) switchTo(id string, then func()) {
	u.leaveFollow()
	u.forgetScreen()
	u.stopSync()
	u.forgetRecord()
	u.rec.Flush(10 * time.Second)
	st, err := u.d.Profiles.Switch(context.Background(), id)
	if err != nil {
		u.d.Log.Error("a learner's record could not be opened", "err", err)
		u.showChooser("shared.problem_open")
		return
	}
	u.adopt(st)
	if then != nil {
		then()
		return
	}
	u.start(context.Background())
}

// adopt makes st the store in use, as at start-up: its settings, no
// keys, nothing of anyone's in memory.
func (u *UI) adopt(st Store) {
	u.d.Store = st
	u.rec.setStore(st)
	u.erased = false
	prefs, err := st.Prefs(context.Background())
	if err != nil {
		u.d.Log.Error("settings could not be read", "err", err)
		prefs = map[string]string{}
	}
	u.prefs = prefs
	u.sec = security{params: u.sec.params}
	u.progress = learn.NewProgress()
	u.device, _ = st.Device()
	u.setLocalizer(u.language())
	u.applyTheme()
	u.setTitle()
	u.touch()
}

// chooserScreen asks who is learning now: a tile for each learner's
// nickname, one for someone new, and the laptop's own record.
type chooserScreen struct {
	u      *UI
	reason string
}

func (u *UI) showChooser(reason string) {
	s := &chooserScreen{u: u, reason: reason}
	u.showScreen(nil, s.build)
}

func (s *chooserScreen) build() fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{heading(u.loc.T("shared.who"))}
	if s.reason != "" {
		t := xwidget.NewTile(para(u.loc.T(s.reason)), nil)
		t.SetState(xwidget.TileNote)
		objs = append(objs, t)
	}
	list, err := u.d.Profiles.List()
	if err != nil {
		objs = append(objs, para(u.loc.T("shared.problem_open")))
	}
	for _, p := range list {
		objs = append(objs, xwidget.NewTile(sides(widget.NewIcon(theme.AccountIcon()), widget.NewIcon(nextIcon()), strong(p.Nickname)),
			func() { u.switchTo(p.ID, nil) }))
	}
	objs = append(objs,
		tall(button(u.loc.T("shared.new"), theme.ContentAddIcon(), true, u.showNewLearner)),
		caption(u.loc.T("shared.private")),
		widget.NewSeparator(),
		xwidget.NewTile(sides(widget.NewIcon(theme.ComputerIcon()), nil, para(u.loc.T("shared.owner"))), func() { u.switchTo("", nil) }),
	)
	return container.NewBorder(u.topBar(u.loc.T("app.discreet_name"), nil), nil, nil, nil, page(objs...))
}

// newLearnerScreen adds a learner: a nickname and a PIN of their own.
type newLearnerScreen struct {
	u         *UI
	nick      *widget.Entry
	pin, pin2 *widget.Entry
	msg       *xwidget.Text
	create    *xwidget.Button
}

func (u *UI) showNewLearner() {
	s := &newLearnerScreen{u: u}
	u.showScreen(nil, s.build)
}

func (s *newLearnerScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.nick = widget.NewEntry()
	s.pin = widget.NewPasswordEntry()
	s.pin2 = widget.NewPasswordEntry()
	s.create = button(u.loc.T("shared.create"), theme.ConfirmIcon(), true, s.onCreate)
	objs := []fyne.CanvasObject{
		strong(u.loc.T("shared.nickname")), caption(u.loc.T("shared.nickname_hint")), xwidget.Tall(s.nick),
		strong(u.loc.T("shared.pin")), caption(u.loc.T("shared.pin_hint")), xwidget.Tall(s.pin),
		strong(u.loc.T("shared.pin_again")), xwidget.Tall(s.pin2),
		tall(s.create), s.msg,
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), func() { u.showChooser("") })
	return container.NewBorder(u.topBar(u.loc.T("shared.new"), back), nil, nil, nil, page(objs...))
}

func (s *newLearnerScreen) onCreate() {
	u := s.u
	nick, pin := strings.TrimSpace(s.nick.Text), s.pin.Text
	switch {
	case nick == "":
		s.msg.SetText(u.loc.T("shared.problem_nickname"))
		return
	case s.pin2.Text != pin:
		s.msg.SetText(u.loc.T("shared.problem_pin_again"))
		return
	}
	if ok, _ := safety.Acceptable(safety.KindPIN, pin); !ok {
		s.msg.SetText(u.loc.T("shared.problem_pin"))
		return
	}
	id, err := u.d.Profiles.Create(nick)
	if err != nil {
		s.msg.SetText(u.loc.T("shared.problem_nickname"))
		return
	}
	lang := u.loc.Language().Tag
	s.create.Disable()
	s.msg.SetText(u.loc.T("lock.checking"))
	u.switchTo(id, func() {
		// A new record: opened without a secret (a new keyring), then at
		// once sealed again under the learner's PIN.
		u.setPrefs(map[string]string{prefLang: lang, prefWelcomed: "1"})
		p, ring, err := u.openWithoutSecret(context.Background())
		if err != nil {
			u.d.Log.Error("a new learner's record could not be opened", "err", err)
			u.showChooser("shared.problem_open")
			return
		}
		u.progress, u.sec.ring, u.sec.open = p, ring, true
		u.record(learn.Event{Kind: learn.EventNickname, Data: nick})
		u.setSecret(safety.KindPIN, pin, func(ok bool) {
			if !ok {
				u.showNotice(u.loc.T("error.save"))
			}
			u.startSync()
			u.showHome()
		})
	})
}

// signOutTile is on a signed-in learner's home and settings: the first of
// the two taps that hand the laptop to the next learner.
func (u *UI) signOutTile() fyne.CanvasObject {
	return xwidget.NewTile(sides(widget.NewIcon(theme.LogoutIcon()), nil,
		xwidget.Lines(strong(u.loc.T("shared.sign_out")), caption(u.loc.T("shared.sign_out_hint")))),
		func() { u.signOut("shared.signed_out") })
}

// sharedSection is the trainer's switch for a shared laptop, on the
// group-session screen.
func (s *hostScreen) sharedSection() fyne.CanvasObject {
	u := s.u
	on := u.d.Profiles.Shared()
	objs := []fyne.CanvasObject{subheading(u.loc.T("trainer.hub.shared_title")), para(u.loc.T("trainer.hub.shared_hint"))}
	if on {
		objs = append(objs, strong(u.loc.T("trainer.hub.shared_on")),
			tall(button(u.loc.T("trainer.hub.shared_turn_off"), theme.CancelIcon(), false, func() {
				if err := u.d.Profiles.SetShared(false); err != nil {
					u.d.Log.Error("the laptop could not be made the owner's again", "err", err)
				}
				u.rebuild()
			})))
		return container.NewVBox(objs...)
	}
	turnOn := button(u.loc.T("trainer.hub.shared_turn_on"), theme.AccountIcon(), false, func() {
		if err := u.d.Profiles.SetShared(true); err != nil {
			u.d.Log.Error("the laptop could not be shared", "err", err)
		}
		u.rebuild()
	})
	if !u.hasPIN() {
		// Learners would open the owner's record with a tap.
		turnOn.Disable()
		objs = append(objs, caption(u.loc.T("trainer.hub.shared_needs_pin")))
	}
	return container.NewVBox(append(objs, tall(turnOn))...)
}
