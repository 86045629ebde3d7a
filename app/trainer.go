package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/report"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/safety"
)

// Trainer is what trainer mode needs (internal/syncclient's Trainer): a
// profile of its own, locked by a passphrase and sealed at rest; the
// trainer's account on the organisation's server; their groups, join and
// co-trainer codes; the last copy of what members shared, which the
// dashboard and reports read (offline too).
type Trainer interface {
	HasProfile() bool
	IsOpen() bool
	CreateProfile(ctx context.Context, passphrase string) error
	// OpenProfile opens the profile: lockbox.ErrWrong for a wrong
	// passphrase, safety.ErrWaiting during the wait after wrong ones (the
	// duration says how long is left).
	OpenProfile(ctx context.Context, passphrase string) (time.Duration, error)
	// ChangePassphrase changes the open profile's passphrase, the current
	// one checked (and counted) as OpenProfile checks it.
	ChangePassphrase(ctx context.Context, current, next string) (time.Duration, error)
	CloseProfile()
	Server() string
	Connect(ctx context.Context, server, pin, invite string) error
	Groups() []group.Summary
	CreateGroup(ctx context.Context, name string) (group.Summary, error)
	NewJoinCode(ctx context.Context, groupID string, ttl time.Duration) (group.Code, error)
	RevokeJoinCode(ctx context.Context, groupID, lookup string) error
	OfferCoTrainer(ctx context.Context, groupID string) (group.Code, error)
	CoTrain(ctx context.Context, code string) (group.Summary, error)
	DeleteGroup(ctx context.Context, groupID string) error
	// Refresh reads what members shared since the last time and uploads
	// the groups' anonymised counts.
	Refresh(ctx context.Context) error
	Members(groupID string) []group.Member
	Dashboard(groupID string, lessons []string) group.Board
	Report(p report.Params, lessons map[string]report.Tags) report.Report
	// SetTags gives the course's areas and levels, for reports.
	SetTags(map[string]report.Tags)
	// HubKey is the key the hub seals what it keeps of learners under (a
	// copy, for the caller to clear); RecordSession keeps a live
	// session's attendance (its roster's attendees: members of the
	// trainer's groups, who agreed to it when they joined).
	HubKey() (lockbox.Key, error)
	RecordSession(ctx context.Context, s room.Summary) error
}

// trainerIdle closes trainer mode after this long without a touch.
const trainerIdle = 15 * time.Minute

// trainerVisible reports whether Settings offers trainer mode: never in
// the safe profile, and not while the window's title is discreet (on a
// learner's device the entry says nothing about groups and trainers).
func (u *UI) trainerVisible() bool {
	return u.d.Trainer != nil && !u.sec.safeMode && u.prefs[prefDiscreet] == "0"
}

// trainerTile opens trainer mode from Settings.
func (s settingsScreen) trainerTile() fyne.CanvasObject {
	u := s.u
	return xwidget.NewTile(sides(widget.NewIcon(theme.ComputerIcon()), widget.NewIcon(nextIcon()),
		xwidget.Lines(strong(u.loc.T("trainer.tile")), caption(u.loc.T("trainer.tile_hint")))), u.showTrainer)
}

// closeTrainer closes trainer mode: its keys leave memory. The quick
// exit, the app lock and idleness all close it.
func (u *UI) closeTrainer() {
	// A group session ends with it: the hub's key is trainer mode's.
	u.stopHub()
	if u.d.Trainer != nil {
		u.d.Trainer.CloseProfile()
	}
}

// showTrainer opens trainer mode: its home when the profile is open, else
// the screen that opens (or makes) it.
func (u *UI) showTrainer() {
	if !u.trainerTagged {
		// Every lesson is read once, here on the interface goroutine (the
		// course is not for others), for the skills reports count.
		u.d.Trainer.SetTags(report.TagsOf(u.d.Course))
		u.trainerTagged = true
	}
	if u.d.Trainer.IsOpen() {
		u.showTrainerHome()
		return
	}
	s := &trainerEntryScreen{u: u}
	u.showScreen(nil, s.build)
}

