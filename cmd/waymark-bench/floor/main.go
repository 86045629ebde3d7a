// Command floor is the smallest Fyne app, for the benchmarks to measure
// Waymark against: a window with a few labels, built with the same Fyne
// version and flags. With -measure N it reports when its first screen is
// drawn and its memory once that has settled, shows N more screens one
// after another, each drawn, and reports its memory again, exactly as
// waymark -measure does. Its window has the size Waymark's has on the
// screen it runs on, set before it is shown.
package main

import (
	"flag"
	"fmt"
	"image"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/internal/footprint"
)

func main() {
	n := flag.Int("measure", 0, "screens to show after the first")
	flag.Parse()
	a := app.NewWithID("org.waymark.floor")
	w := a.NewWindow("Hello")
	drawn := make(chan struct{}, 1)
	screen := func(i int) fyne.CanvasObject {
		called := false
		probe := canvas.NewRaster(func(int, int) image.Image {
			if !called {
				called = true
				select {
				case drawn <- struct{}{}:
				default:
				}
			}
			return image.NewNRGBA(image.Rect(0, 0, 1, 1))
		})
		probe.Resize(fyne.NewSize(1, 1))
		return container.NewStack(
			container.NewVBox(widget.NewLabel(fmt.Sprintf("Hello %d", i)), widget.NewButton("OK", nil)),
			container.NewWithoutLayout(probe))
	}
	w.SetContent(screen(0))
	w.Resize(fit(fyne.NewSize(1000, 720)))
	if *n > 0 {
		go func() {
			<-drawn
			fmt.Printf("drawn %d\n", time.Now().UnixNano())
			fmt.Printf("load_ms 0\n")
			time.Sleep(1500 * time.Millisecond) // as the app's probe does
			footprint.Read().Print("start")
			for i := 1; i <= *n; i++ {
				fyne.Do(func() { w.SetContent(screen(i)) })
				select {
				case <-drawn:
				case <-time.After(10 * time.Second):
					fmt.Println("error screen not drawn")
					os.Exit(1)
				}
			}
			footprint.Read().Print("lessons")
			fmt.Printf("opened %d\n", *n)
			fyne.Do(a.Quit)
		}()
	}
	w.ShowAndRun()
}
