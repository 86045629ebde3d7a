package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// The question views. Each shows a question, takes an answer, and then
// shows kind feedback on every choice and the explanation, with "Try
// again". Nothing counts against the learner.

// feedback is the panel shown after an answer is checked.
type feedback struct {
	box *fyne.Container
}

func newFeedback() *feedback { return &feedback{box: container.NewVBox()} }

// show fills the panel: a heading for the verdict, notes on the choices,
// the explanation, and Try again when the answer was not right.
func (f *feedback) show(p *playerScreen, s learn.Step, v learn.Verdict, notes []fyne.CanvasObject, retry func()) {
	u := p.u
	title := u.loc.T("feedback.not_quite")
	ic := theme.InfoIcon()
	switch {
	case v.Correct:
		title, ic = u.loc.T("feedback.right"), theme.ConfirmIcon()
	case len(v.Right) > 0:
		title = u.loc.T("feedback.nearly")
	}
	objs := []fyne.CanvasObject{sides(widget.NewIcon(ic), nil, subheading(title))}
	objs = append(objs, notes...)
	objs = append(objs, markdownText(u.markdown(p.l, learn.StepKey(s.ID, learn.FieldExplanation))))
	if s.Kind.Simulation() {
		objs = append(objs, widget.NewSeparator(),
			sides(widget.NewIcon(theme.HomeIcon()), nil, subheading(u.loc.T("player.real_life"))),
			markdownText(u.markdown(p.l, learn.StepKey(s.ID, learn.FieldRealLife))))
	}
	if !v.Correct {
		objs = append(objs, tall(button(u.loc.T("player.try_again"), theme.ViewRefreshIcon(), false, func() {
			f.hide()
			retry()
		})))
	}
	f.box.Objects = []fyne.CanvasObject{xwidget.NewTile(container.NewVBox(objs...), nil)}
	state := xwidget.TileNote
	if v.Correct {
		state = xwidget.TileGood
	}
	f.box.Objects[0].(*xwidget.Tile).SetState(state)
	f.box.Refresh()
	// The feedback is the last thing on the step: bring it into view.
	if p.scroll != nil {
		p.scroll.Refresh() // lays the content out at its new height first
		p.scroll.ScrollToBottom()
	}
}

func (f *feedback) hide() {
	f.box.Objects = nil
	f.box.Refresh()
}

// choiceText returns the words of an option, item or part; a true/false
// option's words are the interface's "True" and "False".
func (p *playerScreen) choiceText(s learn.Step, id string) string {
	if s.Kind == learn.KindTrueFalse {
		return p.u.loc.T("player." + id)
	}
	return p.u.text(p.l, learn.ChoiceKey(s.ID, id, learn.FieldOptionText))
}

func (p *playerScreen) choiceFeedback(s learn.Step, id string) string {
	return p.u.markdown(p.l, learn.ChoiceKey(s.ID, id, learn.FieldFeedback))
}

// note is one line of feedback about a choice: a lead-in ("Also right:"),
// the choice's words, and why.
func (p *playerScreen) note(lead string, s learn.Step, id string) fyne.CanvasObject {
	objs := []fyne.CanvasObject{}
	if lead != "" {
		objs = append(objs, caption(lead))
	}
	if s.Kind != learn.KindTrueFalse {
		objs = append(objs, strong(p.choiceText(s, id)))
	}
	if fb := p.choiceFeedback(s, id); fb != "" {
		objs = append(objs, markdownText(fb))
	}
	return xwidget.Lines(objs...)
}

// notes lists feedback on the choices: the right ones chosen first, then
// the ones chosen that were not right, then the right ones missed, each
// group under its lead-in.
func (p *playerScreen) notes(s learn.Step, v learn.Verdict, rightLead, wrongLead, missedLead string) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	group := func(lead string, ids []string) {
		for i, id := range ids {
			if i > 0 {
				lead = ""
			}
			out = append(out, p.note(lead, s, id))
		}
	}
	group(rightLead, v.Right)
	group(wrongLead, v.Wrong)
	group(missedLead, v.Missed)
	return out
}

