package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
)

// dashboardScreen is a group's dashboard (or all groups'), from the last
// copy of what members shared, so it works offline: one row a learner, by
// their group nickname (never a real name), with who may need help and
// why, in words; one row a lesson, with how the group did and the
// question that trips people up. Learners sort by any column and filter
// by "needs help", a nickname or a lesson.
type dashboardScreen struct {
	u      *UI
	group  string
	sortBy group.SortKey
	desc   bool
	filter group.Filter
	search *widget.Entry
}

func (u *UI) showDashboard(groupID string) {
	s := &dashboardScreen{u: u, group: groupID, sortBy: group.SortHelp, desc: true}
	u.showScreen(nil, s.build)
}

// title is the group's name, or "All groups".
func (u *UI) groupTitle(id string) string {
	for _, g := range u.d.Trainer.Groups() {
		if g.ID == id {
			return g.Name
		}
	}
	return u.loc.T("trainer.all_groups")
}

func (s *dashboardScreen) build() fyne.CanvasObject {
	u := s.u
	tr := u.d.Trainer
	lessons := u.d.Course.LessonIDs()
	board := tr.Dashboard(s.group, lessons)
	board.Sort(s.sortBy, s.desc)
	shares := map[string]group.Share{}
	for _, m := range tr.Members(s.group) {
		shares[m.ID] = m.Share
	}
	rows := board.Filtered(s.filter, shares)

	text := ""
	if s.search != nil {
		text = s.search.Text
	}
	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(u.loc.T("trainer.search"))
	s.search.SetText(text)
	s.search.OnSubmitted = func(v string) { s.filter.Text = v; u.rebuild() }
	helpOnly := xwidget.NewSwitch(s.filter.NeedsHelp)
	helpTile := xwidget.NewTile(sides(nil, container.NewCenter(helpOnly), strong(u.loc.T("trainer.needs_help_only"))), func() {
		s.filter.NeedsHelp = !s.filter.NeedsHelp
		u.rebuild()
	})
	objs := []fyne.CanvasObject{
		caption(s.synced()),
		container.NewGridWithColumns(3, helpTile, xwidget.Tall(s.search),
			tall(button(u.loc.T("trainer.filter"), theme.SearchIcon(), false, func() { s.filter.Text = s.search.Text; u.rebuild() }))),
	}
	if s.filter.Lesson != "" {
		objs = append(objs, tall(button(u.loc.T("trainer.filter_lesson_clear", map[string]any{"Lesson": s.lessonName(s.filter.Lesson)}), theme.CancelIcon(), false, func() {
			s.filter.Lesson = ""
			u.rebuild()
		})))
	}
	help := 0
	for _, r := range board.Learners {
		if r.NeedsHelp() {
			help++
		}
	}
	objs = append(objs, subheading(u.loc.T("trainer.learners", map[string]any{"Count": len(board.Learners), "Help": help})))
	if len(board.Learners) == 0 {
		objs = append(objs, para(u.loc.T("trainer.no_learners")))
	}
	learnerCols := []float32{0.16, 0.08, 0.1, 0.12, 0.1, 0.44}
	header := []fyne.CanvasObject{}
	for _, k := range group.SortKeys {
		label := u.loc.T("trainer.col_" + string(k))
		if k == s.sortBy {
			label += map[bool]string{true: " ↓", false: " ↑"}[s.desc]
		}
		// A column's name sorts by it: again, the other way.
		h := xwidget.NewTile(strong(label), func() {
			if s.sortBy == k {
				s.desc = !s.desc
			} else {
				s.sortBy, s.desc = k, k != group.SortNickname
			}
			u.rebuild()
		})
		h.Flat = true
		header = append(header, h)
	}
	objs = append(objs, tableRow(learnerCols, header...))
	for _, r := range rows {
		last := r.LastActive
		if last == "" {
			last = "–"
		}
		var reasons []fyne.CanvasObject
		for _, why := range r.Help {
			reasons = append(reasons, para(s.reason(why)))
		}
		if len(reasons) == 0 {
			reasons = append(reasons, caption(u.loc.T("trainer.no_help")))
		}
		nick := strong(r.Nickname)
		objs = append(objs, tableRow(learnerCols, nick, para(strconv.Itoa(r.Done)), para(strconv.Itoa(r.InProgress)),
			para(last), para(strconv.Itoa(r.Milestones)), xwidget.Lines(reasons...)))
	}
	if len(rows) == 0 && len(board.Learners) > 0 {
		objs = append(objs, para(u.loc.T("trainer.none_match")))
	}

	objs = append(objs, widget.NewSeparator(), subheading(u.loc.T("trainer.lessons")))
	lessonCols := []float32{0.28, 0.09, 0.11, 0.11, 0.41}
	objs = append(objs, tableRow(lessonCols, strong(u.loc.T("trainer.col_lesson")), strong(u.loc.T("trainer.col_done")),
		strong(u.loc.T("trainer.col_in_progress")), strong(u.loc.T("trainer.col_not_started")), strong(u.loc.T("trainer.col_trip"))))
	for _, l := range board.Lessons {
		trip := caption(u.loc.T("trainer.no_trip"))
		if l.Trip != "" {
			trip = para(u.loc.T("trainer.trip", map[string]any{"Step": s.stepName(l.Lesson, l.Trip), "Learners": l.TripLearners, "Wrong": l.TripWrong}))
		}
		name := xwidget.NewTile(strong(s.lessonName(l.Lesson)), func() { s.filter.Lesson = l.Lesson; u.rebuildInPlace() })
		name.Flat = true
		objs = append(objs, tableRow(lessonCols, name, para(strconv.Itoa(l.Done)), para(strconv.Itoa(l.InProgress)),
			para(strconv.Itoa(l.NotStartedYet)), trip))
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), s.back)
	title := u.loc.T("trainer.dashboard_of", map[string]any{"Group": u.groupTitle(s.group)})
	return container.NewBorder(u.topBar(title, back), nil, nil, nil, widePage(objs...))
}

