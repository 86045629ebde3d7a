package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// languageTiles lists every interface language by its own name, each in a
// font for its script, with its English name underneath for trainers. The
// learner's language is marked.
func (u *UI) languageTiles(picked func(tag string)) []fyne.CanvasObject {
	current := u.loc.Language().Tag
	var out []fyne.CanvasObject
	for _, lang := range u.d.Catalog.Languages {
		ic := theme.RadioButtonIcon()
		if lang.Tag == current {
			ic = theme.RadioButtonCheckedIcon()
		}
		name := strong(lang.Name)
		// Each name reads in its own direction, but all line up with the
		// interface's reading start.
		if !xwidget.RTL {
			name.Dir = textlayout.LTR
		}
		// Only the name needs its script's font: the English name under it
		// is drawn as the interface's words are.
		if lang.Script != u.loc.Language().Script {
			name.Font = scriptFontFor(lang.Script)
		}
		var body fyne.CanvasObject = name
		if lang.English != lang.Name {
			body = xwidget.Lines(body, caption(lang.English))
		}
		t := xwidget.NewTile(sides(widget.NewIcon(ic), nil, body), func() { picked(lang.Tag) })
		if lang.Tag == current {
			t.SetState(xwidget.TileChosen)
		}
		out = append(out, t)
	}
	return out
}