// widePage lays out a trainer's screen at a laptop's width: tables need
// the room a learner's reading width would not give them.
func widePage(objs ...fyne.CanvasObject) *container.Scroll {
	body := container.NewVBox(objs...)
	return container.NewVScroll(xwidget.MaxWidth(container.New(layout.NewCustomPaddedLayout(12, 24, 24, 24), body), 1400))
}

// trainerEntryScreen makes the trainer's profile (a passphrase, typed
// twice) or opens it.
type trainerEntryScreen struct {
	u      *UI
	phrase *widget.Entry
	again  *widget.Entry
	msg    *xwidget.Text
	why    *fyne.Container
	go_    *xwidget.Button
}

func (s *trainerEntryScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.why = container.NewVBox()
	s.phrase = widget.NewPasswordEntry()
	s.phrase.OnSubmitted = func(string) { s.onGo() }
	objs := []fyne.CanvasObject{para(u.loc.T("trainer.intro"))}
	if u.d.Trainer.HasProfile() {
		s.go_ = button(u.loc.T("trainer.open"), theme.LoginIcon(), true, s.onGo)
		objs = append(objs, strong(u.loc.T("trainer.passphrase")), xwidget.Tall(s.phrase), tall(s.go_))
	} else {
		s.again = widget.NewPasswordEntry()
		s.again.OnSubmitted = func(string) { s.onGo() }
		s.go_ = button(u.loc.T("trainer.create"), theme.ContentAddIcon(), true, s.onGo)
		objs = append(objs, para(u.loc.T("trainer.create_hint")),
			strong(u.loc.T("trainer.new_passphrase")), xwidget.Tall(s.phrase),
			strong(u.loc.T("trainer.again")), xwidget.Tall(s.again), tall(s.go_))
	}
	objs = append(objs, s.msg, s.why)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSettings)
	return container.NewBorder(u.topBar(u.loc.T("trainer.title"), back), nil, nil, nil, page(objs...))
}

func (s *trainerEntryScreen) onGo() {
	u := s.u
	phrase := s.phrase.Text
	if phrase == "" || s.go_.Disabled() {
		return
	}
	s.why.Objects = nil
	create := s.again != nil
	if create {
		if u.refuseNewPassphrase(phrase, s.again.Text, s.msg, s.why) {
			return
		}
	}
	s.go_.Disable()
	s.msg.SetText(u.loc.T("lock.checking"))
	tr := u.d.Trainer
	go func() {
		ctx := context.Background()
		var wait time.Duration
		var err error
		if create {
			err = tr.CreateProfile(ctx, phrase)
		} else {
			wait, err = tr.OpenProfile(ctx, phrase)
		}
		u.do(func() {
			s.go_.Enable()
			switch {
			case err == nil:
				u.showTrainerHome()
			case errors.Is(err, lockbox.ErrWrong):
				s.phrase.SetText("")
				s.msg.SetText(u.loc.T("trainer.wrong"))
			case errors.Is(err, safety.ErrWaiting):
				s.msg.SetText(u.loc.T("trainer.wait", map[string]any{"Seconds": int(wait.Round(time.Second) / time.Second)}))
			default:
				u.d.Log.Error("trainer mode could not be opened", "err", err)
				s.msg.SetText(u.loc.T("error.save"))
			}
		})
	}()
}

// refuseNewPassphrase says in msg (and why, in why) that a new trainer
// passphrase is too easy to guess, or was not typed the same again, and
// reports whether it did.
func (u *UI) refuseNewPassphrase(phrase, again string, msg *xwidget.Text, why *fyne.Container) bool {
	ok, reasons := safety.Acceptable(safety.KindPassphrase, phrase)
	if ok {
		if again != phrase {
			msg.SetText(u.loc.T("safety.no_match"))
			return true
		}
		return false
	}
	msg.SetText(u.loc.T("safety.weak"))
	for _, r := range reasons {
		key := "passcode.reason_" + r
		if r == safety.ReasonLength {
			key = "safety.reason_length_passphrase"
		}
		why.Add(para(u.loc.T(key)))
	}
	why.Refresh()
	return true
}
