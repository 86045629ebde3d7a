package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// tripView: a trip with contactless. At the gates the learner chooses
// what to touch on the yellow reader (a card, a phone, a purse with two
// cards in it), rides, and at the end touches out, or walks out without
// touching. Then they see their journey and what it costs them.
type tripView struct {
	p       *playerScreen
	s       learn.Step
	stage   int      // the stage shown: one of the trip* constants
	touches []string // every touch, in order, as learn.Touch ids
	in, out string   // the card touched in and out with; out NoTouch: not touched out
	// reader is what the reader last said: "" (waiting), a card refused
	// (a clash), or a card taken.
	reader string
	frame  *fyne.Container
	fb     *feedback
}

// The stages of a trip.
const (
	tripIn   = iota // at the gates at the start
	tripRide        // on the train
	tripOut         // at the gates at the end
	tripDone        // the journey, as the fare system sees it
)

func newTripView(p *playerScreen, s learn.Step) *tripView {
	return &tripView{p: p, s: s, frame: container.NewStack(), fb: newFeedback()}
}

func (v *tripView) build() []fyne.CanvasObject {
	v.show()
	return []fyne.CanvasObject{strong(v.p.u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))), v.frame, v.fb.box}
}

func (v *tripView) text(key string) string { return v.p.u.text(v.p.l, key) }

func (v *tripView) cardName(card string) string {
	return v.text(learn.ChoiceKey(v.s.ID, card, learn.FieldOptionText))
}

func (v *tripView) show() {
	u := v.p.u
	// The header says where the learner is: a station, or on the way.
	place := v.text(learn.StepKey(v.s.ID, learn.FieldStart))
	switch {
	case v.stage == tripRide:
		place = u.loc.T("trip.route", map[string]any{"Start": place, "End": v.text(learn.StepKey(v.s.ID, learn.FieldEnd))})
	case v.stage >= tripOut:
		place = v.text(learn.StepKey(v.s.ID, learn.FieldEnd))
	}
	var body []fyne.CanvasObject
	switch v.stage {
	case tripIn, tripOut:
		body = v.gates()
	case tripRide:
		ride := v.text(learn.StepKey(v.s.ID, learn.FieldRide))
		if ride == "" {
			ride = u.loc.T("trip.riding")
		}
		body = []fyne.CanvasObject{para(ride), actionTile(u.loc.T("trip.exit"), nextIcon(), func() {
			v.stage, v.reader = tripOut, ""
			v.show()
		})}
	case tripDone:
		body = v.summary()
	}
	v.frame.Objects = []fyne.CanvasObject{u.mockFrame(transport, []fyne.CanvasObject{strong(place)}, container.NewVBox(body...))}
	v.frame.Refresh()
}

// gates shows the yellow reader, what it said, and what the learner can
// touch on it.
func (v *tripView) gates() []fyne.CanvasObject {
	u := v.p.u
	out := v.stage == tripOut
	where, readerWord := u.loc.T("trip.at_gates"), u.loc.T("trip.reader_in")
	if out {
		where, readerWord = u.loc.T("trip.exit_gates"), u.loc.T("trip.reader_out")
	}
	objs := []fyne.CanvasObject{para(where), v.readerPad(readerWord)}
	switch {
	case v.reader != "" && slices.Contains(v.s.Clash, v.reader):
		lines := []fyne.CanvasObject{strong(u.loc.T("trip.clash"))}
		if fb := u.markdown(v.p.l, learn.ChoiceKey(v.s.ID, v.reader, learn.FieldFeedback)); fb != "" {
			lines = append(lines, markdownText(fb))
		}
		objs = append(objs, notice(false, lines...))
	case v.reader != "":
		// Taken: the gate opens, and the journey goes on.
		objs = append(objs, notice(true, strong(u.loc.T("trip.open")),
			para(u.loc.T("trip.touched_in", map[string]any{"Card": v.cardName(v.reader)}))),
			actionTile(u.loc.T("trip.board"), nextIcon(), func() {
				v.stage, v.reader = tripRide, ""
				v.show()
			}))
		return objs
	}
	objs = append(objs, caption(u.loc.T("trip.what")))
	for _, c := range v.s.Cards {
		ic := cardIcon(1)
		if slices.Contains(v.s.Clash, c) {
			ic = cardIcon(2) // a purse: more than one card
		}
		objs = append(objs, xwidget.NewTile(sides(ic, nil, para(v.cardName(c))), func() { v.onTouch(c) }))
	}
	if out {
		t := xwidget.NewTile(sides(widget.NewIcon(nextIcon()), nil, para(u.loc.T("trip.no_touch"))), func() { v.onTouch(learn.NoTouch) })
		objs = append(objs, t)
	}
	return objs
}

