package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
)

// syncSetupScreen sets sync up: on a first device with the server's
// address (and an invite code, if the organisation gave one), or on
// another device with a code from one already linked.
type syncSetupScreen struct {
	u      *UI
	pair   bool
	server *widget.Entry
	code   *widget.Entry
	pin    *widget.Entry
	msg    *xwidget.Text
	go_    *xwidget.Button
}

func (u *UI) showSyncSetup(pair bool) {
	s := &syncSetupScreen{u: u, pair: pair}
	u.showScreen(nil, s.build)
}

func (s *syncSetupScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	s.server = widget.NewEntry()
	s.server.SetPlaceHolder(u.loc.T("sync.server_hint"))
	s.code = widget.NewEntry()
	s.pin = widget.NewEntry()
	codeLabel, goLabel, hint := "sync.invite", "sync.join", "sync.setup_first_hint"
	if s.pair {
		codeLabel, goLabel, hint = "sync.code", "sync.pair", "sync.link_device_hint"
		s.code.SetPlaceHolder("XXXX-XXXX-XXXX-XXXX")
	}
	s.go_ = button(u.loc.T(goLabel), theme.ConfirmIcon(), true, s.onGo)
	objs := []fyne.CanvasObject{
		para(u.loc.T(hint)),
		strong(u.loc.T("sync.server")), xwidget.Tall(s.server),
		strong(u.loc.T(codeLabel)), xwidget.Tall(s.code),
		caption(u.loc.T("sync.pin")), xwidget.Tall(s.pin),
		caption(u.loc.T("sync.who_reads")),
		tall(s.go_),
		s.msg,
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSync)
	return container.NewBorder(u.topBar(u.loc.T("sync.title"), back), nil, nil, nil, page(objs...))
}

// onGo joins or pairs, in the background: it can take a few seconds on a
// slow connection (the pairing code is checked with Argon2id too).
func (s *syncSetupScreen) onGo() {
	u := s.u
	server := normaliseServer(s.server.Text)
	code, pin := strings.TrimSpace(s.code.Text), strings.TrimSpace(s.pin.Text)
	if server == "" {
		s.msg.SetText(u.loc.T("sync.problem_address"))
		return
	}
	if s.pair && code == "" {
		s.msg.SetText(u.loc.T("sync.problem_code"))
		return
	}
	if u.sec.safeMode {
		// The safe profile seems to have sync, and never reaches anything.
		s.msg.SetText(u.loc.T("sync.problem_offline"))
		return
	}
	s.go_.Disable()
	s.msg.SetText(u.loc.T("sync.working"))
	sy := u.d.Sync
	go func() {
		var err error
		if s.pair {
			err = sy.Pair(context.Background(), server, pin, code)
		} else {
			err = sy.Join(context.Background(), server, pin, code)
		}
		u.do(func() {
			if err != nil {
				u.d.Log.Warn("sync could not be set up", "err", err)
				s.go_.Enable()
				s.msg.SetText(u.loc.T("sync.problem_" + string(syncProblemOf(err))))
				return
			}
			u.showSync()
		})
	}()
}

// normaliseServer turns what a learner types into a server address: a
// name alone is taken as https://name.
func normaliseServer(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	return strings.TrimSuffix(s, "/")
}
