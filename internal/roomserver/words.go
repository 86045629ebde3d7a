package roomserver

import "github.com/waymark-app/waymark/internal/l10n"

// catalogWords are an l10n catalog's messages as the page's words.
type catalogWords map[string]*l10n.Localizer

func (w catalogWords) T(lang, id string, data map[string]any) string {
	l := w[lang]
	if l == nil {
		l = w["en"]
	}
	return l.T(id, data)
}

// FromCatalog returns a catalog's messages as the page's words, and its
// languages. It reads every language now, on the caller's goroutine, so
// that the server's goroutines only ever read the catalog.
func FromCatalog(c *l10n.Catalog) (Words, []Language) {
	w := catalogWords{}
	var langs []Language
	for _, l := range c.Languages {
		w[l.Tag] = c.Localizer(l.Tag)
		langs = append(langs, Language{Tag: l.Tag, Name: l.Name, RTL: l.RTL})
	}
	return w, langs
}
