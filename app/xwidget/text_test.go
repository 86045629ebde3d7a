package xwidget_test

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/assets"
)

// renderTheme draws black text on white with links in pure red, in the
// app's fonts for Arabic script (Latin falls back to Fyne's own).
type renderTheme struct {
	fyne.Theme
	arabic fyne.Resource
}

func (t renderTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return color.White
	case theme.ColorNameForeground:
		return color.Black
	case theme.ColorNameHyperlink:
		return color.NRGBA{R: 0xff, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

func (t renderTheme) Font(s fyne.TextStyle) fyne.Resource { return t.arabic }

func (t renderTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 20
	}
	return t.Theme.Size(n)
}

func setup(t *testing.T, rtl bool) {
	t.Helper()
	setupScript(t, "Arab", rtl)
}

// setupScript draws in the app's font for a script (ISO 15924).
func setupScript(t *testing.T, script string, rtl bool) {
	t.Helper()
	a := test.NewTempApp(t)
	data, err := assets.Read(assets.FontFile(script, false))
	if err != nil {
		t.Fatal(err)
	}
	a.Settings().SetTheme(renderTheme{theme.DefaultTheme(), fyne.NewStaticResource("arabic.ttf", data)})
	xwidget.RTL = rtl
	t.Cleanup(func() { xwidget.RTL = false })
}

// render draws text in a window width wide and returns the picture.
func render(t *testing.T, md string, width float32) image.Image {
	t.Helper()
	txt := xwidget.NewLinkText(xwidget.Markdown(md))
	w := test.NewWindow(container.NewVBox(txt))
	w.SetPadded(false)
	w.Resize(fyne.NewSize(width, 400))
	t.Cleanup(w.Close)
	return w.Canvas().Capture()
}

// redSpan returns the left and right edge of the red (link) pixels in
// rows from y0 to y1, or -1s when there are none.
func redSpan(img image.Image, y0, y1 int) (left, right int) {
	left, right = -1, -1
	b := img.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r > 0xc000 && g < 0x6000 && bl < 0x6000 {
				if left < 0 {
					left = x
				}
				right = x
				break
			}
		}
	}
	return left, right
}

// TestWordsWhereTheyBelong draws mixed lines with Fyne's software painter
// and finds the link-coloured word: it must be where a reader of that
// direction expects it, not where a left-to-right layout would put it.
func TestWordsWhereTheyBelong(t *testing.T) {
	const width = 600
	tests := []struct {
		name string
		rtl  bool
		md   string
		// where the red word's centre must fall, as a fraction of the
		// drawn line, from its left edge to its right edge: [from, to)
		from, to float64
	}{
		{"first Arabic word reads rightmost", true, "[اتصل](x:) بالطوارئ الآن", 0.6, 1},
		{"last Arabic word reads leftmost", true, "اتصل بالطوارئ [الآن](x:)", 0, 0.4},
		{"English word inside Arabic sits in the middle", true, "اتصل بخدمة [NHS](x:) الآن من فضلك", 0.2, 0.8},
		{"number inside Arabic sits in the middle", true, "اتصل بالرقم [111](x:) الآن من فضلك", 0.2, 0.8},
		{"in English the first word is leftmost", false, "[Call](x:) the emergency number now", 0, 0.3},
		{"an Arabic word in English keeps its place", false, "Say [مرحبا](x:) to the doctor please today", 0.05, 0.45},
		{"first Farsi word reads rightmost", true, "[تماس](x:) بگیرید لطفا", 0.6, 1},
		{"Persian digits inside Farsi sit in the middle", true, "با شماره [۱۱۱](x:) تماس بگیرید لطفا", 0.2, 0.8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setup(t, tt.rtl)
			img := render(t, tt.md, width)
			l, r := redSpan(img, 0, 60)
			if l < 0 {
				t.Fatal("the link-coloured word is not drawn")
			}
			black := darkSpan(img, 0, 60)
			if black[0] < 0 {
				t.Fatal("the rest of the line is not drawn")
			}
			lineL, lineR := min(l, black[0]), max(r, black[1])
			mid := (float64(l+r)/2 - float64(lineL)) / float64(lineR-lineL)
			if mid < tt.from || mid >= tt.to {
				t.Errorf("word centre at %.2f of the line, want in [%.2f, %.2f)", mid, tt.from, tt.to)
			}
			// An Arabic line is aligned right, an English one left.
			w := img.Bounds().Dx()
			if tt.rtl && lineR < w*9/10 {
				t.Errorf("an Arabic line ends at %d of %d: not aligned right", lineR, w)
			}
			if !tt.rtl && lineL > w/10 {
				t.Errorf("an English line starts at %d of %d: not aligned left", lineL, w)
			}
		})
	}
}

