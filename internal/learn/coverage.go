package learn

// Coverage counts how much of the course one language translates.
type Coverage struct {
	Lang string
	// Translated counts the texts the language has, out of Total: every
	// text English has in the tracks and lessons.
	Translated, Total int
	// DraftFiles counts the language's text files marked as drafts, out of
	// Files that the language has at all.
	DraftFiles, Files int
}

// Percent returns Translated as a percentage of Total.
func (c Coverage) Percent() float64 {
	if c.Total == 0 {
		return 100
	}
	return 100 * float64(c.Translated) / float64(c.Total)
}

// Coverage counts the texts of lang in every track and lesson.
func (c *Course) Coverage(lang string) Coverage {
	cv := Coverage{Lang: lang}
	count := func(t Texts, keys []string) {
		has := false
		for _, k := range keys {
			if !t.Has(DefaultLanguage, k) {
				continue
			}
			cv.Total++
			if t.Has(lang, k) {
				cv.Translated++
				has = true
			}
		}
		if has {
			cv.Files++
			if t.Draft(lang) {
				cv.DraftFiles++
			}
		}
	}
	if len(c.Tracks) > 0 {
		var keys []string
		for _, t := range c.Tracks {
			keys = append(keys, t.ID+"."+KeyTitle, t.ID+"."+KeySummary)
		}
		// Track texts are stored per track; count them as one file.
		var all Texts
		for _, t := range c.Tracks {
			for _, l := range t.Text.Languages() {
				for _, k := range t.Text.Keys(l) {
					all.Set(l, t.ID+"."+k, t.Text.Get(l, k))
				}
				all.SetDraft(l, t.Text.Draft(l))
			}
		}
		count(all, keys)
	}
	for _, t := range c.Tracks {
		for _, l := range c.TrackLessons(t) {
			var keys []string
			for _, f := range LessonFields(l) {
				keys = append(keys, f.Key)
			}
			count(l.Text, keys)
		}
	}
	return cv
}
