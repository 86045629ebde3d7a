package app

import (
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// How facts from the registry (helpline numbers, short codes, email and
// web addresses) are written into what a screen shows: always as a
// left-to-right isolate, so that inside Arabic or Farsi a number reads in
// the order it is dialled ("08000 121 700", never "700 121 08000") and
// an address in the order it is typed. The text layout keeps each on one
// line where it fits (internal/textlayout).

// factText is a fact's value, isolated.
func factText(f learn.Fact) string { return textlayout.Isolate(f.Value) }

// factMarkdown is a fact as Markdown: a link a phone can call, text or
// open, or bold text for a fact that opens nothing; isolated.
func factMarkdown(f learn.Fact) string {
	if link := f.Link(); link != "" {
		return textlayout.Isolate("[" + f.Value + "](" + link + ")")
	}
	return textlayout.Isolate("**" + f.Value + "**")
}

// expandFacts writes the facts a text refers to ({fact:key}) into it.
func (u *UI) expandFacts(text string) string {
	return learn.ExpandFacts(text, u.d.Course.Facts, factText)
}
