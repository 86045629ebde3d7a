package xwidget_test

import (
	"image"
	"image/color"
	"io/fs"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/lessons"
)

// aPicture is one of the lessons' own pictures.
func aPicture(t *testing.T) []byte {
	t.Helper()
	data, err := fs.ReadFile(lessons.FS, "online-banking/images/bank-card.svg")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// capture draws obj alone in a w×h window and returns the pixels.
func capture(t *testing.T, obj fyne.CanvasObject, w, h float32) image.Image {
	t.Helper()
	win := test.NewWindow(container.NewStack(obj))
	t.Cleanup(win.Close)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	return win.Canvas().Capture()
}

// A Picture draws what canvas.Image draws from the same SVG with
// ImageFillContain, pixel for pixel, at the sizes a lesson shows it.
func TestPictureDrawsAsCanvasImage(t *testing.T) {
	test.NewTempApp(t)
	data := aPicture(t)
	for _, size := range []fyne.Size{{Width: 270, Height: 180}, {Width: 380, Height: 180}, {Width: 300, Height: 400}} {
		img := canvas.NewImageFromResource(fyne.NewStaticResource("bank-card.svg", data))
		img.FillMode = canvas.ImageFillContain
		want := capture(t, img, size.Width, size.Height)

		p, err := xwidget.NewPicture(data, fyne.NewSize(10, 10))
		if err != nil {
			t.Fatal(err)
		}
		got := capture(t, p, size.Width, size.Height)

		if got.Bounds() != want.Bounds() {
			t.Fatalf("%v: drawn %v, canvas.Image %v", size, got.Bounds(), want.Bounds())
		}
		if n := differing(got, want); n > 0 {
			t.Errorf("%v: %d pixels differ from canvas.Image's", size, n)
		}
		blank := capture(t, canvas.NewRectangle(color.Transparent), size.Width, size.Height)
		if n := differing(want, blank); n < 1000 {
			t.Errorf("%v: canvas.Image drew %d pixels: nothing to compare with", size, n)
		}
	}
}

// differing counts the pixels where a and b differ.
func differing(a, b image.Image) int {
	n := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// The picture keeps its proportions and sits in the middle of a wider
// space; it is never smaller than asked.
func TestPictureFitsAndCentres(t *testing.T) {
	test.NewTempApp(t)
	p, err := xwidget.NewPicture(aPicture(t), fyne.NewSize(270, 180)) // 240×160 drawing
	if err != nil {
		t.Fatal(err)
	}
	if p.MinSize() != fyne.NewSize(270, 180) {
		t.Errorf("min size %v", p.MinSize())
	}
	p.Resize(fyne.NewSize(400, 100))
	r := test.WidgetRenderer(p).Objects()[0]
	if r.Size() != fyne.NewSize(150, 100) || r.Position() != fyne.NewPos(125, 0) {
		t.Errorf("in 400×100: drawn %v at %v, want 150×100 at (125, 0)", r.Size(), r.Position())
	}
	p.Resize(fyne.NewSize(120, 300))
	if r.Size() != fyne.NewSize(120, 80) || r.Position() != fyne.NewPos(0, 110) {
		t.Errorf("in 120×300: drawn %v at %v, want 120×80 at (0, 110)", r.Size(), r.Position())
	}
}

// What is not a picture is an error, not a blank or a crash.
func TestPictureRefusesWhatIsNotOne(t *testing.T) {
	for name, data := range map[string]string{
		"not SVG":    "hello",
		"no viewBox": `<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>`,
		"empty":      "",
	} {
		if _, err := xwidget.NewPicture([]byte(data), fyne.NewSize(10, 10)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
