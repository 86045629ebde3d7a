package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// reviewSize is how many phrases one review session brings back: a few
// minutes, never a chore.
const reviewSize = 10

// reviewScreen brings back English phrases the learner has met, the ones
// they find hard more often (spaced repetition). A card shows the meaning
// and when to say it; the learner thinks of the English, shows it, and
// says whether they knew it. "Not yet" is not a failure: the phrase just
// comes back sooner.
type reviewScreen struct {
	u     *UI
	cards []learn.PhraseState
	i     int
	shown bool // the English is showing
	back  func()
}

func (u *UI) showReview() {
	s := &reviewScreen{u: u, cards: u.duePhrases(), back: u.rebuildTarget()}
	u.showScreen(nil, s.build)
}

// duePhrases returns the phrases due now whose lessons still have them.
func (u *UI) duePhrases() []learn.PhraseState {
	var out []learn.PhraseState
	for _, p := range u.progress.DuePhrases(u.now(), 0) {
		if l := u.d.Course.Lesson(p.Lesson); l != nil && l.Text.Has(learn.DefaultLanguage, learn.ChoiceKey(p.Step, p.Phrase, learn.FieldOptionText)) {
			out = append(out, p)
		}
		if len(out) == reviewSize {
			break
		}
	}
	return out
}

func (s *reviewScreen) build() fyne.CanvasObject {
	u := s.u
	done := button(u.loc.T("review.finish"), backIcon(), false, s.back)
	if s.i >= len(s.cards) {
		msg := u.loc.T("review.done")
		if len(s.cards) == 0 {
			msg = u.loc.T("review.empty")
		}
		return container.NewBorder(u.topBar(u.loc.T("review.title"), nil), bottomBar(done), nil, nil,
			page(container.NewCenter(icon("chat", 96)), para(msg)))
	}
	c := s.cards[s.i]
	l := u.d.Course.Lesson(c.Lesson)
	where := caption(u.loc.T("review.count", map[string]any{"N": s.i + 1, "Total": len(s.cards)}))
	objs := []fyne.CanvasObject{where, strong(u.loc.T("review.prompt")), u.phraseCard(l, c.Step, c.Phrase, false)}
	var actions []fyne.CanvasObject
	if s.shown {
		en := label(l.Text.Get(learn.DefaultLanguage, learn.ChoiceKey(c.Step, c.Phrase, learn.FieldOptionText)), theme.SizeNameHeadingText, true)
		en.Dir = textlayout.LTR
		english := xwidget.NewTile(en, nil)
		english.SetState(xwidget.TileChosen)
		objs = append(objs, english, caption(u.loc.T("review.honest")))
		actions = []fyne.CanvasObject{
			button(u.loc.T("review.not_yet"), theme.ViewRefreshIcon(), false, func() { s.onAnswer(false) }),
			button(u.loc.T("review.knew"), theme.ConfirmIcon(), true, func() { s.onAnswer(true) }),
		}
	} else {
		actions = []fyne.CanvasObject{button(u.loc.T("review.show"), theme.VisibilityIcon(), true, s.onShow)}
	}
	return container.NewBorder(u.topBar(u.loc.T("review.title"), done), bottomBar(actions...), nil, nil, page(objs...))
}

func (s *reviewScreen) onShow() {
	s.shown = true
	s.u.rebuild()
}

func (s *reviewScreen) onAnswer(knew bool) {
	c := s.cards[s.i]
	s.u.record(learn.Event{Kind: learn.EventPhraseReviewed, Lesson: c.Lesson, Step: c.Step, Answer: []string{c.Phrase}, Correct: knew})
	s.i++
	s.shown = false
	s.u.rebuild()
}

// reviewTile offers a review session when phrases are due, or nil.
func (u *UI) reviewTile() fyne.CanvasObject {
	n := len(u.duePhrases())
	if n == 0 {
		return nil
	}
	body := container.NewVBox(
		withLead(icon("chat", 48), xwidget.Lines(subheading(u.loc.T("review.title")), caption(u.loc.N("review.due", n)))),
		tall(button(u.loc.T("review.start"), nextIcon(), false, u.showReview)),
	)
	return xwidget.NewTile(body, u.showReview)
}

// now is the wall clock the interface uses; tests may set it.
func (u *UI) now() time.Time {
	if u.clockNow != nil {
		return u.clockNow()
	}
	return time.Now()
}
