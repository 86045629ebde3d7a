// Package xwidget holds Waymark's own widgets and layouts: large tappable
// tiles that wrap their text, progress dots, and layouts that keep touch
// targets at least 48 units tall and text at a readable width.
package xwidget

import "fyne.io/fyne/v2"

// MinTouch is the smallest height of anything a learner taps, in Fyne
// units (device-independent pixels).
const MinTouch float32 = 48

// Colour names that Waymark's theme defines for its widgets. A theme
// without them falls back to standard colours.
const (
	ColorNameCard     fyne.ThemeColorName = "waymark.card"     // a tile's background
	ColorNameCardEdge fyne.ThemeColorName = "waymark.cardEdge" // a tile's outline
	ColorNameGoodBg   fyne.ThemeColorName = "waymark.goodBg"   // a right answer's background
	ColorNameNoteBg   fyne.ThemeColorName = "waymark.noteBg"   // a not-quite answer's background
	ColorNameChosenBg fyne.ThemeColorName = "waymark.chosenBg" // a chosen tile's background
)