func (s *dashboardScreen) back() {
	if s.group == "" {
		s.u.showTrainerHome()
		return
	}
	s.u.showTrainerGroup(s.group)
}

// synced says how fresh the copy is: the dashboard works offline.
func (s *dashboardScreen) synced() string {
	u := s.u
	var oldest, newest string
	for _, g := range u.d.Trainer.Groups() {
		if s.group != "" && g.ID != s.group {
			continue
		}
		if g.Synced.IsZero() {
			return u.loc.T("trainer.never_updated")
		}
		w := u.when(g.Synced)
		if oldest == "" || w < oldest {
			oldest = w
		}
		if w > newest {
			newest = w
		}
	}
	return u.loc.T("trainer.copy_from", map[string]any{"When": oldest})
}

// reason puts why a learner may need help in words.
func (s *dashboardScreen) reason(r group.Reason) string {
	u := s.u
	switch r.Kind {
	case group.ReasonWrong:
		key := "trainer.reason_wrong"
		if r.Right {
			key = "trainer.reason_wrong_right"
		}
		return u.loc.T(key, map[string]any{"Step": s.stepName(r.Lesson, r.Step), "Lesson": s.lessonName(r.Lesson), "Count": r.Wrong})
	case group.ReasonStalled:
		return u.loc.T("trainer.reason_stalled", map[string]any{"Lesson": s.lessonName(r.Lesson), "Days": r.Days})
	}
	return string(r.Kind)
}

// lessonName is a lesson's title, or its id for a lesson this app does
// not have.
func (s *dashboardScreen) lessonName(id string) string {
	if l := s.u.d.Course.Lesson(id); l != nil {
		return s.u.lessonTitle(l)
	}
	return id
}

// stepName is a question's title, or "question N".
func (s *dashboardScreen) stepName(lesson, step string) string {
	return s.u.stepName(lesson, step)
}

// stepName is a question's title in the interface's language, else its
// number among the lesson's steps, else its id.
func (u *UI) stepName(lesson, step string) string {
	l := u.d.Course.Lesson(lesson)
	if l == nil {
		return step
	}
	if t := strings.TrimSpace(u.text(l, learn.StepKey(step, learn.FieldTitle))); t != "" {
		return t
	}
	if i := l.StepIndex(step); i >= 0 {
		return u.loc.T("trainer.step_n", map[string]any{"N": i + 1})
	}
	return step
}

// tableRow lays out cells side by side at fractions of the width, with a
// line under the row.
func tableRow(fractions []float32, cells ...fyne.CanvasObject) fyne.CanvasObject {
	line := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	line.SetMinSize(fyne.NewSize(0, 1))
	return container.NewBorder(nil, line, nil, nil, container.New(columns(fractions), cells...))
}

// columns is a layout of cells side by side, each a fraction of the
// width, as tall as the tallest.
type columns []float32

func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	pad := theme.Padding()
	for i, o := range objs {
		w := size.Width * c[i%len(c)]
		o.Resize(fyne.NewSize(w-pad, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w
	}
}

func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h, w float32
	for i, o := range objs {
		m := o.MinSize()
		h = max(h, m.Height)
		if f := c[i%len(c)]; f > 0 {
			w = max(w, m.Width/f)
		}
	}
	return fyne.NewSize(min(w, 600), h)
}
