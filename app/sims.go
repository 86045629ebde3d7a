package app

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// The practice simulations: offline mock-ups of an inbox, an app, an
// email, a passcode screen. Nothing typed into them is kept. Each ends
// with what to do in real life (feedback.show adds it).

// inboxView: sort each message into safe or scam.
type inboxView struct {
	p      *playerScreen
	s      learn.Step
	sorted map[string]bool // message id → marked as a scam
	cards  map[string]*xwidget.Tile
	marks  map[string][2]*xwidget.Tile // the Safe and Scam buttons
	check  *xwidget.Button
	fb     *feedback
}

func newInboxView(p *playerScreen, s learn.Step) *inboxView {
	return &inboxView{p: p, s: s, sorted: map[string]bool{}, cards: map[string]*xwidget.Tile{},
		marks: map[string][2]*xwidget.Tile{}, fb: newFeedback()}
}

func (v *inboxView) build() []fyne.CanvasObject {
	u := v.p.u
	objs := []fyne.CanvasObject{strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))), caption(u.loc.T("player.sort_all"))}
	for _, id := range v.s.Options {
		from := strong(u.text(v.p.l, learn.ChoiceKey(v.s.ID, id, learn.FieldMessageFrom)))
		msg := para(v.p.choiceText(v.s, id))
		mark := func(scam bool, text string, ic fyne.Resource) *xwidget.Tile {
			return xwidget.NewTile(sides(widget.NewIcon(ic), nil, strong(text)), func() { v.onSort(id, scam) })
		}
		safe := mark(false, u.loc.T("player.safe"), theme.ConfirmIcon())
		scam := mark(true, u.loc.T("player.scam"), theme.WarningIcon())
		v.marks[id] = [2]*xwidget.Tile{safe, scam}
		card := xwidget.NewTile(container.NewVBox(
			sides(widget.NewIcon(theme.MailComposeIcon()), nil, from),
			msg, xwidget.Row(theme.Padding()*2, safe, scam)), nil)
		v.cards[id] = card
		objs = append(objs, card)
	}
	v.check = button(u.loc.T("player.check"), theme.ConfirmIcon(), true, v.onCheck)
	v.check.Disable()
	return append(objs, tall(v.check), v.fb.box)
}

func (v *inboxView) onSort(id string, scam bool) {
	v.sorted[id] = scam
	m := v.marks[id]
	m[0].SetState(xwidget.TilePlain)
	m[1].SetState(xwidget.TilePlain)
	if scam {
		m[1].SetState(xwidget.TileChosen)
	} else {
		m[0].SetState(xwidget.TileChosen)
	}
	if len(v.sorted) == len(v.s.Options) {
		v.check.Enable()
	}
}

func (v *inboxView) onCheck() {
	var scams []string
	for _, id := range v.s.Options {
		if v.sorted[id] {
			scams = append(scams, id)
		}
	}
	verdict := v.p.answer(v.s, scams)
	u := v.p.u
	var notes []fyne.CanvasObject
	for _, id := range v.s.Options {
		isScam := slices.Contains(v.s.Correct, id)
		state := xwidget.TileGood
		if v.sorted[id] != isScam {
			state = xwidget.TileNote
		}
		v.cards[id].SetState(state)
		for _, m := range v.marks[id] {
			m.Disable()
		}
		lead := u.loc.T("player.safe")
		if isScam {
			lead = u.loc.T("player.scam")
		}
		from := u.text(v.p.l, learn.ChoiceKey(v.s.ID, id, learn.FieldMessageFrom))
		notes = append(notes, v.p.note(lead+" · "+from, v.s, id))
	}
	v.check.Disable()
	v.fb.show(v.p, v.s, verdict, notes, v.reset)
}

func (v *inboxView) reset() {
	for _, id := range v.s.Options {
		v.cards[id].SetState(xwidget.TilePlain)
		for _, m := range v.marks[id] {
			m.Enable()
		}
	}
	v.check.Enable()
}

