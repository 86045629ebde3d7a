package app

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// journeyScreen is My Journey: the survivor's own checklist of steps in
// rebuilding their life, with dates and private notes. It belongs to them:
// it is sealed on the device with the rest of their record, and nothing
// is shared unless they switch it on for a step, and only once sync
// exists.
type journeyScreen struct{ u *UI }

func (u *UI) showJourney() {
	s := journeyScreen{u}
	u.showSection(sectionJourney, u.showJourney, func() string { return u.loc.T("journey.title") }, s.build)
}

func (s journeyScreen) build() fyne.CanvasObject {
	u := s.u
	objs := []fyne.CanvasObject{para(u.loc.T("journey.intro"))}
	if !u.hasPIN() {
		t := xwidget.NewTile(container.NewVBox(
			sides(widget.NewIcon(theme.WarningIcon()), nil, para(u.loc.T("journey.no_pin"))),
			tall(button(u.loc.T("journey.set_pin"), theme.SettingsIcon(), false, u.showSettings))), nil)
		t.SetState(xwidget.TileNote)
		objs = append(objs, t)
	} else {
		objs = append(objs, sides(widget.NewIcon(theme.VisibilityOffIcon()), nil, caption(u.loc.T("journey.locked"))))
	}
	journey := u.progress.Journey()
	done := 0
	for _, m := range journey {
		if m.IsDone() {
			done++
		}
	}
	objs = append(objs, subheading(u.loc.N("journey.count", len(journey), map[string]any{"Done": done})))
	for _, m := range journey {
		objs = append(objs, s.tile(m))
	}
	objs = append(objs, tall(button(u.loc.T("journey.add"), theme.ContentAddIcon(), false, u.showAddMilestone)))
	return page(objs...)
}

func (s journeyScreen) tile(m learn.MilestoneState) fyne.CanvasObject {
	u := s.u
	ic := theme.CheckButtonIcon()
	status := u.loc.T("journey.not_yet")
	if m.IsDone() {
		ic = theme.CheckButtonCheckedIcon()
		status = u.loc.T("journey.done")
		if d := m.Date(); d != "" {
			status = u.loc.T("journey.done_on", map[string]any{"Date": d})
		}
	}
	if m.Note.Value != "" {
		status += " · " + u.loc.T("journey.has_note")
	}
	if m.Shared() {
		status += " · " + u.loc.T("journey.shared")
	}
	body := xwidget.Lines(strong(u.milestoneTitle(m)), caption(status))
	t := xwidget.NewTile(sides(widget.NewIcon(ic), nil, body), func() { u.showMilestone(m.ID) })
	if m.IsDone() {
		t.SetState(xwidget.TileGood)
	}
	return t
}

// milestoneTitle is a default milestone's name, or the title the learner
// gave their own.
func (u *UI) milestoneTitle(m learn.MilestoneState) string {
	if !m.Custom {
		return u.loc.T("journey.m." + m.ID)
	}
	return m.Title.Value
}

// milestoneScreen shows one milestone: done or not and when, a private
// note, the lessons that help, and whether it may be shared.
type milestoneScreen struct {
	u    *UI
	id   string
	date *widget.Entry
	note *widget.Entry
	msg  *xwidget.Text
}

func (u *UI) showMilestone(id string) {
	s := &milestoneScreen{u: u, id: id}
	u.showScreen(nil, s.build)
}

func (s *milestoneScreen) state() learn.MilestoneState {
	m := s.u.progress.Milestones[s.id]
	m.ID = s.id
	return m
}

