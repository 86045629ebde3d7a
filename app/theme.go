package app

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/assets"
)

// Palette is one of the colour schemes a learner can choose.
type Palette string

// The palettes. Their values are stored as the "theme" setting.
const (
	PaletteLight    Palette = "light"
	PaletteDark     Palette = "dark"
	PaletteContrast Palette = "contrast"
)

// Palettes lists the palettes in the order settings shows them.
var Palettes = []Palette{PaletteLight, PaletteDark, PaletteContrast}

// TextSize is one of the text sizes a learner can choose.
type TextSize string

// The text sizes. Their values are stored as the "text_size" setting.
const (
	SizeSmall  TextSize = "small"
	SizeMedium TextSize = "medium"
	SizeLarge  TextSize = "large"
	SizeXLarge TextSize = "xlarge"
)

// TextSizes lists the sizes in the order settings shows them.
var TextSizes = []TextSize{SizeSmall, SizeMedium, SizeLarge, SizeXLarge}

func (s TextSize) scale() float32 {
	switch s {
	case SizeSmall:
		return 0.9
	case SizeLarge:
		return 1.2
	case SizeXLarge:
		return 1.45
	}
	return 1
}

// appTheme is Waymark's calm look: its own colours whatever the system
// uses, the learner's text size, and a font for the script of the
// learner's language.
type appTheme struct {
	palette       Palette
	size          TextSize
	regular, bold fyne.Resource // nil: Fyne's Noto Sans
	colors        map[fyne.ThemeColorName]color.Color
}

var _ fyne.Theme = (*appTheme)(nil)

func newTheme(p Palette, size TextSize, script string) *appTheme {
	t := &appTheme{palette: p, size: size, colors: palettes[p]}
	if t.colors == nil {
		t.palette, t.colors = PaletteLight, palettes[PaletteLight]
	}
	t.regular, t.bold = scriptFonts(script)
	return t
}

// scriptFonts returns the bundled fonts for a script, or nils when Fyne's
// own font covers it. Fyne falls back to its own font for any glyph the
// script font lacks (digits and Latin in a Tigrinya sentence, say). The
// files are read once: each theme change (a text size, a palette) and
// each language's name in the picker uses the same resources, so Fyne,
// which keeps what it parses by resource, parses each file once.
func scriptFonts(script string) (regular, bold fyne.Resource) {
	scriptFontFiles.Lock()
	defer scriptFontFiles.Unlock()
	if f, ok := scriptFontFiles.read[script]; ok {
		return f[0], f[1]
	}
	load := func(bold bool) fyne.Resource {
		name := assets.FontFile(script, bold)
		if name == "" {
			return nil
		}
		data, err := assets.Read(name)
		if err != nil {
			fyne.LogError("font "+name, err)
			return nil
		}
		return fyne.NewStaticResource(name, data)
	}
	regular, bold = load(false), load(true)
	if scriptFontFiles.read == nil {
		scriptFontFiles.read = map[string][2]fyne.Resource{}
	}
	scriptFontFiles.read[script] = [2]fyne.Resource{regular, bold}
	return regular, bold
}

var scriptFontFiles struct {
	sync.Mutex
	read map[string][2]fyne.Resource
}

// scriptFontFor names the font file for each style of words written
// wholly in script (xwidget.Text.Font): the script's bundled font, or
// Fyne's Noto Sans for a script it covers.
func scriptFontFor(script string) func(fyne.TextStyle) fyne.Resource {
	regular, bold := scriptFonts(script)
	return func(s fyne.TextStyle) fyne.Resource {
		switch {
		case s.Monospace || s.Symbol:
			return nil
		case regular == nil || s.Italic:
			return theme.DefaultTheme().Font(s)
		case s.Bold && bold != nil:
			return bold
		}
		return regular
	}
}

// colorOnDark is the colour of text on a mock app's dark header: white
// in every palette. (A colour name rather than a theme override: Fyne
// keeps the fonts it parses for each override and never frees them.)
const colorOnDark fyne.ThemeColorName = "waymark-on-dark"