// flowView: a mock app, one screen at a time.
type flowView struct {
	p      *playerScreen
	s      learn.Step
	screen int
	taps   []string // every tap, right or not: "screen/choice"
	frame  *fyne.Container
	hint   *fyne.Container
	fb     *feedback
}

func newFlowView(p *playerScreen, s learn.Step) *flowView {
	return &flowView{p: p, s: s, frame: container.NewStack(), hint: container.NewVBox(), fb: newFeedback()}
}

func (v *flowView) build() []fyne.CanvasObject {
	v.show(0)
	return []fyne.CanvasObject{strong(v.p.u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))), v.frame, v.hint, v.fb.box}
}

// styleColour is the header colour of a flow's mock screens.
func styleColour(style string) color.Color {
	switch style {
	case "nhs":
		return color.NRGBA{0x00, 0x5e, 0xb8, 0xff} // the NHS's own blue
	case "phone":
		return color.NRGBA{0x26, 0x32, 0x38, 0xff}
	}
	return theme.Color(theme.ColorNamePrimary)
}

// show draws screen i of the mock app.
func (v *flowView) show(i int) {
	u := v.p.u
	v.screen = i
	sc := v.s.Screens[i]
	title := strong(u.text(v.p.l, learn.ScreenKey(v.s.ID, sc.ID, learn.FieldTitle)))
	title.ColorName = colorOnDark
	header := container.NewStack(canvas.NewRectangle(styleColour(v.s.Style)), container.NewPadded(title))
	body := container.NewVBox()
	if t := u.markdown(v.p.l, learn.ScreenKey(v.s.ID, sc.ID, learn.FieldText)); t != "" {
		body.Add(markdownText(t))
	}
	for _, c := range sc.Choices {
		row := sides(nil, widget.NewIcon(nextIcon()),
			para(u.text(v.p.l, learn.ScreenChoiceKey(v.s.ID, sc.ID, c, learn.FieldOptionText))))
		body.Add(xwidget.NewTile(row, func() { v.onTap(c) }))
	}
	screenBg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	screenBg.StrokeColor = styleColour(v.s.Style)
	screenBg.StrokeWidth = 3
	screenBg.CornerRadius = 12
	inner := container.NewBorder(header, nil, nil, nil, container.New(layout.NewCustomPaddedLayout(8, 12, 8, 8), body))
	v.frame.Objects = []fyne.CanvasObject{screenBg, container.NewPadded(inner)}
	v.frame.Refresh()
	if len(sc.Choices) == 0 {
		v.finish()
	}
}

func (v *flowView) onTap(choice string) {
	sc := v.s.Screens[v.screen]
	v.taps = append(v.taps, sc.ID+"/"+choice)
	v.hint.Objects = nil
	if choice == sc.Next {
		v.hint.Refresh()
		v.show(v.screen + 1)
		return
	}
	// Not this way: a calm hint, and the learner tries again.
	hint := v.p.u.markdown(v.p.l, learn.ScreenChoiceKey(v.s.ID, sc.ID, choice, learn.FieldFeedback))
	t := xwidget.NewTile(sides(widget.NewIcon(theme.InfoIcon()), nil, markdownText(hint)), nil)
	t.SetState(xwidget.TileNote)
	v.hint.Objects = []fyne.CanvasObject{t}
	v.hint.Refresh()
}

func (v *flowView) finish() {
	verdict := v.p.answer(v.s, slices.Clone(v.taps))
	v.fb.show(v.p, v.s, verdict, nil, v.restart)
}

func (v *flowView) restart() {
	v.taps = nil
	v.hint.Objects = nil
	v.hint.Refresh()
	v.show(0)
}

// emailView: write an email and send it.
type emailView struct {
	p                 *playerScreen
	s                 learn.Step
	to, subject, body *widget.Entry
	attached          []string
	files             map[string]*xwidget.Tile
	icons             map[string]*widget.Icon
	send              *xwidget.Button
	fb                *feedback
}

