package app

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// payeeView: a bank app's payee check. For each payment the learner
// reads why they are paying, sees the new payee's details, and the bank
// checks the name (Confirmation of Payee): it matches, nearly matches, or
// does not. The learner pays, uses the name on the account, or stops;
// each choice is explained at once.
type payeeView struct {
	p       *playerScreen
	s       learn.Step
	i       int      // the payment shown
	checked bool     // the bank has checked its name
	picks   []string // the action on each payment so far
	done    bool     // every payment made or stopped: the verdict is shown
	// situation is why the learner is paying, outside the app: the
	// world the payment comes from.
	situation *fyne.Container
	frame     *fyne.Container
	fb        *feedback
}

func newPayeeView(p *playerScreen, s learn.Step) *payeeView {
	return &payeeView{p: p, s: s, situation: container.NewVBox(), frame: container.NewStack(), fb: newFeedback()}
}

func (v *payeeView) build() []fyne.CanvasObject {
	v.show()
	return []fyne.CanvasObject{strong(v.p.u.text(v.p.l, learn.StepKey(v.s.ID, learn.FieldQuestion))), v.situation, v.frame, v.fb.box}
}

func (v *payeeView) text(pay, field string) string {
	return v.p.u.text(v.p.l, learn.ChoiceKey(v.s.ID, pay, field))
}

func (v *payeeView) show() {
	u := v.p.u
	pay := v.s.Payments[min(v.i, len(v.s.Payments)-1)]
	v.situation.Objects = []fyne.CanvasObject{xwidget.NewTile(xwidget.Lines(
		caption(u.loc.T("payee.count", map[string]any{"N": v.i + 1, "Total": len(v.s.Payments)})),
		para(v.text(pay.ID, learn.FieldOptionText))), nil)}
	v.situation.Refresh()
	body := []fyne.CanvasObject{
		subheading(u.loc.T("payee.new")),
		v.detail(u.loc.T("payee.name"), v.text(pay.ID, learn.FieldName), false),
	}
	sort, account := mockAccount(v.i)
	body = append(body, v.detail(u.loc.T("payee.sort_code"), sort, true), v.detail(u.loc.T("payee.account"), account, true))
	if !v.checked {
		next := button(u.loc.T("payee.continue"), nextIcon(), true, func() {
			v.checked = true
			v.show()
		})
		next.IconAfter = true
		body = append(body, tall(next))
	} else {
		body = append(body, v.result(pay)...)
	}
	header := []fyne.CanvasObject{strong(u.loc.T("payee.app"))}
	v.frame.Objects = []fyne.CanvasObject{u.mockFrame(bankTeal, header, container.NewVBox(body...))}
	v.frame.Refresh()
}

// detail is one of the payee's details, as a filled-in box.
func (v *payeeView) detail(name, value string, digits bool) fyne.CanvasObject {
	val := strong(value)
	if digits {
		val.Dir = textlayout.LTR // account numbers read left to right
		if xwidget.RTL {
			val.Alignment = fyne.TextAlignTrailing // on the side the other boxes start
		}
	}
	box := xwidget.NewTile(val, nil)
	return container.NewVBox(caption(name), box)
}

// mockAccount makes up a sort code and account number for payment i:
// plainly pretend, and different for each payment.
func mockAccount(i int) (sort, account string) {
	return fmt.Sprintf("%02d-%02d-%02d", 20+i*7, 41+i*3, 16+i*11), fmt.Sprintf("%08d", 31926810+i*4721)
}

// result shows what the bank's check found, and the actions it offers,
// or, once one is chosen, why it was right or not.
func (v *payeeView) result(pay learn.Payment) []fyne.CanvasObject {
	u := v.p.u
	var objs []fyne.CanvasObject
	switch pay.Result {
	case learn.MatchFull:
		objs = append(objs, notice(true, strong(u.loc.T("payee.match"))))
	case learn.MatchClose:
		objs = append(objs, notice(false, para(u.loc.T("payee.close")), strong(v.text(pay.ID, learn.FieldAccount))))
	default:
		objs = append(objs, notice(false, strong(u.loc.T("payee.none"))))
	}
	if v.i < len(v.picks) {
		// Chosen: say why, then go on.
		right := v.picks[v.i] == learn.PayeeChoice(pay.ID, string(pay.Right))
		_, action, _ := strings.Cut(v.picks[v.i], "/")
		lead := u.loc.T("feedback.not_quite")
		if right {
			lead = u.loc.T("feedback.right")
		}
		objs = append(objs, notice(right, strong(lead), caption(v.actionText(pay, learn.Action(action))),
			markdownText(u.markdown(v.p.l, learn.ChoiceKey(v.s.ID, pay.ID, learn.FieldFeedback)))))
		if v.done {
			return objs
		}
		next := u.loc.T("payee.next")
		if v.i == len(v.s.Payments)-1 {
			next = u.loc.T("payee.done")
		}
		return append(objs, actionTile(next, nextIcon(), v.onNext))
	}
	objs = append(objs, caption(u.loc.T("payee.what")))
	for _, a := range pay.Result.Actions() {
		objs = append(objs, xwidget.NewTile(sides(nil, widget.NewIcon(nextIcon()), para(v.actionText(pay, a))), func() {
			v.picks = append(v.picks, learn.PayeeChoice(pay.ID, string(a)))
			v.show()
		}))
	}
	return objs
}

func (v *payeeView) actionText(pay learn.Payment, a learn.Action) string {
	key := "payee." + string(a)
	if a == learn.ActionPay && pay.Result != learn.MatchFull {
		key = "payee.pay_anyway"
	}
	return v.p.u.loc.T(key)
}

func (v *payeeView) onNext() {
	if v.i < len(v.s.Payments)-1 {
		v.i++
		v.checked = false
		v.show()
		v.p.toTop()
		return
	}
	u := v.p.u
	v.done = true
	v.show()
	verdict := v.p.answer(v.s, slices.Clone(v.picks))
	var notes []fyne.CanvasObject
	for _, w := range verdict.Wrong {
		id, _, _ := strings.Cut(w, "/")
		i := slices.IndexFunc(v.s.Payments, func(p learn.Payment) bool { return p.ID == id })
		notes = append(notes, xwidget.Lines(
			caption(u.loc.T("payee.count", map[string]any{"N": i + 1, "Total": len(v.s.Payments)})),
			strong(v.text(id, learn.FieldName)),
			markdownText(u.markdown(v.p.l, learn.ChoiceKey(v.s.ID, id, learn.FieldFeedback)))))
	}
	v.fb.show(v.p, v.s, verdict, notes, v.restart)
}

func (v *payeeView) restart() {
	v.i, v.checked, v.picks, v.done = 0, false, nil, false
	v.show()
	v.p.toTop()
}