func (t *appTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if n == colorOnDark {
		return color.White
	}
	if c, ok := t.colors[n]; ok {
		return c
	}
	v := theme.VariantLight
	if t.palette != PaletteLight {
		v = theme.VariantDark
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol || s.Italic {
		return theme.DefaultTheme().Font(s)
	}
	if s.Bold && t.bold != nil {
		return t.bold
	}
	if !s.Bold && t.regular != nil {
		return t.regular
	}
	return theme.DefaultTheme().Font(s)
}

// FontSource gives Waymark's text (xwidget.Text) its font file directly
// where one file covers the language's script: Fyne's Noto Sans, for
// Latin and Cyrillic. Fyne then reads that file alone at start-up, not
// also its symbol font, a system font and an index of every font on the
// device (see xwidget.FontSourcer). A language with a script font of its
// own (Arabic, Ethiopic) keeps Fyne's lookup, which falls back to Noto
// Sans for the Latin letters and digits the script font lacks.
func (t *appTheme) FontSource(s fyne.TextStyle) fyne.Resource {
	if t.regular != nil || t.bold != nil || s.Monospace || s.Symbol {
		return nil
	}
	return theme.DefaultTheme().Font(s)
}

func (t *appTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	return theme.DefaultTheme().Icon(n)
}

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 16 * t.size.scale()
	case theme.SizeNameCaptionText:
		return 14 * t.size.scale()
	case theme.SizeNameSubHeadingText:
		return 19 * t.size.scale()
	case theme.SizeNameHeadingText:
		return 24 * t.size.scale()
	case theme.SizeNameInlineIcon:
		return 22 * t.size.scale()
	case theme.SizeNameLineSpacing:
		return 6 * t.size.scale()
	case theme.SizeNamePadding:
		return 5
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 6
	case theme.SizeNameButtonRadius:
		return 10
	}
	return theme.DefaultTheme().Size(n)
}

func rgb(hex uint32) color.Color {
	return color.NRGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 0xff}
}

func rgba(hex uint32, a uint8) color.Color {
	return color.NRGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), a}
}