func newEmailView(p *playerScreen, s learn.Step) *emailView {
	return &emailView{p: p, s: s, files: map[string]*xwidget.Tile{}, icons: map[string]*widget.Icon{}, fb: newFeedback()}
}

func (v *emailView) build() []fyne.CanvasObject {
	u := v.p.u
	v.to = widget.NewEntry()
	v.subject = widget.NewEntry()
	v.body = widget.NewMultiLineEntry()
	v.body.Wrapping = fyne.TextWrapWord
	v.body.SetMinRowsVisible(4)
	if hint := u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldBodyHint)); hint != "" {
		v.body.SetPlaceHolder(hint)
	}
	field := func(name string, e fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVBox(caption(name), xwidget.Tall(e))
	}
	objs := []fyne.CanvasObject{
		strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))),
		caption(u.loc.T("player.practice_only")),
		field(u.loc.T("email.to"), v.to),
	}
	if v.s.NeedSubject {
		objs = append(objs, field(u.loc.T("email.subject"), v.subject))
	}
	objs = append(objs, field(u.loc.T("email.message"), v.body))
	if len(v.s.Attachments) > 0 {
		objs = append(objs, caption(u.loc.T("email.attach")))
		for _, id := range v.s.Attachments {
			t, ic := optionTile(v.p.choiceText(v.s, id), theme.CheckButtonIcon(), func() { v.onAttach(id) })
			v.files[id], v.icons[id] = t, ic
			objs = append(objs, t)
		}
	}
	v.send = button(u.loc.T("email.send"), theme.MailSendIcon(), true, v.onSend)
	return append(objs, tall(v.send), v.fb.box)
}

func (v *emailView) onAttach(id string) {
	if i := slices.Index(v.attached, id); i >= 0 {
		v.attached = slices.Delete(v.attached, i, i+1)
		v.files[id].SetState(xwidget.TilePlain)
		v.icons[id].SetResource(theme.CheckButtonIcon())
		return
	}
	v.attached = append(v.attached, id)
	v.files[id].SetState(xwidget.TileChosen)
	v.icons[id].SetResource(theme.CheckButtonCheckedIcon())
}

func (v *emailView) onSend() {
	u := v.p.u
	answer := learn.EmailAnswer(v.s, v.to.Text, v.subject.Text, v.body.Text, slices.Clone(v.attached))
	verdict := v.p.answer(v.s, answer)
	var notes []fyne.CanvasObject
	if verdict.Correct {
		notes = append(notes, para(u.loc.T("email.sent")))
	}
	for _, m := range verdict.Missed {
		switch m {
		case learn.EmailTo:
			notes = append(notes, para(u.loc.T("email.to_wrong")))
		case learn.EmailSubject:
			notes = append(notes, para(u.loc.T("email.no_subject")))
		case learn.EmailBody:
			notes = append(notes, para(u.loc.T("email.no_body")))
		default:
			notes = append(notes, v.p.note(u.loc.T("email.attach_missing"), v.s, m))
		}
	}
	for _, w := range verdict.Wrong {
		notes = append(notes, v.p.note(u.loc.T("email.attach_wrong"), v.s, w))
	}
	for _, r := range verdict.Right {
		if slices.Contains(v.s.Attachments, r) {
			notes = append(notes, v.p.note("", v.s, r))
		}
	}
	v.send.Disable()
	v.fb.show(v.p, v.s, verdict, notes, func() { v.send.Enable() })
}

// passcodeView: make a PIN or password and watch its strength.
type passcodeView struct {
	p       *playerScreen
	s       learn.Step
	entry   *widget.Entry
	bar     *xwidget.Bar
	level   *xwidget.Text
	reasons *fyne.Container
	check   *xwidget.Button
	fb      *feedback
}

func newPasscodeView(p *playerScreen, s learn.Step) *passcodeView {
	return &passcodeView{p: p, s: s, fb: newFeedback()}
}