func (s *milestoneScreen) build() fyne.CanvasObject {
	u := s.u
	m := s.state()
	s.msg = caption("")
	doneSwitch := xwidget.NewSwitch(m.IsDone())
	doneTile := xwidget.NewTile(sides(nil, container.NewCenter(doneSwitch), strong(u.loc.T("journey.mark_done"))), s.onToggleDone)
	s.date = widget.NewEntry()
	s.date.SetPlaceHolder(u.loc.T("journey.date_hint"))
	s.date.SetText(m.Date())
	s.date.OnChanged = func(string) { u.touch() }
	s.note = widget.NewMultiLineEntry()
	s.note.Wrapping = fyne.TextWrapWord
	s.note.SetMinRowsVisible(4)
	s.note.SetText(m.Note.Value)
	s.note.OnChanged = func(string) { u.touch() }

	objs := []fyne.CanvasObject{heading(u.milestoneTitle(m)), doneTile}
	if m.IsDone() {
		objs = append(objs, caption(u.loc.T("journey.date")), xwidget.Tall(s.date))
	}
	objs = append(objs,
		subheading(u.loc.T("journey.note")),
		caption(u.noteProtection()),
		s.note,
		tall(button(u.loc.T("journey.save"), theme.DocumentSaveIcon(), true, s.onSave)),
		s.msg,
	)
	if d := learn.DefaultMilestone(s.id); d != nil {
		var lessons []fyne.CanvasObject
		for _, id := range d.Lessons {
			if l := u.d.Course.Lesson(id); l != nil {
				lessons = append(lessons, u.lessonTile(l))
			}
		}
		if len(lessons) > 0 {
			objs = append(objs, subheading(u.loc.T("journey.lessons")))
			objs = append(objs, lessons...)
		}
	}
	shareSwitch := xwidget.NewSwitch(m.Shared())
	shareTile := xwidget.NewTile(sides(nil, container.NewCenter(shareSwitch),
		xwidget.Lines(strong(u.loc.T("journey.share")), caption(u.loc.T("journey.share_hint")))), s.onToggleShare)
	objs = append(objs, widget.NewSeparator(), shareTile)
	if m.Custom {
		objs = append(objs, tall(button(u.loc.T("journey.remove"), theme.DeleteIcon(), false, s.onRemove)))
	}
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showJourney)
	return container.NewBorder(u.topBar(u.loc.T("journey.title"), back), nil, nil, nil, page(objs...))
}

// noteProtection says plainly how safe a note is.
func (u *UI) noteProtection() string {
	if u.hasPIN() {
		return u.loc.T("journey.note_locked")
	}
	return u.loc.T("journey.note_device_only")
}

func (s *milestoneScreen) onToggleDone() {
	u := s.u
	m := s.state()
	date := ""
	if !m.IsDone() {
		date = u.now().Format(time.DateOnly)
	}
	u.record(learn.Event{Kind: learn.EventMilestoneDone, Target: s.id, Correct: !m.IsDone(), Data: date})
	u.rebuild()
}

func (s *milestoneScreen) onToggleShare() {
	m := s.state()
	s.u.record(learn.Event{Kind: learn.EventMilestoneShare, Target: s.id, Correct: !m.Shared()})
	s.u.rebuild()
}

func (s *milestoneScreen) onSave() {
	u := s.u
	m := s.state()
	if m.IsDone() && s.date.Text != m.Date() {
		if _, err := time.Parse(time.DateOnly, s.date.Text); err != nil && s.date.Text != "" {
			s.msg.SetText(u.loc.T("journey.date_bad"))
			return
		}
		u.record(learn.Event{Kind: learn.EventMilestoneDone, Target: s.id, Correct: true, Data: s.date.Text})
	}
	if s.note.Text != m.Note.Value {
		u.record(learn.Event{Kind: learn.EventMilestoneNote, Target: s.id, Data: s.note.Text})
	}
	s.msg.SetText(u.loc.T("journey.saved"))
}

func (s *milestoneScreen) onRemove() {
	u := s.u
	u.confirm(u.loc.T("journey.remove_confirm"), u.loc.T("journey.remove"), func() {
		u.record(learn.Event{Kind: learn.EventMilestoneRemoved, Target: s.id})
		u.showJourney()
	}, func() { u.showMilestone(s.id) })
}

// showAddMilestone asks for the title of the learner's own milestone.
func (u *UI) showAddMilestone() {
	title := widget.NewEntry()
	title.SetPlaceHolder(u.loc.T("journey.add_hint"))
	add := func() {
		if title.Text == "" {
			return
		}
		var b [8]byte
		rand.Read(b[:])
		id := "own-" + hex.EncodeToString(b[:])
		u.record(learn.Event{Kind: learn.EventMilestoneAdded, Target: id, Data: title.Text})
		u.showMilestone(id)
	}
	title.OnSubmitted = func(string) { add() }
	u.showScreen(nil, func() fyne.CanvasObject {
		back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.showJourney)
		body := page(heading(u.loc.T("journey.add")), caption(u.noteProtection()), xwidget.Tall(title),
			tall(button(u.loc.T("journey.save"), theme.ContentAddIcon(), true, add)))
		return container.NewBorder(u.topBar(u.loc.T("journey.title"), back), nil, nil, nil, body)
	})
}

// confirm asks a yes-or-no question on a screen of its own, with our own
// translated buttons (Fyne's dialogs would say "Yes" and "No" in the
// system's language).
func (u *UI) confirm(question, yes string, onYes, onNo func()) {
	u.showScreen(nil, func() fyne.CanvasObject {
		no := button(u.loc.T("confirm.no"), backIcon(), false, onNo)
		ok := button(yes, theme.ConfirmIcon(), true, onYes)
		return container.NewBorder(u.topBar(u.loc.T("app.name"), nil), bottomBar(no, ok), nil, nil, page(para(question)))
	})
}
