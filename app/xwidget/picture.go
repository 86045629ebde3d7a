package xwidget

import (
	"bytes"
	"errors"
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

// Picture is an SVG illustration drawn as large as its size allows with
// its proportions kept, centred (as canvas.Image draws with
// ImageFillContain), that keeps no pixels of its own.
//
// A canvas.Image keeps the SVG it drew, at full size, in Fyne's cache for
// a minute after its screen has gone, keyed by name, and its texture as
// long; a lesson's pictures are the largest things the app draws (270 by
// 180 units: 0.19 MB of pixels at one pixel a unit, 1.2 MB on a phone
// with 2.5, in Go's heap and again as a texture). A Picture draws through
// a canvas.Raster: the pixels are made when the painter asks for them,
// handed to it and not kept, so once its screen has gone and the
// screen's textures are freed (the app frees them when a screen is left)
// nothing of them is left but the parsed drawing.
type Picture struct {
	widget.BaseWidget

	icon   *oksvg.SvgIcon
	aspect float32 // width over height
	min    fyne.Size
}

// NewPicture parses an SVG document. The picture is never shown smaller
// than min.
func NewPicture(svg []byte, min fyne.Size) (*Picture, error) {
	icon, err := oksvg.ReadReplacingCurrentColor(bytes.NewReader(svg), "#000000")
	if err != nil {
		return nil, fmt.Errorf("picture: %w", err)
	}
	if icon.ViewBox.W <= 0 || icon.ViewBox.H <= 0 {
		return nil, errors.New("picture: no width or height (its viewBox)")
	}
	p := &Picture{icon: icon, aspect: float32(icon.ViewBox.W / icon.ViewBox.H), min: min}
	p.ExtendBaseWidget(p)
	return p, nil
}

// MinSize is the size given to NewPicture.
func (p *Picture) MinSize() fyne.Size { return p.min }

// CreateRenderer is for Fyne.
func (p *Picture) CreateRenderer() fyne.WidgetRenderer {
	r := &pictureRenderer{p: p}
	r.raster = canvas.NewRaster(r.draw)
	return r
}

type pictureRenderer struct {
	p      *Picture
	raster *canvas.Raster
}

// Layout fits the drawing inside size, proportions kept, and centres it.
func (r *pictureRenderer) Layout(size fyne.Size) {
	w, h := size.Width, size.Height
	if h <= 0 || w <= 0 {
		r.raster.Resize(fyne.Size{})
		return
	}
	if w/h > r.p.aspect {
		w = h * r.p.aspect
	} else {
		h = w / r.p.aspect
	}
	r.raster.Resize(fyne.NewSize(w, h))
	r.raster.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
}

// draw makes the pixels the painter asks for, w by h, as Fyne draws an
// SVG (oksvg and rasterx). Premultiplied RGBA is what the painter uploads
// without a copy.
func (r *pictureRenderer) draw(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	if w <= 0 || h <= 0 {
		return img
	}
	r.p.icon.SetTarget(0, 0, float64(w), float64(h))
	scanner := rasterx.NewScannerGV(int(r.p.icon.ViewBox.W), int(r.p.icon.ViewBox.H), img, img.Bounds())
	func() {
		// oksvg panics on some malformed paths; a picture left blank is
		// better than a crash in the middle of a lesson.
		defer func() { _ = recover() }()
		r.p.icon.Draw(rasterx.NewDasher(w, h, scanner), 1)
	}()
	return img
}

func (r *pictureRenderer) MinSize() fyne.Size { return r.p.min }

func (r *pictureRenderer) Refresh() {
	r.Layout(r.p.Size())
	r.raster.Refresh()
}

func (r *pictureRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.raster} }

func (r *pictureRenderer) Destroy() {}
