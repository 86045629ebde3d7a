package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
)

// privacyScreen says, in plain words, what Waymark keeps and sends, what
// the lock protects against and what it does not.
type privacyScreen struct{ u *UI }

func (u *UI) showPrivacy() {
	s := privacyScreen{u}
	u.showScreen(nil, s.build)
}

func (s privacyScreen) build() fyne.CanvasObject {
	u := s.u
	point := func(ic fyne.Resource, key string) fyne.CanvasObject {
		return sides(container.NewCenter(widget.NewIcon(ic)), nil, para(u.loc.T(key)))
	}
	lock := point(theme.WarningIcon(), "privacy.not_locked")
	if u.hasPIN() {
		lock = point(theme.VisibilityOffIcon(), "privacy.locked")
	}
	body := page(
		point(theme.AccountIcon(), "privacy.no_account"),
		point(theme.StorageIcon(), "privacy.on_device"),
		lock,
		point(theme.InfoIcon(), "privacy.limits"),
		point(theme.UploadIcon(), "privacy.no_network"),
		point(theme.VisibilityOffIcon(), "privacy.no_tracking"),
		point(theme.DocumentIcon(), "privacy.no_logs"),
		point(theme.ComputerIcon(), "privacy.screens"),
		point(theme.DeleteIcon(), "privacy.delete"),
	)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showSettings)
	return container.NewBorder(u.topBar(u.loc.T("privacy.title"), back), nil, nil, nil, body)
}