// readerPad is the yellow card reader at the gates.
func (v *tripView) readerPad(word string) fyne.CanvasObject {
	pad := canvas.NewRectangle(readerGold)
	pad.CornerRadius = 10
	t := strong(word)
	t.Alignment = fyne.TextAlignCenter
	dark := onColour{Theme: v.p.u.app.Settings().Theme(), fg: govukBlack}
	inner := container.New(layout.NewCustomPaddedLayout(14, 14, 12, 12), t)
	// Wide enough for its words on one line, as a real reader's sign.
	return container.NewCenter(xwidget.AtLeast(container.NewStack(pad, container.NewThemeOverride(inner, dark)), fyne.NewSize(180, 0)))
}

// cardIcon is a small bank card, or n of them one behind the other.
func cardIcon(n int) fyne.CanvasObject {
	card := func() fyne.CanvasObject {
		body := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		body.CornerRadius = 4
		body.StrokeColor = theme.Color(theme.ColorNameBackground)
		body.StrokeWidth = 1
		chip := canvas.NewRectangle(readerGold)
		chip.SetMinSize(fyne.NewSize(10, 7))
		return container.NewStack(body, container.New(layout.NewCustomPaddedLayout(7, 0, 6, 0), container.NewHBox(chip)))
	}
	objs := []fyne.CanvasObject{}
	for i := range n {
		// Each card a little lower and further on than the one before.
		off := float32(i * 6)
		objs = append(objs, container.New(layout.NewCustomPaddedLayout(off, float32(n-1-i)*6, off, float32(n-1-i)*6), card()))
	}
	return container.NewCenter(xwidget.AtLeast(container.NewStack(objs...), fyne.NewSize(36+float32(n-1)*6, 24+float32(n-1)*6)))
}

func (v *tripView) onTouch(card string) {
	stage := learn.TouchIn
	if v.stage == tripOut {
		stage = learn.TouchOut
	}
	v.touches = append(v.touches, learn.Touch(stage, card))
	switch {
	case slices.Contains(v.s.Clash, card):
		v.reader = card // refused: nothing paid, the learner tries again
	case stage == learn.TouchIn:
		v.in, v.reader = card, card
	default:
		v.out = card
		v.stage = tripDone
	}
	v.show()
	if v.stage == tripDone {
		v.finish()
	}
}

// summary is the journey as the fare system sees it.
func (v *tripView) summary() []fyne.CanvasObject {
	u := v.p.u
	route := u.loc.T("trip.route", map[string]any{"Start": v.text(learn.StepKey(v.s.ID, learn.FieldStart)), "End": v.text(learn.StepKey(v.s.ID, learn.FieldEnd))})
	outLine := u.loc.T("trip.not_out")
	if v.out != learn.NoTouch {
		outLine = u.loc.T("trip.touched_out", map[string]any{"Card": v.cardName(v.out)})
	}
	good := v.out == v.in
	return []fyne.CanvasObject{
		subheading(u.loc.T("trip.your_journey")), para(route),
		notice(good, para(u.loc.T("trip.touched_in", map[string]any{"Card": v.cardName(v.in)})), para(outLine)),
	}
}

func (v *tripView) finish() {
	u := v.p.u
	verdict := v.p.answer(v.s, slices.Clone(v.touches))
	var notes []fyne.CanvasObject
	switch {
	case v.out == learn.NoTouch:
		notes = append(notes, markdownText(u.markdown(v.p.l, learn.StepKey(v.s.ID, learn.FieldNoTouch))))
	case v.out != v.in:
		notes = append(notes, markdownText(u.markdown(v.p.l, learn.StepKey(v.s.ID, learn.FieldDifferent))))
	}
	v.fb.show(v.p, v.s, verdict, notes, v.restart)
}

func (v *tripView) restart() {
	v.stage, v.touches, v.in, v.out, v.reader = tripIn, nil, "", "", ""
	v.show()
	v.p.toTop()
}
