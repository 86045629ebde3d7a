package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// cvView: a CV builder. The learner fills in each part, then sees their
// CV laid out as an employer would read it. What is typed stays in the
// entries and the preview; only which parts were filled in is recorded.
type cvView struct {
	p       *playerScreen
	s       learn.Step
	entries map[string]*widget.Entry
	preview *fyne.Container
	fb      *feedback
}

func newCVView(p *playerScreen, s learn.Step) *cvView {
	return &cvView{p: p, s: s, entries: map[string]*widget.Entry{}, preview: container.NewVBox(), fb: newFeedback()}
}

func (v *cvView) text(part, field string) string {
	return v.p.u.text(v.p.l, learn.ChoiceKey(v.s.ID, part, field))
}

func (v *cvView) build() []fyne.CanvasObject {
	u := v.p.u
	objs := []fyne.CanvasObject{
		strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))),
		caption(u.loc.T("cv.practice")),
	}
	for _, f := range v.s.Fields {
		e := widget.NewEntry()
		if f.Input == learn.InputLines {
			e = widget.NewMultiLineEntry()
			e.Wrapping = fyne.TextWrapWord
			e.SetMinRowsVisible(3)
		}
		v.entries[f.ID] = e
		name := v.text(f.ID, learn.FieldOptionText)
		if f.Optional {
			name += " " + u.loc.T("form.optional")
		}
		lines := []fyne.CanvasObject{strong(name)}
		// The example goes above the box, where it wraps: as a
		// placeholder it would set the box's width, and go as soon as
		// the learner types.
		if hint := v.text(f.ID, learn.FieldHint); hint != "" {
			lines = append(lines, caption(u.loc.T("cv.example", map[string]any{"Example": hint})))
		}
		objs = append(objs, container.NewVBox(xwidget.Lines(lines...), xwidget.Tall(e)))
	}
	show := button(u.loc.T("cv.show"), theme.VisibilityIcon(), true, v.onShow)
	return append(objs, tall(show), v.preview, v.fb.box)
}

func (v *cvView) values() map[string]string {
	out := make(map[string]string, len(v.entries))
	for id, e := range v.entries {
		out[id] = e.Text
	}
	return out
}

func (v *cvView) onShow() {
	u := v.p.u
	values := v.values()
	verdict := v.p.answer(v.s, learn.CVAnswer(v.s, values))
	v.preview.Objects = []fyne.CanvasObject{caption(u.loc.T("cv.preview")), v.page(values)}
	v.preview.Refresh()
	notes := v.p.notes(v.s, learn.Verdict{Wrong: verdict.Wrong, Missed: verdict.Missed}, "", u.loc.T("cv.leave_off"), u.loc.T("cv.missing"))
	v.fb.show(v.p, v.s, verdict, notes, func() {})
}

// page lays the CV out: the parts with no heading (the name, then the
// contact details) at the top, then each part under its heading.
func (v *cvView) page(values map[string]string) fyne.CanvasObject {
	var top, contact, sections []fyne.CanvasObject
	for _, f := range v.s.Fields {
		value := strings.TrimSpace(values[f.ID])
		if value == "" {
			continue
		}
		heading := v.text(f.ID, learn.FieldHeading)
		switch {
		case heading != "":
			// A section: its heading, then its lines close together.
			lines := []fyne.CanvasObject{subheading(heading)}
			for _, line := range strings.Split(value, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					lines = append(lines, para(line))
				}
			}
			sections = append(sections, widget.NewSeparator(), xwidget.Lines(lines...))
		case len(top) == 0:
			top = append(top, label(value, theme.SizeNameHeadingText, true))
		default:
			contact = append(contact, para(strings.Join(strings.Fields(value), " ")))
		}
	}
	objs := append(append(top, contact...), sections...)
	if len(objs) == 0 {
		objs = append(objs, caption(v.p.u.loc.T("cv.empty")))
	}
	return xwidget.NewTile(container.NewVBox(objs...), nil)
}
