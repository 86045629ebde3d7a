package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/lessons"
)

// A lesson's picture may be SVG (drawn without keeping its pixels), PNG
// or JPEG, as the lesson checker allows; what cannot be read is an
// error, which the player turns into a calm "picture missing".
func TestLessonPictureFormats(t *testing.T) {
	test.NewTempApp(t)
	min := fyne.NewSize(270, 180)

	svg, err := fs.ReadFile(lessons.FS, "online-banking/images/bank-card.svg")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := picture("images/bank-card.svg", svg, min); err != nil {
		t.Errorf("SVG: %v", err)
	} else if _, ok := p.(*xwidget.Picture); !ok {
		t.Errorf("SVG drawn by %T, want *xwidget.Picture (which keeps no pixels)", p)
	}

	var buf bytes.Buffer
	m := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	m.Set(3, 3, color.NRGBA{R: 200, A: 255})
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	p, err := picture("images/photo.PNG", buf.Bytes(), min)
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	if img, ok := p.(*canvas.Image); !ok || img.MinSize() != min || img.FillMode != canvas.ImageFillContain {
		t.Errorf("PNG drawn by %T, min size %v: want a canvas.Image fitted, at least %v", p, p.MinSize(), min)
	}

	for name, data := range map[string][]byte{
		"images/broken.svg": []byte("<svg"),
		"images/broken.png": []byte("not a PNG"),
		"images/empty.jpg":  nil,
	} {
		if _, err := picture(name, data, min); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
