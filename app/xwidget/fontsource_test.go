package xwidget_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/assets"
)

// sourceTheme names a font file for every style: Fyne's monospace font,
// whose wide letters show which font a width was measured in.
type sourceTheme struct{ fyne.Theme }

func (sourceTheme) FontSource(fyne.TextStyle) fyne.Resource { return theme.DefaultTextMonospaceFont() }

// pieces lays txt out in a window and returns what it draws.
func pieces(t *testing.T, txt *xwidget.Text) []*canvas.Text {
	t.Helper()
	w := test.NewWindow(container.NewVBox(txt))
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(600, 300))
	var out []*canvas.Text
	for _, o := range test.WidgetRenderer(txt).Objects() {
		if c, ok := o.(*canvas.Text); ok {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatal("nothing drawn")
	}
	return out
}

// Under a theme that names its font files, every piece is drawn from the
// named file and measured in it; Text.Font names another file for the
// words, and the lines keep the theme's spacing.
func TestTextDrawsFromNamedFontFile(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(sourceTheme{theme.DefaultTheme()})
	mono := theme.DefaultTextMonospaceFont()

	plain := xwidget.NewText("Wide words")
	plain.Wrap = false
	for _, c := range pieces(t, plain) {
		if c.FontSource != mono {
			t.Errorf("%q drawn from %v, want the theme's file %v", c.Text, c.FontSource, mono.Name())
		}
	}
	// Monospace "Wide words" is wider than in Fyne's proportional font.
	inMono, _ := a.Driver().RenderedTextSize("Wide words", theme.TextSize(), fyne.TextStyle{}, mono)
	inSans := fyne.MeasureText("Wide words", theme.TextSize(), fyne.TextStyle{})
	if natural := plain.MinSize().Width; natural < inMono.Width || inMono.Width <= inSans.Width {
		t.Errorf("laid out %v wide: not measured in the named file (%v in it, %v in Fyne's font)", natural, inMono.Width, inSans.Width)
	}

	data, err := assets.Read(assets.FontFile("Arab", false))
	if err != nil {
		t.Fatal(err)
	}
	arabic := fyne.NewStaticResource("arabic.ttf", data)
	name := xwidget.NewText("العربية")
	name.Wrap = false
	name.Font = func(fyne.TextStyle) fyne.Resource { return arabic }
	other := xwidget.NewText("Line")
	other.Wrap = false
	for _, c := range pieces(t, name) {
		if c.FontSource != arabic {
			t.Errorf("%q drawn from %v, want Text.Font's file", c.Text, c.FontSource)
		}
	}
	if h, want := name.MinSize().Height, other.MinSize().Height; h != want {
		t.Errorf("a line in Text.Font's file is %v tall, want the theme's %v", h, want)
	}
}
