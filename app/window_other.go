//go:build ci || android || ios || js || wasm

package app

import "fyne.io/fyne/v2"

// fitWindow sizes the window; phones and the test driver use the whole
// screen whatever is asked.
func fitWindow(w fyne.Window, want fyne.Size) fyne.Size {
	if w.Canvas().Size() != want {
		w.Resize(want)
	}
	return want
}