func (v *passcodeView) build() []fyne.CanvasObject {
	u := v.p.u
	v.entry = widget.NewPasswordEntry()
	v.entry.OnChanged = v.onChanged
	v.bar = xwidget.NewBar(0)
	v.level = strong("")
	v.reasons = container.NewVBox()
	v.check = button(u.loc.T("passcode.done"), theme.ConfirmIcon(), true, v.onCheck)
	v.check.Disable()
	return []fyne.CanvasObject{
		strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))),
		caption(u.loc.T("passcode.practice_" + v.s.Mode)),
		xwidget.Tall(v.entry), v.bar, v.level, v.reasons, tall(v.check), v.fb.box,
	}
}

func (v *passcodeView) onChanged(code string) {
	u := v.p.u
	v.reasons.Objects = nil
	if code == "" {
		v.bar.SetValue(0)
		v.level.SetText("")
		v.check.Disable()
		v.reasons.Refresh()
		return
	}
	strength, why := learn.PasscodeStrength(code, v.s.Mode)
	v.bar.SetValue(map[learn.Strength]float32{learn.Weak: 0.25, learn.Fair: 0.6, learn.Strong: 1}[strength])
	v.level.SetText(u.loc.T("passcode." + string(strength)))
	for _, r := range why {
		v.reasons.Add(sides(widget.NewIcon(theme.InfoIcon()), nil, para(u.loc.T("passcode.reason_"+r))))
	}
	v.reasons.Refresh()
	v.check.Enable()
}

func (v *passcodeView) onCheck() {
	strength, _ := learn.PasscodeStrength(v.entry.Text, v.s.Mode)
	// Only the strength is recorded, never the code.
	verdict := v.p.answer(v.s, []string{string(strength)})
	v.fb.show(v.p, v.s, verdict, nil, func() {
		v.entry.SetText("")
	})
}

// phrasesView: key English phrases beside the learner's language. They
// join the review deck the first time they are shown.
type phrasesView struct {
	p *playerScreen
	s learn.Step
}

func (v phrasesView) build() []fyne.CanvasObject {
	u := v.p.u
	var objs []fyne.CanvasObject
	if t := u.markdown(v.p.l, learn.StepKey(v.s.ID, learn.FieldText)); t != "" {
		objs = append(objs, markdownText(t))
	}
	for _, id := range v.s.Phrases {
		objs = append(objs, u.phraseCard(v.p.l, v.s.ID, id, true))
	}
	var fresh []string
	for _, id := range v.s.Phrases {
		if _, ok := u.progress.Phrases[learn.PhraseRef{Lesson: v.p.l.ID, Step: v.s.ID, Phrase: id}]; !ok {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) > 0 {
		u.record(learn.Event{Kind: learn.EventPhrasesAdded, Lesson: v.p.l.ID, Step: v.s.ID, Answer: fresh})
	}
	return append(objs, caption(u.loc.T("phrases.added")))
}

// phraseCard shows a phrase: the English, its meaning in the learner's
// language (if it is not English), and when to say it. With english
// false, the English is left out (the front of a review card).
func (u *UI) phraseCard(l *learn.Lesson, step, id string, english bool) fyne.CanvasObject {
	key := learn.ChoiceKey(step, id, learn.FieldOptionText)
	lang := u.loc.Language()
	objs := []fyne.CanvasObject{}
	if english {
		en := label(l.Text.Get(learn.DefaultLanguage, key), theme.SizeNameSubHeadingText, true)
		en.Dir = textlayout.LTR // English, even beside Arabic or Farsi
		objs = append(objs, en)
	}
	if lang.Tag != learn.DefaultLanguage && l.Text.Has(lang.Tag, key) {
		objs = append(objs, para(l.Text.Get(lang.Tag, key)))
	}
	if note := u.text(l, learn.ChoiceKey(step, id, learn.FieldNote)); note != "" {
		objs = append(objs, caption(note))
	}
	return xwidget.NewTile(xwidget.Lines(objs...), nil)
}
