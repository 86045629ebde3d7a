package learn

import (
	"maps"
	"slices"
	"strings"
)

// Texts holds the words of a lesson or track in every language, keyed by
// stable ids such as "title" or "step.intro.text" (see the Key helpers).
// Structure and words live apart so that a translator never touches the
// structure.
type Texts struct {
	byLang map[string]map[string]string
	drafts map[string]bool
}

// Set stores the text for key in lang.
func (t *Texts) Set(lang, key, value string) {
	if t.byLang == nil {
		t.byLang = map[string]map[string]string{}
	}
	m := t.byLang[lang]
	if m == nil {
		m = map[string]string{}
		t.byLang[lang] = m
	}
	m[key] = value
}

// SetDraft marks the texts of lang as a draft translation that no person
// has reviewed yet.
func (t *Texts) SetDraft(lang string, draft bool) {
	if t.drafts == nil {
		t.drafts = map[string]bool{}
	}
	t.drafts[lang] = draft
}

// Draft reports whether the texts of lang are an unreviewed draft.
func (t Texts) Draft(lang string) bool { return t.drafts[lang] }

// Get returns the text for key in lang, falling back to DefaultLanguage
// for a string that lang lacks. It never returns the key itself: a text
// missing in every language is "".
func (t Texts) Get(lang, key string) string {
	if v, ok := t.byLang[lang][key]; ok && strings.TrimSpace(v) != "" {
		return v
	}
	return t.byLang[DefaultLanguage][key]
}

// Has reports whether lang itself (without fallback) has a text for key.
func (t Texts) Has(lang, key string) bool {
	v, ok := t.byLang[lang][key]
	return ok && strings.TrimSpace(v) != ""
}

// Keys returns the keys that lang has, sorted.
func (t Texts) Keys(lang string) []string {
	return slices.Sorted(maps.Keys(t.byLang[lang]))
}

// Languages returns the languages that have any text, sorted.
func (t Texts) Languages() []string {
	return slices.Sorted(maps.Keys(t.byLang))
}

// Text keys used by lessons and tracks.
const (
	KeyTitle       = "title"
	KeySummary     = "summary"
	KeyContentNote = "content_note"
)

// SkillKey returns the key of the words for a skill a lesson practises.
func SkillKey(skill string) string { return "skill." + skill }

// StepKey returns the key of a field of a step, such as "step.q1.question".
func StepKey(step, field string) string { return "step." + step + "." + field }

// ChoiceKey returns the key of a field of one option, item or part of a
// step, such as "step.q1.option.b.feedback".
func ChoiceKey(step, choice, field string) string {
	return "step." + step + ".option." + choice + "." + field
}

// Step text fields.
const (
	FieldTitle       = "title"       // every step: a short heading
	FieldText        = "text"        // read: Markdown body
	FieldImageAlt    = "image_alt"   // a step with an image: what it shows
	FieldQuestion    = "question"    // choice, multi, order, spot: what to do
	FieldStatement   = "statement"   // truefalse: the statement judged
	FieldExplanation = "explanation" // questions: shown after every answer
	FieldMessageFrom = "from"        // spot: who the message seems to come from
	FieldOptionText  = "text"        // option, item or part: its words
	FieldFeedback    = "feedback"    // option or part: why it is right or wrong
	FieldRealLife    = "real_life"   // simulations: what to do in real life
	FieldAdvert      = "advert"      // advert: the job advert (Markdown)
	FieldDetail      = "detail"      // privacy: what a setting does
	FieldBodyHint    = "body_hint"   // email: what to write in the message
	FieldNote        = "note"        // phrases: when to use a phrase
)