// optionTile is one choice: an icon showing whether it is picked, and
// its words.
func optionTile(text string, ic fyne.Resource, tapped func()) (*xwidget.Tile, *widget.Icon) {
	i := widget.NewIcon(ic)
	return xwidget.NewTile(sides(i, nil, para(text)), tapped), i
}

// choiceView: choice and truefalse steps. A tap answers at once.
type choiceView struct {
	p     *playerScreen
	s     learn.Step
	tiles map[string]*xwidget.Tile
	icons map[string]*widget.Icon
	fb    *feedback
}

func newChoiceView(p *playerScreen, s learn.Step) *choiceView {
	return &choiceView{p: p, s: s, tiles: map[string]*xwidget.Tile{}, icons: map[string]*widget.Icon{}, fb: newFeedback()}
}

func (v *choiceView) build() []fyne.CanvasObject {
	u := v.p.u
	var objs []fyne.CanvasObject
	if v.s.Kind == learn.KindTrueFalse {
		objs = append(objs, quote(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldStatement))))
	} else {
		objs = append(objs, strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))), caption(u.loc.T("player.choose_one")))
	}
	var opts []fyne.CanvasObject
	for _, id := range v.s.Options {
		t, ic := optionTile(v.p.choiceText(v.s, id), theme.RadioButtonIcon(), func() { v.onPick(id) })
		v.tiles[id], v.icons[id] = t, ic
		opts = append(opts, t)
	}
	if v.s.Kind == learn.KindTrueFalse {
		objs = append(objs, xwidget.Row(theme.Padding()*2, opts...))
	} else {
		objs = append(objs, opts...)
	}
	return append(objs, v.fb.box)
}

func (v *choiceView) onPick(id string) {
	verdict := v.p.answer(v.s, []string{id})
	for oid, t := range v.tiles {
		t.Disable()
		if oid == id {
			v.icons[oid].SetResource(theme.RadioButtonCheckedIcon())
			if verdict.Correct {
				t.SetState(xwidget.TileGood)
			} else {
				t.SetState(xwidget.TileNote)
			}
		}
	}
	v.fb.show(v.p, v.s, verdict, []fyne.CanvasObject{v.p.note("", v.s, id)}, v.reset)
}

func (v *choiceView) reset() {
	for id, t := range v.tiles {
		t.SetState(xwidget.TilePlain)
		t.Enable()
		v.icons[id].SetResource(theme.RadioButtonIcon())
	}
}

// pickView: multi and spot steps. The learner picks any number of
// choices (options, or the parts of a message), then checks.
type pickView struct {
	p     *playerScreen
	s     learn.Step
	tiles map[string]*xwidget.Tile
	icons map[string]*widget.Icon // multi and advert: a check box on each option
	// switches show a privacy screen's settings; chosen holds those on.
	switches map[string]*xwidget.Switch
	chosen   []string
	check    *xwidget.Button
	fb       *feedback
	// leads introduce the feedback on right picks, wrong picks and missed
	// right ones.
	leads [3]string
}

func newPickView(p *playerScreen, s learn.Step) *pickView {
	v := &pickView{p: p, s: s, tiles: map[string]*xwidget.Tile{}, icons: map[string]*widget.Icon{}, switches: map[string]*xwidget.Switch{}, fb: newFeedback()}
	t := p.u.loc.T
	switch s.Kind {
	case learn.KindSpot:
		v.leads = [3]string{t("feedback.found"), t("feedback.fine_part"), t("feedback.also_sign")}
	case learn.KindPrivacy:
		v.leads = [3]string{t("feedback.left_on"), t("feedback.still_on"), ""}
		// Every switch starts on, as on a new phone.
		v.chosen = slices.Clone(s.Options)
	default:
		v.leads = [3]string{"", "", t("feedback.also_right")}
	}
	return v
}

