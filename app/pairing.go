package app

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// pairingScreen shows a code that links another of the learner's devices:
// as text, large, and as a QR code; once, for ten minutes. The part of it
// that unlocks the learner key never reaches the server.
type pairingScreen struct {
	u       *UI
	code    string
	expires time.Time
	err     error
}

func (u *UI) showPairing() {
	s := &pairingScreen{u: u}
	u.showScreen(nil, s.build)
	s.fetch()
}

// fetch asks the server for a new offer, in the background.
func (s *pairingScreen) fetch() {
	u := s.u
	go func() {
		code, expires, err := u.d.Sync.Offer(context.Background())
		u.do(func() {
			s.code, s.expires, s.err = code, expires, err
			if u.rebuild != nil {
				u.rebuild()
			}
		})
	}()
}

func (s *pairingScreen) build() fyne.CanvasObject {
	u := s.u
	var objs []fyne.CanvasObject
	switch {
	case s.err != nil:
		objs = append(objs, para(u.loc.T("sync.problem_"+string(syncProblemOf(s.err)))))
	case s.code == "":
		objs = append(objs, para(u.loc.T("sync.working")))
	default:
		code := label(s.code, theme.SizeNameHeadingText, true)
		code.Alignment = fyne.TextAlignCenter
		code.Dir = textlayout.LTR // typed as it is, whatever the language
		objs = append(objs,
			para(u.loc.T("sync.pair_show")),
			caption(u.loc.T("sync.server_is", map[string]any{"Server": u.syncStatus().Server})),
			strong(u.loc.T("sync.pair_code")),
			xwidget.NewTile(code, nil),
			para(u.loc.T("sync.pair_expires")),
		)
		if png, err := qrcode.Encode(s.code, qrcode.Medium, 512); err == nil {
			img := canvas.NewImageFromResource(fyne.NewStaticResource("pairing.png", png))
			img.FillMode = canvas.ImageFillContain
			img.ScaleMode = canvas.ImageScalePixels
			img.SetMinSize(fyne.NewSquareSize(200))
			objs = append(objs, caption(u.loc.T("sync.pair_qr")), container.NewCenter(img))
		}
	}
	objs = append(objs, tall(button(u.loc.T("sync.pair_new"), theme.ViewRefreshIcon(), false, func() {
		s.code, s.err = "", nil
		u.rebuild()
		s.fetch()
	})))
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSync)
	return container.NewBorder(u.topBar(u.loc.T("sync.pair_title"), back), nil, nil, nil, page(objs...))
}
