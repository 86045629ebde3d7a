package app

import (
	"bytes"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/group"
)

// Where the language has a script font of its own, Fyne's lookup is kept:
// it falls back to Noto Sans for the Latin letters and digits the script
// font lacks. Elsewhere the theme names Fyne's Noto Sans, style by style.
func TestFontSourceByScript(t *testing.T) {
	var latin fyne.Theme = newTheme(PaletteLight, SizeMedium, "Latn")
	fs, ok := latin.(xwidget.FontSourcer)
	if !ok {
		t.Fatal("the app's theme does not name its font files")
	}
	for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}} {
		if got, want := fs.FontSource(s), theme.DefaultTheme().Font(s); got != want {
			t.Errorf("Latin, %+v: font file %v, want Fyne's %v", s, got, want)
		}
	}
	if got := fs.FontSource(fyne.TextStyle{Monospace: true}); got != nil {
		t.Errorf("monospace: font file %v, want Fyne's lookup", got)
	}
	for _, script := range []string{"Arab", "Ethi"} {
		th := newTheme(PaletteDark, SizeLarge, script)
		for _, s := range []fyne.TextStyle{{}, {Bold: true}} {
			if got := th.FontSource(s); got != nil {
				t.Errorf("%s, %+v: font file %v, want Fyne's lookup (Noto Sans after the script font)", script, s, got.Name())
			}
		}
	}
}

// Windows show a small copy of the icon: decoding the packages' 512×512
// icon as each window is made cost a start about 15 ms.
func TestWindowIconIsSmall(t *testing.T) {
	icon := windowIcon()
	if icon == nil {
		t.Fatal("no window icon")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(icon.Content()))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 128 || cfg.Height != 128 {
		t.Errorf("the windows' icon is %d×%d, want 128×128", cfg.Width, cfg.Height)
	}
}

// Every item of the group consent has an icon of its own.
func TestConsentIcons(t *testing.T) {
	seen := map[string]group.ConsentItem{}
	for _, item := range group.ConsentItems {
		ic := consentIcon(item)
		if ic == nil || ic.Name() == theme.InfoIcon().Name() {
			t.Errorf("%s: no icon of its own", item)
			continue
		}
		if other, ok := seen[ic.Name()]; ok {
			t.Errorf("%s and %s share an icon", item, other)
		}
		seen[ic.Name()] = item
	}
}
