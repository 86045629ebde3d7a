package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
)

// helpLine is one place to get help: a fact from the registry and the
// words that say when to use it.
type helpLine struct {
	fact   string // key in the facts registry
	name   string // message id of its name
	when   string // message id of when to use it
	extras []string
}

// helpLines are the helplines, most urgent first. Numbers come from the
// facts registry, never from here.
var helpLines = []helpLine{
	{fact: "emergency", name: "help.emergency", when: "help.emergency_when", extras: []string{"help.silent"}},
	{fact: "helpline.modern_slavery", name: "help.slavery", when: "help.slavery_when"},
	{fact: "nhs.111", name: "help.nhs", when: "help.nhs_when"},
	{fact: "police.101", name: "help.police", when: "help.police_when"},
	{fact: "fraud.report_phone", name: "help.fraud", when: "help.fraud_when"},
	{fact: "helpline.salvation_army", name: "help.salvation", when: "help.salvation_when"},
}

// helpScreen lists the helplines, with a tap to call on a phone, and the
// honest warning that calls show in call history and on bills.
type helpScreen struct {
	u    *UI
	back func()
}

func (u *UI) showHelp() {
	prev, prevCurrent := u.rebuild, u.current
	s := helpScreen{u: u, back: func() {
		if prev == nil {
			u.showHome()
			return
		}
		// Back to the screen help was opened from, built afresh.
		u.current, u.rebuild = prevCurrent, prev
		prev()
	}}
	u.showScreen(nil, s.build)
}

func (s helpScreen) build() fyne.CanvasObject {
	u := s.u
	warn := xwidget.NewTile(sides(widget.NewIcon(theme.WarningIcon()), nil, para(u.loc.T("help.calls_show"))), nil)
	warn.SetState(xwidget.TileNote)
	objs := []fyne.CanvasObject{para(u.loc.T("help.intro")), warn}
	facts := u.d.Course.Facts
	for _, h := range helpLines {
		f, ok := facts[h.fact]
		if !ok {
			continue
		}
		lines := []fyne.CanvasObject{subheading(u.expandFacts(u.loc.T(h.name))), para(u.loc.T(h.when))}
		for _, e := range h.extras {
			lines = append(lines, para(u.expandFacts(u.loc.T(e))))
		}
		number := label(factText(f), theme.SizeNameHeadingText, true)
		lines = append(lines, number)
		if u.mobile() {
			link := f.Link()
			lines = append(lines, tall(button(u.loc.T("help.call", map[string]any{"Number": factText(f)}), theme.MailReplyIcon(), true, func() {
				if uri, err := url.Parse(link); err == nil {
					u.app.OpenURL(uri)
				}
			})))
		}
		objs = append(objs, xwidget.NewTile(container.NewVBox(lines...), nil))
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), s.back)
	return container.NewBorder(u.topBar(u.loc.T("help.title"), back), nil, nil, nil, page(objs...))
}
