//go:build probe

package probe

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
)

// smokeTest is for the test suite, which runs the real binary in a virtual
// display: once the first screen is up it prints what the screen says and
// the window's size, so the test can photograph the display and check
// both. The app keeps running until it is closed.
func smokeTest(w fyne.Window) {
	time.Sleep(2 * time.Second) // let the first frames be drawn
	var texts []string
	var size fyne.Size
	fyne.DoAndWait(func() {
		texts = visibleTexts(w.Content(), nil)
		size = w.Canvas().Size()
	})
	fmt.Printf("smoke: window %v\n", size)
	fmt.Printf("smoke: screen shows: %s\n", strings.Join(texts, " | "))
}

// visibleTexts lists the words on screen, for the kinds of objects the
// app's screens are made of.
func visibleTexts(o fyne.CanvasObject, out []string) []string {
	if o == nil || !o.Visible() {
		return out
	}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			out = visibleTexts(c, out)
		}
	case *container.Scroll:
		out = visibleTexts(v.Content, out)
	case *container.ThemeOverride:
		out = visibleTexts(v.Content, out)
	case *xwidget.Tile:
		out = visibleTexts(v.Content, out)
	case *xwidget.Text:
		out = append(out, v.String())
	case *xwidget.LinkText:
		out = append(out, v.String())
	case *xwidget.Button:
		out = append(out, v.Text())
	case *widget.Label:
		out = append(out, v.Text)
	}
	return out
}