func (v *pickView) build() []fyne.CanvasObject {
	u := v.p.u
	objs := []fyne.CanvasObject{strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion)))}
	switch v.s.Kind {
	case learn.KindSpot:
		objs = append(objs, caption(u.loc.T("player.spot_hint")))
		msg := container.NewVBox()
		if from := u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldMessageFrom)); from != "" {
			msg.Add(caption(u.loc.T("player.from", map[string]any{"Sender": from})))
		}
		for _, id := range v.s.Parts {
			t := xwidget.NewTile(para(v.p.choiceText(v.s, id)), func() { v.onToggle(id) })
			v.tiles[id] = t
			msg.Add(t)
		}
		// The message sits in a bubble, as on a phone.
		objs = append(objs, xwidget.NewTile(msg, nil))
	case learn.KindPrivacy:
		objs = append(objs, caption(u.loc.T("player.privacy_hint")))
		for _, id := range v.s.Options {
			sw := xwidget.NewSwitch(true)
			lines := []fyne.CanvasObject{strong(v.p.choiceText(v.s, id))}
			if d := u.text(v.p.l, learn.ChoiceKey(v.s.ID, id, learn.FieldDetail)); d != "" {
				lines = append(lines, caption(d))
			}
			t := xwidget.NewTile(sides(nil, container.NewCenter(sw), xwidget.Lines(lines...)), func() { v.onToggle(id) })
			v.tiles[id], v.switches[id] = t, sw
			objs = append(objs, t)
		}
	default:
		if v.s.Kind == learn.KindAdvert {
			ad := container.NewVBox(caption(u.loc.T("player.advert")), markdownText(u.markdown(v.p.l, learn.StepKey(v.s.ID, learn.FieldAdvert))))
			objs = append(objs, xwidget.NewTile(ad, nil), caption(u.loc.T("player.advert_hint")))
		} else {
			objs = append(objs, caption(u.loc.T("player.choose_all")))
		}
		for _, id := range v.s.Options {
			t, ic := optionTile(v.p.choiceText(v.s, id), theme.CheckButtonIcon(), func() { v.onToggle(id) })
			v.tiles[id], v.icons[id] = t, ic
			objs = append(objs, t)
		}
	}
	v.check = button(u.loc.T("player.check"), theme.ConfirmIcon(), true, v.onCheck)
	if len(v.chosen) == 0 {
		v.check.Disable()
	}
	return append(objs, tall(v.check), v.fb.box)
}

// mark shows whether id is picked.
func (v *pickView) mark(id string, picked bool) {
	if sw := v.switches[id]; sw != nil {
		sw.SetOn(picked)
		return
	}
	state, ic := xwidget.TilePlain, theme.CheckButtonIcon()
	if picked {
		state, ic = xwidget.TileChosen, theme.CheckButtonCheckedIcon()
	}
	v.tiles[id].SetState(state)
	if i := v.icons[id]; i != nil {
		i.SetResource(ic)
	}
}

func (v *pickView) onToggle(id string) {
	if i := slices.Index(v.chosen, id); i >= 0 {
		v.chosen = slices.Delete(v.chosen, i, i+1)
	} else {
		v.chosen = append(v.chosen, id)
	}
	v.mark(id, slices.Contains(v.chosen, id))
	// A privacy screen may rightly end with every switch off.
	if len(v.chosen) > 0 || v.s.Kind == learn.KindPrivacy {
		v.check.Enable()
	} else {
		v.check.Disable()
	}
}

func (v *pickView) onCheck() {
	verdict := v.p.answer(v.s, slices.Clone(v.chosen))
	for id, t := range v.tiles {
		t.Disable()
		switch {
		case slices.Contains(verdict.Right, id):
			t.SetState(xwidget.TileGood)
		case slices.Contains(verdict.Wrong, id):
			t.SetState(xwidget.TileNote)
		}
	}
	v.check.Disable()
	notes := v.p.notes(v.s, verdict, v.leads[0], v.leads[1], v.leads[2])
	if v.s.Kind == learn.KindPrivacy {
		// Say why for the switches turned off too.
		var off []string
		for _, id := range v.s.Options {
			if !slices.Contains(v.chosen, id) {
				off = append(off, id)
			}
		}
		notes = append(notes, v.p.notes(v.s, learn.Verdict{Right: off}, v.p.u.loc.T("feedback.turned_off"), "", "")...)
	}
	v.fb.show(v.p, v.s, verdict, notes, v.reset)
}