// TestTigrinyaReadsLeftToRight draws Tigrinya (Ethiopic script, left to
// right) in the interface's left-to-right layout: its first word is
// leftmost, its last rightmost, and the line starts at the left.
func TestTigrinyaReadsLeftToRight(t *testing.T) {
	for _, tt := range []struct {
		name     string
		md       string
		from, to float64
	}{
		{"first word leftmost", "[ሰላም](x:) ከመይ ኣለኹም ሎሚ", 0, 0.4},
		{"last word rightmost", "ሰላም ከመይ ኣለኹም [ሎሚ](x:)", 0.6, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			setupScript(t, "Ethi", false)
			img := render(t, tt.md, 600)
			l, r := redSpan(img, 0, 60)
			black := darkSpan(img, 0, 60)
			if l < 0 || black[0] < 0 {
				t.Fatal("the line is not drawn")
			}
			lineL, lineR := min(l, black[0]), max(r, black[1])
			if mid := (float64(l+r)/2 - float64(lineL)) / float64(lineR-lineL); mid < tt.from || mid >= tt.to {
				t.Errorf("word centre at %.2f of the line, want in [%.2f, %.2f)", mid, tt.from, tt.to)
			}
			if lineL > img.Bounds().Dx()/10 {
				t.Errorf("the line starts at %d: not aligned left", lineL)
			}
		})
	}
}

// TestWrappedLinesStayInOrder wraps a long Arabic paragraph: the red word,
// which comes late in the text, must be on a lower line.
func TestWrappedLinesStayInOrder(t *testing.T) {
	setup(t, true)
	words := strings.Repeat("كلمة ", 40)
	img := render(t, words+"[النهاية](x:)", 300)
	_, r := redSpan(img, 0, 40)
	if r >= 0 {
		t.Error("the last word is drawn on the first line")
	}
	found := false
	for y := 40; y < 400; y += 10 {
		if l, _ := redSpan(img, y, y+10); l >= 0 {
			found = true
			break
		}
	}
	if !found {
		t.Error("the last word is not drawn on any line")
	}
}

// darkSpan returns the left and right edge of dark pixels in the rows.
func darkSpan(img image.Image, y0, y1 int) [2]int {
	out := [2]int{-1, -1}
	b := img.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0x4000 && g < 0x4000 && bl < 0x4000 {
				if out[0] < 0 {
					out[0] = x
				}
				out[1] = x
				break
			}
		}
	}
	return out
}

func BenchmarkLayoutArabicStep(b *testing.B) {
	a := test.NewTempApp(b)
	data, _ := assets.Read(assets.FontFile("Arab", false))
	a.Settings().SetTheme(renderTheme{theme.DefaultTheme(), fyne.NewStaticResource("arabic.ttf", data)})
	xwidget.RTL = true
	defer func() { xwidget.RTL = false }()
	words := strings.Fields("اتصل برقم الطوارئ إذا كنت في خطر الآن يمكنك أيضا الاتصال بخط المساعدة وهو مجاني ويعمل كل ساعة في اليوم مع مترجمين لا أحد يحتاج إلى معرفة اسمك أو عنوانك NHS 111")
	var sb strings.Builder
	for i := 0; i < 300; i++ {
		sb.WriteString(words[i%len(words)])
		if i%40 == 39 {
			sb.WriteString("\n\n")
		} else {
			sb.WriteByte(' ')
		}
	}
	txt := xwidget.NewText("")
	txt.Paras = xwidget.Markdown(sb.String())
	w := test.NewWindow(txt)
	w.Resize(fyne.NewSize(360, 2000))
	defer w.Close()
	for b.Loop() {
		// The same text laid out again, as when the width changes or the
		// window is redrawn; BenchmarkLayoutArabicStepCold is a step
		// opened for the first time.
		txt.Refresh()
	}
}

// sizedTheme changes the text size on demand, so nothing measured before
// is in Fyne's measurement cache: a cold layout.
type sizedTheme struct {
	renderTheme
	size *float32
}

func (t sizedTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return *t.size
	}
	return t.renderTheme.Size(n)
}

func BenchmarkLayoutArabicStepCold(b *testing.B) {
	a := test.NewTempApp(b)
	data, _ := assets.Read(assets.FontFile("Arab", false))
	size := float32(20)
	a.Settings().SetTheme(sizedTheme{renderTheme{theme.DefaultTheme(), fyne.NewStaticResource("arabic.ttf", data)}, &size})
	xwidget.RTL = true
	defer func() { xwidget.RTL = false }()
	words := strings.Fields("اتصل برقم الطوارئ إذا كنت في خطر الآن يمكنك أيضا الاتصال بخط المساعدة وهو مجاني ويعمل كل ساعة في اليوم مع مترجمين لا أحد يحتاج إلى معرفة اسمك أو عنوانك NHS 111")
	var sb strings.Builder
	for i := 0; i < 300; i++ {
		sb.WriteString(words[i%len(words)])
		sb.WriteByte(' ')
	}
	txt := xwidget.NewText("")
	txt.Paras = xwidget.Markdown(sb.String())
	w := test.NewWindow(txt)
	w.Resize(fyne.NewSize(360, 2000))
	defer w.Close()
	i := 0
	for b.Loop() {
		i++
		size = 20 + float32(i%100000)*0.0001 // never measured before
		txt.Refresh()
	}
}
