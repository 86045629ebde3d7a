package app_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"

	"github.com/waymark-app/waymark/assets"
	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// TestEveryCharacterHasAGlyph reads every text the app can show in each
// language (the interface and every lesson) and checks that the fonts the
// app uses for that language draw every character: for a script with a
// bundled font, that font, then Fyne's own Noto Sans and symbol font; for
// the others, Noto Sans alone (the app names its file, and Fyne looks no
// further than the fonts of the device, see appTheme.FontSource). A
// character none of them has would show as an empty box.
func TestEveryCharacterHasAGlyph(t *testing.T) {
	parse := func(data []byte) *font.Face {
		f, err := font.ParseTTF(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	noto := []*font.Face{
		parse(theme.DefaultTextFont().Content()),
		parse(theme.DefaultTextBoldFont().Content()),
	}
	symbols := parse(theme.DefaultSymbolFont().Content())
	cat, _ := l10n.Load(locales.FS)
	for _, lang := range cat.Languages {
		faces := noto
		if assets.FontFile(lang.Script, false) != "" {
			faces = append(faces[:len(faces):len(faces)], symbols)
		}
		for _, bold := range []bool{false, true} {
			if name := assets.FontFile(lang.Script, bold); name != "" {
				data, err := assets.Read(name)
				if err != nil {
					t.Fatal(err)
				}
				faces = append(faces, parse(data))
			}
		}
		missing := map[rune]string{}
		check := func(where, text string) {
			for _, r := range text {
				if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200c' || r == '\u200d' || r == '\u200f' || r == '\u200e' {
					continue
				}
				found := false
				for _, f := range faces {
					if _, ok := f.NominalGlyph(r); ok {
						found = true
						break
					}
				}
				if !found {
					if _, seen := missing[r]; !seen {
						missing[r] = where
					}
				}
			}
		}
		data, err := fs.ReadFile(locales.FS, lang.Tag+".toml")
		if err != nil {
			t.Fatal(err)
		}
		check("locales/"+lang.Tag+".toml", string(data))
		check("languages.toml", lang.Name)
		fs.WalkDir(lessons.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, "/"+lang.Tag+".toml") {
				b, _ := fs.ReadFile(lessons.FS, p)
				check("lessons/"+p, string(b))
			}
			return err
		})
		for r, where := range missing {
			t.Errorf("%s: no font draws %q (U+%04X), used in %s", lang.Tag, r, r, where)
		}
		if len(missing) == 0 {
			t.Logf("%s: every character has a glyph", lang.Tag)
		}
	}
	_ = fmt.Sprint
}