// StepFields lists, for a step, the text keys a complete translation has,
// each with whether the key is required in English.
func StepFields(s Step) []TextField {
	var out []TextField
	add := func(key string, required bool) { out = append(out, TextField{key, required}) }
	choice := func(c, field string, required bool) { add(ChoiceKey(s.ID, c, field), required) }
	add(StepKey(s.ID, FieldTitle), false)
	if s.Image != "" {
		add(StepKey(s.ID, FieldImageAlt), true)
	}
	switch s.Kind {
	case KindRead:
		add(StepKey(s.ID, FieldText), true)
		return out
	case KindPhrases:
		add(StepKey(s.ID, FieldText), false)
		for _, p := range s.Phrases {
			choice(p, FieldOptionText, true)
			choice(p, FieldNote, false)
		}
		return out
	case KindTrueFalse:
		add(StepKey(s.ID, FieldStatement), true)
	case KindSpot:
		add(StepKey(s.ID, FieldQuestion), true)
		add(StepKey(s.ID, FieldMessageFrom), false)
	case KindAdvert:
		add(StepKey(s.ID, FieldQuestion), true)
		add(StepKey(s.ID, FieldAdvert), true)
	default:
		add(StepKey(s.ID, FieldQuestion), true)
	}
	add(StepKey(s.ID, FieldExplanation), true)
	if s.Kind.Simulation() {
		add(StepKey(s.ID, FieldRealLife), true)
	}
	switch s.Kind {
	case KindTrueFalse:
		// The words "True" and "False" are UI strings.
		for _, c := range s.Options {
			choice(c, FieldFeedback, true)
		}
	case KindOrder:
		for _, c := range s.Items {
			choice(c, FieldOptionText, true)
		}
	case KindSpot:
		for _, c := range s.Parts {
			choice(c, FieldOptionText, true)
			// Only warning signs need to say why.
			choice(c, FieldFeedback, slices.Contains(s.Signs, c))
		}
	case KindInbox:
		for _, c := range s.Options {
			choice(c, FieldMessageFrom, true)
			choice(c, FieldOptionText, true)
			choice(c, FieldFeedback, true)
		}
	case KindPrivacy:
		for _, c := range s.Options {
			choice(c, FieldOptionText, true)
			choice(c, FieldDetail, false)
			choice(c, FieldFeedback, true)
		}
	case KindFlow:
		for _, sc := range s.Screens {
			add(ScreenKey(s.ID, sc.ID, FieldTitle), true)
			add(ScreenKey(s.ID, sc.ID, FieldText), len(sc.Choices) == 0)
			for _, c := range sc.Choices {
				add(ScreenChoiceKey(s.ID, sc.ID, c, FieldOptionText), true)
				// A choice that does not move on says where to look instead.
				add(ScreenChoiceKey(s.ID, sc.ID, c, FieldFeedback), c != sc.Next)
			}
		}
	case KindEmail:
		add(StepKey(s.ID, FieldBodyHint), false)
		for _, c := range s.Attachments {
			choice(c, FieldOptionText, true)
			choice(c, FieldFeedback, true)
		}
	case KindPasscode:
	case KindForm, KindCV, KindTrip, KindPayee, KindRecovery:
		out = append(out, practiceFields(s)...)
	default:
		for _, c := range s.Options {
			choice(c, FieldOptionText, true)
			choice(c, FieldFeedback, true)
		}
	}
	return out
}

// ScreenKey returns the key of a field of a flow screen, such as
// "step.book.screen.home.title".
func ScreenKey(step, screen, field string) string {
	return "step." + step + ".screen." + screen + "." + field
}

// ScreenChoiceKey returns the key of a field of a choice on a flow screen.
func ScreenChoiceKey(step, screen, choice, field string) string {
	return "step." + step + ".screen." + screen + ".option." + choice + "." + field
}

// TextField is one text key a lesson uses.
type TextField struct {
	Key      string
	Required bool // English must have it
}

// LessonFields lists every text key of a lesson.
func LessonFields(l *Lesson) []TextField {
	out := []TextField{{KeyTitle, true}, {KeySummary, true}}
	if l.ContentNote {
		out = append(out, TextField{KeyContentNote, true})
	}
	for _, sk := range l.Skills {
		out = append(out, TextField{SkillKey(sk), true})
	}
	for _, s := range l.Steps {
		out = append(out, StepFields(s)...)
	}
	return out
}
