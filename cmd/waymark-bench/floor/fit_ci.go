//go:build ci

package main

import "fyne.io/fyne/v2"

// fit is want: the test driver has no screen.
func fit(want fyne.Size) fyne.Size { return want }
