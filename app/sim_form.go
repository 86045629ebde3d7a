package app

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// formView: a GOV.UK-style form. One question a page; a problem with an
// answer is explained beside it, in words that say how to fix it; then
// "Check your answers", and the outcome. What is typed lives only in
// this view, and only whether each answer was good enough is recorded.
type formView struct {
	p      *playerScreen
	s      learn.Step
	page   int               // a field's index, or len(Fields): check your answers
	sent   bool              // the outcome page
	values map[string]string // what was entered, by field id; never stored
	// problem is what is wrong with the answer on this page ("" if none).
	problem string
	// toCheck: the page was opened with Change, so Continue goes back to
	// Check your answers.
	toCheck bool
	frame   *fyne.Container
	fb      *feedback

	// The inputs of the page shown.
	entry *widget.Entry
	date  [3]*widget.Entry
}

func newFormView(p *playerScreen, s learn.Step) *formView {
	return &formView{p: p, s: s, values: map[string]string{}, frame: container.NewStack(), fb: newFeedback()}
}

func (v *formView) build() []fyne.CanvasObject {
	u := v.p.u
	v.show()
	return []fyne.CanvasObject{
		strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))),
		caption(u.loc.T("form.practice")),
		v.frame, v.fb.box,
	}
}

func (v *formView) text(key string) string { return v.p.u.text(v.p.l, key) }

// show draws the page the learner is on.
func (v *formView) show() {
	u := v.p.u
	var body []fyne.CanvasObject
	switch {
	case v.sent:
		body = v.donePage()
	case v.page >= len(v.s.Fields):
		body = v.checkPage()
	default:
		body = v.fieldPage(v.s.Fields[v.page])
	}
	// The service's own look: GOV.UK's black header and green buttons,
	// or the NHS's blue.
	brand, colour, primary := "GOV.UK", color.Color(govukBlack), color.Color(govukGreen)
	if v.s.Style == "nhs" {
		brand, colour, primary = "NHS", styleColour("nhs"), styleColour("nhs")
	}
	if v.s.Style != "nhs" {
		// GOV.UK's blue line under its header.
		line := canvas.NewRectangle(govukBlue)
		line.SetMinSize(fyne.NewSize(0, 5))
		body = append([]fyne.CanvasObject{line}, body...)
	}
	header := []fyne.CanvasObject{strong(brand), para(v.text(learn.StepKey(v.s.ID, learn.FieldService)))}
	look := onColour{Theme: u.app.Settings().Theme(), primary: primary}
	v.frame.Objects = []fyne.CanvasObject{u.mockFrame(colour, header, container.NewThemeOverride(container.NewVBox(body...), look))}
	v.frame.Refresh()
}

func (v *formView) fieldPage(f learn.Field) []fyne.CanvasObject {
	u := v.p.u
	var objs []fyne.CanvasObject
	if v.page > 0 || v.toCheck {
		back := xwidget.NewButton(u.loc.T("form.back"), backIcon(), v.onBack)
		back.Importance = xwidget.Low
		objs = append(objs, sides(back, nil, nil))
	}
	if v.problem != "" {
		objs = append(objs, notice(false, strong(u.loc.T("form.problem")), para(v.problemText(f))))
	}
	q := v.text(learn.FieldKey(v.s.ID, f.ID, learn.FieldLabel))
	if f.Optional {
		q += " " + u.loc.T("form.optional")
	}
	objs = append(objs, subheading(q))
	if hint := v.text(learn.FieldKey(v.s.ID, f.ID, learn.FieldHint)); hint != "" {
		objs = append(objs, caption(hint))
	}
	value := v.values[f.ID]
	switch f.Input {
	case learn.InputDate:
		parts := strings.Split(value, "/")
		names := []string{"form.day", "form.month", "form.year"}
		var boxes []fyne.CanvasObject
		for i := range v.date {
			e := widget.NewEntry()
			if len(parts) == 3 {
				e.SetText(parts[i])
			}
			v.date[i] = e
			boxes = append(boxes, container.NewVBox(caption(u.loc.T(names[i])), xwidget.Tall(e)))
		}
		// The day first in the reading direction (on the right in Arabic
		// and Farsi), and first for Tab too.
		objs = append(objs, xwidget.Row(theme.Padding(), boxes...))
	case learn.InputChoice:
		for _, o := range f.Options {
			ic := theme.RadioButtonIcon()
			if o == value {
				ic = theme.RadioButtonCheckedIcon()
			}
			t, _ := optionTile(v.text(learn.FieldOptionKey(v.s.ID, f.ID, o, learn.FieldOptionText)), ic, func() { v.onPick(f, o) })
			if o == value {
				t.SetState(xwidget.TileChosen)
			}
			objs = append(objs, t)
		}
	default:
		if f.Input == learn.InputCode {
			objs = append(objs, mockMessage(u.loc.T("form.message"), v.text(learn.FieldKey(v.s.ID, f.ID, learn.FieldMessage)), f.Code))
		}
		v.entry = widget.NewEntry()
		v.entry.SetText(value)
		v.entry.OnSubmitted = func(string) { v.onContinue() }
		objs = append(objs, xwidget.Tall(v.entry))
	}
	return append(objs, tall(button(u.loc.T("form.continue"), nil, true, v.onContinue)))
}

