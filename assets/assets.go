// Package assets holds Waymark's own pictures and the fonts it bundles so
// that every script it ships renders on any device: Noto Sans Ethiopic for
// Tigrinya and Noto Naskh Arabic for Arabic and Farsi (SIL Open Font
// License, see fonts/OFL.txt). Latin text, Vietnamese and Romanian
// included, uses the Noto Sans that Fyne bundles. Release builds (tag
// "packed") embed them compressed, as packed.zip.
package assets

import "io/fs"

// Read returns the bytes of an asset, such as "icons/shield.svg".
func Read(name string) ([]byte, error) { return fs.ReadFile(FS, name) }

// Font files by script (ISO 15924) and weight.
var fonts = map[string][2]string{
	"Ethi": {"fonts/NotoSansEthiopic-Regular.ttf", "fonts/NotoSansEthiopic-Bold.ttf"},
	"Arab": {"fonts/NotoNaskhArabic-Regular.ttf", "fonts/NotoNaskhArabic-Bold.ttf"},
}

// FontFile returns the name of the bundled font for a script, or "" when
// the default font covers it.
func FontFile(script string, bold bool) string {
	f, ok := fonts[script]
	if !ok {
		return ""
	}
	if bold {
		return f[1]
	}
	return f[0]
}