// reset lets the learner change their picks and check again.
func (v *pickView) reset() {
	for id, t := range v.tiles {
		t.Enable()
		v.mark(id, slices.Contains(v.chosen, id))
	}
	v.check.Enable()
}

// orderView: move items up and down into the right order, then check.
type orderView struct {
	p     *playerScreen
	s     learn.Step
	order []string
	list  *fyne.Container
	tiles map[string]*xwidget.Tile
	moves []*xwidget.Button
	check *xwidget.Button
	fb    *feedback
	done  bool // checked, waiting for Try again
}

func newOrderView(p *playerScreen, s learn.Step) *orderView {
	return &orderView{p: p, s: s, order: learn.StartOrder(p.l.ID, s), tiles: map[string]*xwidget.Tile{}, fb: newFeedback()}
}

func (v *orderView) build() []fyne.CanvasObject {
	u := v.p.u
	v.list = container.NewVBox()
	v.check = button(u.loc.T("player.check"), theme.ConfirmIcon(), true, v.onCheck)
	v.layoutList()
	return []fyne.CanvasObject{
		strong(u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))),
		caption(u.loc.T("player.order_hint")),
		v.list, tall(v.check), v.fb.box,
	}
}

// layoutList rebuilds the rows in the current order.
func (v *orderView) layoutList() {
	v.list.Objects = nil
	v.moves = nil
	for i, id := range v.order {
		up := xwidget.NewButton("", theme.MoveUpIcon(), func() { v.onMove(id, -1) })
		down := xwidget.NewButton("", theme.MoveDownIcon(), func() { v.onMove(id, +1) })
		if i == 0 {
			up.Disable()
		}
		if i == len(v.order)-1 {
			down.Disable()
		}
		if v.done {
			up.Disable()
			down.Disable()
		}
		v.moves = append(v.moves, up, down)
		num := strong(v.p.u.loc.Num(i + 1))
		num.Wrap = false
		moves := container.NewHBox(xwidget.AtLeast(up, fyne.NewSquareSize(xwidget.MinTouch)), xwidget.AtLeast(down, fyne.NewSquareSize(xwidget.MinTouch)))
		t := v.tiles[id]
		if t == nil {
			t = xwidget.NewTile(nil, nil)
			v.tiles[id] = t
		}
		t.Content = sides(num, moves, para(v.p.choiceText(v.s, id)))
		t.Refresh()
		v.list.Add(t)
	}
	v.list.Refresh()
}

func (v *orderView) onMove(id string, by int) {
	i := slices.Index(v.order, id)
	j := i + by
	if i < 0 || j < 0 || j >= len(v.order) {
		return
	}
	v.order[i], v.order[j] = v.order[j], v.order[i]
	v.layoutList()
}

func (v *orderView) onCheck() {
	verdict := v.p.answer(v.s, slices.Clone(v.order))
	u := v.p.u
	for _, id := range v.order {
		if slices.Contains(verdict.Right, id) {
			v.tiles[id].SetState(xwidget.TileGood)
		} else {
			v.tiles[id].SetState(xwidget.TileNote)
		}
	}
	v.done = true
	v.layoutList()
	v.check.Disable()
	var notes []fyne.CanvasObject
	if !verdict.Correct {
		md := ""
		for i, id := range v.s.Items {
			md += v.p.u.loc.Num(i+1) + ". " + v.p.choiceText(v.s, id) + "\n"
		}
		notes = append(notes, caption(u.loc.T("feedback.right_order")), markdownText(md))
	}
	v.fb.show(v.p, v.s, verdict, notes, v.reset)
}

func (v *orderView) reset() {
	v.done = false
	for _, t := range v.tiles {
		t.SetState(xwidget.TilePlain)
	}
	v.layoutList()
	v.check.Enable()
}