// problemText says what to do about the problem on this page: the
// lesson's own words for an empty answer, if it has them.
func (v *formView) problemText(f learn.Field) string {
	if v.problem == learn.ProblemMissing {
		if t := v.text(learn.FieldKey(v.s.ID, f.ID, learn.FieldError)); t != "" {
			return t
		}
	}
	return v.p.u.loc.T("form.error_" + v.problem)
}

// read returns what the page's inputs hold.
func (v *formView) read(f learn.Field) string {
	switch f.Input {
	case learn.InputDate:
		return learn.DateValue(v.date[0].Text, v.date[1].Text, v.date[2].Text)
	case learn.InputChoice:
		return v.values[f.ID]
	}
	return v.entry.Text
}

func (v *formView) onPick(f learn.Field, option string) {
	v.values[f.ID] = option
	v.problem = ""
	v.show()
}

// turn shows another page, from its top.
func (v *formView) turn() {
	v.show()
	v.p.toTop()
}

func (v *formView) onContinue() {
	f := v.s.Fields[v.page]
	v.values[f.ID] = v.read(f)
	v.problem = learn.FieldProblem(f, v.values[f.ID], v.p.u.now())
	if v.problem != "" {
		v.show()
		return
	}
	v.page++
	if v.toCheck {
		v.page, v.toCheck = len(v.s.Fields), false
	}
	v.turn()
}

func (v *formView) onBack() {
	v.problem = ""
	if v.toCheck {
		v.page, v.toCheck = len(v.s.Fields), false
	} else if v.page > 0 {
		v.page--
	}
	v.turn()
}

func (v *formView) checkPage() []fyne.CanvasObject {
	u := v.p.u
	objs := []fyne.CanvasObject{subheading(u.loc.T("form.check")), caption(u.loc.T("form.check_hint"))}
	for i, f := range v.s.Fields {
		if f.Input == learn.InputCode {
			continue // a code is used once; the form does not show it again
		}
		change := xwidget.NewButton(u.loc.T("form.change"), theme.DocumentCreateIcon(), func() {
			v.page, v.toCheck, v.problem = i, true, ""
			v.turn()
		})
		change.Importance = xwidget.Low
		// Stacked, as GOV.UK does on a phone: a long answer has the
		// whole width.
		objs = append(objs, caption(v.text(learn.FieldKey(v.s.ID, f.ID, learn.FieldLabel))), strong(v.display(f)),
			sides(change, nil, nil), widget.NewSeparator())
	}
	return append(objs, tall(button(u.loc.T("form.send"), theme.ConfirmIcon(), true, v.onSend)))
}

// display is an answer as Check your answers shows it.
func (v *formView) display(f learn.Field) string {
	value := strings.TrimSpace(v.values[f.ID])
	switch {
	case f.Input == learn.InputChoice:
		return v.text(learn.FieldOptionKey(v.s.ID, f.ID, value, learn.FieldOptionText))
	case f.Input == learn.InputDate:
		value = strings.Join(strings.Fields(strings.ReplaceAll(value, "/", " ")), " ")
	}
	if value == "" {
		return v.p.u.loc.T("form.not_given")
	}
	return value
}

func (v *formView) onSend() {
	u := v.p.u
	verdict := v.p.answer(v.s, learn.FormAnswer(v.s, v.values, u.now()))
	var notes []fyne.CanvasObject
	for _, w := range verdict.Wrong {
		field, option, _ := strings.Cut(w, "/")
		notes = append(notes, xwidget.Lines(
			caption(v.text(learn.FieldKey(v.s.ID, field, learn.FieldLabel))),
			strong(v.text(learn.FieldOptionKey(v.s.ID, field, option, learn.FieldOptionText))),
			markdownText(u.markdown(v.p.l, learn.FieldOptionKey(v.s.ID, field, option, learn.FieldFeedback)))))
	}
	v.sent = verdict.Correct
	v.show()
	v.fb.show(v.p, v.s, verdict, notes, func() {
		v.page = len(v.s.Fields)
		v.turn()
	})
}

// donePage is the service's confirmation panel: GOV.UK's is green.
func (v *formView) donePage() []fyne.CanvasObject {
	u := v.p.u
	lines := []fyne.CanvasObject{heading(v.text(learn.StepKey(v.s.ID, learn.FieldDoneTitle))),
		markdownText(u.markdown(v.p.l, learn.StepKey(v.s.ID, learn.FieldDone)))}
	onDark(lines...)
	words := container.NewPadded(xwidget.Lines(lines...))
	bg := color.Color(govukGreen)
	if v.s.Style == "nhs" {
		bg = styleColour("nhs")
	}
	panel := container.NewStack(canvas.NewRectangle(bg), words)
	return []fyne.CanvasObject{panel}
}