// palettes: soft, warm and low in saturation; no alarm red anywhere, a
// "not quite" answer is amber. High contrast is black, white and yellow.
var palettes = map[Palette]map[fyne.ThemeColorName]color.Color{
	PaletteLight: {
		theme.ColorNameBackground:          rgb(0xf6f4ef),
		theme.ColorNameForeground:          rgb(0x1f2d2f),
		theme.ColorNamePrimary:             rgb(0x2f5d62),
		theme.ColorNameForegroundOnPrimary: rgb(0xffffff),
		theme.ColorNameButton:              rgb(0xe4ebe7),
		theme.ColorNameDisabledButton:      rgb(0xe9e7e1),
		theme.ColorNameDisabled:            rgb(0x9aa3a0),
		theme.ColorNameHover:               rgba(0x2f5d62, 0x1a),
		theme.ColorNamePressed:             rgba(0x2f5d62, 0x33),
		theme.ColorNameFocus:               rgb(0x2f5d62),
		theme.ColorNameSelection:           rgba(0x2f5d62, 0x33),
		theme.ColorNameSeparator:           rgb(0xd9ddd6),
		theme.ColorNameInputBackground:     rgb(0xffffff),
		theme.ColorNameInputBorder:         rgb(0xc9cfc9),
		theme.ColorNameHeaderBackground:    rgb(0xeef2ef),
		theme.ColorNameMenuBackground:      rgb(0xffffff),
		theme.ColorNameOverlayBackground:   rgb(0xffffff),
		theme.ColorNameShadow:              rgba(0x000000, 0x26),
		theme.ColorNameSuccess:             rgb(0x3b7a57),
		theme.ColorNameWarning:             rgb(0xa8701a),
		theme.ColorNameError:               rgb(0x9c4a3c),
		theme.ColorNameHyperlink:           rgb(0x2a5f8f),
		theme.ColorNamePlaceHolder:         rgb(0x6b7673),
		theme.ColorNameScrollBar:           rgba(0x1f2d2f, 0x55),
		xwidget.ColorNameCard:              rgb(0xffffff),
		xwidget.ColorNameCardEdge:          rgb(0xdfe3dc),
		xwidget.ColorNameChosenBg:          rgb(0xe3eeeb),
		xwidget.ColorNameGoodBg:            rgb(0xe4f1e8),
		xwidget.ColorNameNoteBg:            rgb(0xfbf0dc),
	},
	PaletteDark: {
		theme.ColorNameBackground:          rgb(0x162022),
		theme.ColorNameForeground:          rgb(0xe6ebe8),
		theme.ColorNamePrimary:             rgb(0x84b9ad),
		theme.ColorNameForegroundOnPrimary: rgb(0x102022),
		theme.ColorNameButton:              rgb(0x26363a),
		theme.ColorNameDisabledButton:      rgb(0x1f2a2c),
		theme.ColorNameDisabled:            rgb(0x6f7b79),
		theme.ColorNameHover:               rgba(0x84b9ad, 0x1f),
		theme.ColorNamePressed:             rgba(0x84b9ad, 0x38),
		theme.ColorNameFocus:               rgb(0x84b9ad),
		theme.ColorNameSelection:           rgba(0x84b9ad, 0x40),
		theme.ColorNameSeparator:           rgb(0x2f3f42),
		theme.ColorNameInputBackground:     rgb(0x1e2a2d),
		theme.ColorNameInputBorder:         rgb(0x3b4c4f),
		theme.ColorNameHeaderBackground:    rgb(0x1b2729),
		theme.ColorNameMenuBackground:      rgb(0x1e2a2d),
		theme.ColorNameOverlayBackground:   rgb(0x1e2a2d),
		theme.ColorNameShadow:              rgba(0x000000, 0x66),
		theme.ColorNameSuccess:             rgb(0x86c9a0),
		theme.ColorNameWarning:             rgb(0xe3b866),
		theme.ColorNameError:               rgb(0xe09a8c),
		theme.ColorNameHyperlink:           rgb(0x9cc7f0),
		theme.ColorNamePlaceHolder:         rgb(0x93a09d),
		theme.ColorNameScrollBar:           rgba(0xe6ebe8, 0x55),
		xwidget.ColorNameCard:              rgb(0x1e2a2d),
		xwidget.ColorNameCardEdge:          rgb(0x304044),
		xwidget.ColorNameChosenBg:          rgb(0x23403f),
		xwidget.ColorNameGoodBg:            rgb(0x1f3b2c),
		xwidget.ColorNameNoteBg:            rgb(0x3d3220),
	},
	PaletteContrast: {
		theme.ColorNameBackground:          rgb(0x000000),
		theme.ColorNameForeground:          rgb(0xffffff),
		theme.ColorNamePrimary:             rgb(0xffd60a),
		theme.ColorNameForegroundOnPrimary: rgb(0x000000),
		theme.ColorNameButton:              rgb(0x000000),
		theme.ColorNameDisabledButton:      rgb(0x000000),
		theme.ColorNameDisabled:            rgb(0xb0b0b0),
		theme.ColorNameHover:               rgba(0xffffff, 0x33),
		theme.ColorNamePressed:             rgba(0xffd60a, 0x55),
		theme.ColorNameFocus:               rgb(0xffd60a),
		theme.ColorNameSelection:           rgba(0xffd60a, 0x55),
		theme.ColorNameSeparator:           rgb(0xffffff),
		theme.ColorNameInputBackground:     rgb(0x000000),
		theme.ColorNameInputBorder:         rgb(0xffffff),
		theme.ColorNameHeaderBackground:    rgb(0x000000),
		theme.ColorNameMenuBackground:      rgb(0x000000),
		theme.ColorNameOverlayBackground:   rgb(0x000000),
		theme.ColorNameShadow:              rgba(0x000000, 0x00),
		theme.ColorNameSuccess:             rgb(0x5cff8a),
		theme.ColorNameWarning:             rgb(0xffd60a),
		theme.ColorNameError:               rgb(0xff9d8a),
		theme.ColorNameHyperlink:           rgb(0x8fd3ff),
		theme.ColorNamePlaceHolder:         rgb(0xd0d0d0),
		theme.ColorNameScrollBar:           rgba(0xffffff, 0x99),
		xwidget.ColorNameCard:              rgb(0x000000),
		xwidget.ColorNameCardEdge:          rgb(0xffffff),
		xwidget.ColorNameChosenBg:          rgb(0x1a1a00),
		xwidget.ColorNameGoodBg:            rgb(0x002b10),
		xwidget.ColorNameNoteBg:            rgb(0x2b2400),
	},
}
