package app

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/report"
)

// reportScreen is a report for funders: a period and a group (or all the
// trainer's groups), anonymised unless the trainer turns that off for
// their own eyes. The screen shows report.Report.Tables, and the CSV and
// the printable page are made from the same report, so the three agree
// cell for cell.
type reportScreen struct {
	u         *UI
	group     string
	from, to  time.Time
	named     bool
	fromEntry *widget.Entry
	toEntry   *widget.Entry
	msg       *xwidget.Text
	// shown is the report on the screen: the one saved.
	shown report.Report
}

func (u *UI) showReport(groupID string) {
	now := u.now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
	s := &reportScreen{u: u, group: groupID, from: first, to: first.AddDate(0, 1, -1)}
	u.showScreen(nil, s.build)
}

func (s *reportScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	scope := u.groupTitle(s.group)
	if s.group == "" {
		scope = u.loc.T("trainer.all_my_groups")
	}
	var groups []string
	if s.group != "" {
		groups = []string{s.group}
	}
	s.shown = u.d.Trainer.Report(report.Params{From: s.from, To: s.to, Groups: groups, Scope: scope, Named: s.named, Now: u.now()}, nil)

	s.fromEntry = widget.NewEntry()
	s.fromEntry.SetText(s.from.Format(time.DateOnly))
	s.toEntry = widget.NewEntry()
	s.toEntry.SetText(s.to.Format(time.DateOnly))
	now := u.now()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
	preset := func(key string, from, to time.Time) fyne.CanvasObject {
		return tall(button(u.loc.T(key), theme.HistoryIcon(), false, func() { s.from, s.to = from, to; u.rebuildInPlace() }))
	}
	named := xwidget.NewSwitch(!s.named)
	anonTile := xwidget.NewTile(sides(nil, container.NewCenter(named), xwidget.Lines(strong(u.loc.T("trainer.anonymised")),
		caption(u.loc.T("trainer.anonymised_hint")))), func() { s.named = !s.named; u.rebuildInPlace() })
	objs := []fyne.CanvasObject{
		caption(u.loc.T("trainer.report_hint")),
		container.NewGridWithColumns(4,
			preset("trainer.this_month", month, month.AddDate(0, 1, -1)),
			preset("trainer.last_month", month.AddDate(0, -1, 0), month.AddDate(0, 0, -1)),
			preset("trainer.last_3_months", month.AddDate(0, -2, 0), month.AddDate(0, 1, -1)),
			preset("trainer.this_year", time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.Local), time.Date(now.Year(), 12, 31, 0, 0, 0, 0, time.Local))),
		container.NewGridWithColumns(3,
			xwidget.Lines(caption(u.loc.T("trainer.from")), xwidget.Tall(s.fromEntry)),
			xwidget.Lines(caption(u.loc.T("trainer.to")), xwidget.Tall(s.toEntry)),
			tall(button(u.loc.T("trainer.show_period"), theme.ConfirmIcon(), false, s.onPeriod))),
		anonTile,
	}
	if s.named {
		warn := xwidget.NewTile(sides(widget.NewIcon(theme.WarningIcon()), nil, strong(u.loc.T("trainer.not_anonymised"))), nil)
		warn.SetState(xwidget.TileNote)
		objs = append(objs, warn)
	}
	for _, line := range s.shown.Heading() {
		objs = append(objs, caption(line))
	}
	cols := []float32{0.34, 0.46, 0.2}
	for _, t := range s.shown.Tables() {
		objs = append(objs, subheading(t.Title))
		var head []fyne.CanvasObject
		for _, c := range report.Columns {
			head = append(head, strong(c))
		}
		objs = append(objs, tableRow(cols, head...))
		for _, row := range t.Rows {
			var cells []fyne.CanvasObject
			for _, c := range row {
				cells = append(cells, para(c))
			}
			objs = append(objs, tableRow(cols, cells...))
		}
	}
	for _, line := range s.shown.Notes() {
		objs = append(objs, caption(line))
	}
	objs = append(objs, xwidget.Row(theme.Padding()*2,
		tall(button(u.loc.T("trainer.save_csv"), theme.DocumentSaveIcon(), true, func() { s.save("csv", s.shown.CSV()) })),
		tall(button(u.loc.T("trainer.save_html"), theme.DocumentPrintIcon(), false, func() { s.save("html", s.shown.HTML()) }))),
		s.msg)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), s.back)
	return container.NewBorder(u.topBar(u.loc.T("trainer.report_of", map[string]any{"Group": scope}), back), nil, nil, nil, widePage(objs...))
}

func (s *reportScreen) back() {
	if s.group == "" {
		s.u.showTrainerHome()
		return
	}
	s.u.showTrainerGroup(s.group)
}

func (s *reportScreen) onPeriod() {
	u := s.u
	from, err1 := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s.fromEntry.Text), time.Local)
	to, err2 := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s.toEntry.Text), time.Local)
	if err1 != nil || err2 != nil || to.Before(from) {
		s.msg.SetText(u.loc.T("trainer.bad_period"))
		return
	}
	s.from, s.to = from, to
	u.rebuild()
}

// save writes the report (as the screen shows it) to a file and says
// where.
func (s *reportScreen) save(ext string, data []byte) {
	u := s.u
	save := u.d.SaveFile
	if save == nil {
		save = saveInDocuments
	}
	path, err := save(s.shown.FileName(ext), data)
	if err != nil {
		u.d.Log.Error("the report could not be saved", "err", err)
		s.msg.SetText(u.loc.T("error.save"))
		return
	}
	s.msg.SetText(u.loc.T("trainer.saved", map[string]any{"Path": path}))
}

// saveInDocuments writes a file in the user's Documents folder (their home
// folder if there is none), readable by them alone.
func saveInDocuments(name string, data []byte) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(home, "Documents")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		dir = home
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, data, 0o600)
}
