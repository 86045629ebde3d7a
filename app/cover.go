package app

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/safety"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// exitButton is the quick exit, at the end of every screen's header.
func (u *UI) exitButton() fyne.CanvasObject {
	b := xwidget.NewButton(u.loc.T("exit.button"), theme.WindowCloseIcon(), u.quickExit)
	b.Importance = xwidget.Warning
	return tall(b)
}

// quickExit hides the app at once: it forgets the screen and anything
// sensitive in memory and shows a working calculator (or, if the learner
// chose it and the platform allows, closes the app). With a PIN set,
// coming back asks for it.
func (u *UI) quickExit() {
	if u.sec.covered {
		return
	}
	u.rec.Flush(0)
	u.forgetScreen()
	if u.hasPIN() {
		u.stopSync()
		u.forgetRecord()
		u.sec.locked = true
	}
	if u.prefs[prefQuickExit] == "close" && !u.mobile() {
		u.Close()
		u.app.Quit()
		return
	}
	u.sec.covered = true
	u.setTitle()
	s := &coverScreen{u: u}
	u.showScreen(nil, s.build)
}

// coverScreen is the neutral screen behind the quick exit: a calculator
// that works, and says nothing about Waymark. To come back, the learner
// types their PIN and presses = (with a passphrase, or no lock at all,
// they press = three times in a row; with a passphrase that shows the lock
// screen). A PIN typed here is a try like any other: counted before it is
// checked, and while a wait runs the calculator is only a calculator.
type coverScreen struct {
	u       *UI
	display *xwidget.Text
	entry   string  // digits being typed
	acc     float64 // the running result
	op      byte    // the operation waiting for its second number
	equals  int     // = pressed in a row with nothing typed
}

func (s *coverScreen) build() fyne.CanvasObject {
	s.display = label("0", theme.SizeNameHeadingText, true)
	s.display.Alignment = fyne.TextAlignTrailing
	s.display.Wrap = false
	// A calculator's digits are the same in every language: no mirroring.
	s.display.Dir = textlayout.LTR
	key := func(k string) fyne.CanvasObject {
		b := xwidget.NewButton(k, nil, func() { s.press(k) })
		if strings.Contains("+−×÷=", k) {
			b.Importance = xwidget.High
		}
		return xwidget.AtLeast(b, fyne.NewSize(xwidget.MinTouch, xwidget.MinTouch*1.3))
	}
	var rows []fyne.CanvasObject
	for _, r := range [][]string{{"7", "8", "9", "÷"}, {"4", "5", "6", "×"}, {"1", "2", "3", "−"}, {"C", "0", "=", "+"}} {
		var cells []fyne.CanvasObject
		for _, k := range r {
			cells = append(cells, key(k))
		}
		rows = append(rows, container.NewGridWithColumns(4, cells...))
	}
	// Keys fill the screen, as on a phone's own calculator.
	keys := container.NewGridWithRows(len(rows), rows...)
	return container.NewPadded(xwidget.Readable(container.NewBorder(xwidget.NewTile(s.display, nil), nil, nil, nil, keys)))
}

func (s *coverScreen) press(k string) {
	switch {
	case k >= "0" && k <= "9":
		s.equals = 0
		if len(s.entry) < 12 {
			s.entry += k
		}
		s.show(s.entry)
	case k == "C":
		s.entry, s.acc, s.op, s.equals = "", 0, 0, 0
		s.show("0")
	case k == "=":
		s.onEquals()
	default:
		s.equals = 0
		s.apply()
		s.op = k[0]
		if k == "−" || k == "×" || k == "÷" {
			s.op = map[string]byte{"−": '-', "×": '*', "÷": '/'}[k]
		}
	}
}

// apply folds the number typed into the running result.
func (s *coverScreen) apply() {
	if s.entry == "" {
		return
	}
	n, _ := strconv.ParseFloat(s.entry, 64)
	switch s.op {
	case '+':
		s.acc += n
	case '-':
		s.acc -= n
	case '*':
		s.acc *= n
	case '/':
		if n != 0 {
			s.acc /= n
		}
	default:
		s.acc = n
	}
	s.entry = ""
	s.show(strconv.FormatFloat(s.acc, 'g', 10, 64))
}

func (s *coverScreen) onEquals() {
	u := s.u
	typed := s.entry
	if typed == "" {
		s.equals++
		if s.equals >= 3 {
			switch {
			case !u.hasPIN():
				s.leave()
			case u.prefs[prefLockKind] == safety.KindPassphrase:
				u.sec.covered = false
				u.setTitle()
				u.showLock()
			}
		}
		return
	}
	s.equals = 0
	// A number then =, with no sum under way, may be the PIN: anything
	// else is a sum, and the calculator behaves like one. So does a number
	// too short to be a PIN, and any number while a wait runs.
	if !u.hasPIN() || s.op != 0 || u.prefs[prefLockKind] == safety.KindPassphrase || len(typed) < minCoverPIN || u.waitLeft() > 0 || u.sec.checking {
		s.apply()
		s.op = 0
		return
	}
	u.attempt(typed, func(res unlockResult, _ time.Duration) {
		if res == unlockMain || res == unlockSafe {
			u.sec.covered = false
			u.opened(res)
			return
		}
		s.apply()
	})
}

// minCoverPIN is the shortest number the calculator takes as a PIN: 0.1
// allowed 4-digit PINs, which a learner may still have.
const minCoverPIN = 4

func (s *coverScreen) leave() {
	u := s.u
	u.sec.covered = false
	u.setTitle()
	u.showHome()
}

func (s *coverScreen) show(text string) { s.display.SetText(text) }
