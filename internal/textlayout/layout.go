// Package textlayout lays out a paragraph of text that may mix right-to-
// left scripts (Arabic, Farsi) with left-to-right ones and numbers: it
// applies the Unicode Bidirectional Algorithm (golang.org/x/text/unicode/
// bidi) to the paragraph, breaks it into lines in logical order using
// measured widths, and reorders each line's pieces into visual order
// (rule L2), mirroring brackets in right-to-left runs (rule L4).
//
// It knows nothing of fonts or screens: the caller measures text and
// draws the pieces where they are placed. Each piece is either a run of
// right-to-left letters, a run of left-to-right letters or digits, a
// piece of punctuation, or a space, so whoever draws it never has to
// reorder anything inside a piece but shape it in its own direction.
package textlayout

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// Dir is a paragraph's base direction.
type Dir int

// The directions: Auto takes the direction of the first strong letter.
const (
	Auto Dir = iota
	LTR
	RTL
)

// Span is a piece of the paragraph in one style, such as bold or a link;
// Style is the caller's own id for it.
type Span struct {
	Text  string
	Style int
}

// Piece is a part of a line placed for drawing: its text in logical order
// (to be shaped right to left when RTL), its style, and where it goes.
type Piece struct {
	Text  string
	Style int
	RTL   bool
	X     float32 // from the left edge of the line
	Width float32
	// Start is the index, in runes, of the piece's first character in the
	// paragraph, so a caller can tell which span a tap fell in.
	Start int
	// Level is the piece's embedding level: odd for right to left.
	Level int
	// Letters is true for a piece of letters (of either direction), false
	// for digits, punctuation and spaces.
	Letters bool
}

// Line is one line of a paragraph: pieces in visual order, left to right.
type Line struct {
	Pieces []Piece
	Width  float32
}

// Paragraph is a laid-out paragraph.
type Paragraph struct {
	Lines []Line
	RTL   bool // its base direction: right-to-left lines align right
}

// Measurer returns the width of text drawn in a style.
type Measurer func(text string, style int) float32

// category says what kind of piece a character belongs in.
type category int8

const (
	catSpace  category = iota
	catRTL             // right-to-left letters
	catLTR             // left-to-right letters
	catNumber          // digits
	catOther           // punctuation and symbols: one piece each
)

type token struct {
	start, end int // rune indexes in the paragraph
	level      int
	style      int
	cat        category
	width      float32
}

// Layout lays out spans as one paragraph in lines no wider than width
// (a single word or number wider than that gets a line of its own and is
// never split).
func Layout(spans []Span, dir Dir, width float32, measure Measurer) Paragraph {
	return Prepare(spans, dir, measure).Layout(width)
}

// Prepared is a paragraph with its directions resolved and its pieces
// measured: the part of laying it out that does not depend on the width,
// done once for a paragraph laid out at several widths.
type Prepared struct {
	runes []rune
	toks  []token
	rtl   bool
}

// Prepare resolves a paragraph's directions and measures its pieces.
func Prepare(spans []Span, dir Dir, measure Measurer) *Prepared {
	var runes []rune
	var styles []int
	for _, s := range spans {
		for _, r := range s.Text {
			runes = append(runes, r)
			styles = append(styles, s.Style)
		}
	}
	p := &Prepared{runes: runes, rtl: dir == RTL || (dir == Auto && firstStrongRTL(runes))}
	if len(runes) == 0 {
		return p
	}
	p.toks = tokenize(runes, styles, resolveLevels(runes, p.rtl))
	for i := range p.toks {
		p.toks[i].width = measure(string(runes[p.toks[i].start:p.toks[i].end]), p.toks[i].style)
	}
	return p
}

// Layout lays the paragraph out in lines no wider than width, as the
// function Layout does.
func (p *Prepared) Layout(width float32) Paragraph {
	out := Paragraph{RTL: p.rtl}
	for _, line := range breakLines(p.toks, width) {
		out.Lines = append(out.Lines, place(line, p.runes))
	}
	return out
}

// Widths returns the width of the paragraph on one line, and of its
// widest word: the narrowest it can be laid out without overflowing.
func (p *Prepared) Widths() (natural, word float32) {
	var w, trailing float32
	for _, t := range p.toks {
		if t.cat == catSpace {
			trailing += t.width
			if w > 0 {
				word = max(word, w)
			}
			w = 0
			continue
		}
		natural += trailing + t.width
		trailing = 0
		w += t.width
	}
	return natural, max(word, w)
}

// firstStrongRTL applies rules P2 and P3: the first strong letter decides.
func firstStrongRTL(runes []rune) bool {
	for _, r := range runes {
		switch class(r) {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return false
}

func class(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// resolveLevels returns each character's embedding level. The x/text
// package resolves which characters run right to left; the levels follow
// from that for text without explicit embedding controls: in a right-to-
// left paragraph (level 1) left-to-right runs sit at level 2; in a left-
// to-right paragraph (level 0) right-to-left runs sit at level 1, and so
// do numbers inside them, one level up (2), as rule I1 says.
func resolveLevels(runes []rune, rtl bool) []int {
	var p bidi.Paragraph
	opts := []bidi.Option{}
	if rtl {
		opts = append(opts, bidi.DefaultDirection(bidi.RightToLeft))
	}
	s := string(runes)
	p.SetString(s, opts...)
	levels := make([]int, len(runes))
	o, err := p.Order()
	if err != nil || o.NumRuns() == 0 {
		if rtl {
			for i := range levels {
				levels[i] = 1
			}
		}
		return levels
	}
	for i := 0; i < o.NumRuns(); i++ {
		run := o.Run(i)
		start, end := run.Pos()
		lvl := 0
		switch {
		case run.Direction() == bidi.RightToLeft:
			lvl = 1
		case rtl:
			lvl = 2
		}
		for j := start; j <= end && j < len(levels); j++ {
			levels[j] = lvl
		}
	}
	if !rtl {
		raiseNumbers(runes, levels)
	}
	// A left-to-right paragraph's spaces between two pieces at level 1 or
	// more take the lower of the two (rule N1 already did); trailing spaces
	// take the paragraph's level (rule L1), done when lines are placed.
	return levels
}

// raiseNumbers puts at level 2 the numbers that follow right-to-left
// letters in a left-to-right paragraph (rules W2 and I1): they belong to
// the right-to-left text, but read left to right themselves. A separator
// between two such digits (the comma in 1,000) goes with them (rule W4).
func raiseNumbers(runes []rune, levels []int) {
	rtlBefore := false
	for i, r := range runes {
		switch class(r) {
		case bidi.L:
			rtlBefore = false
		case bidi.R, bidi.AL:
			rtlBefore = true
		case bidi.EN, bidi.AN:
			if rtlBefore && levels[i] == 0 {
				levels[i] = 2
			}
		}
	}
	for i := 1; i+1 < len(runes); i++ {
		switch class(runes[i]) {
		case bidi.CS, bidi.ES, bidi.ET:
			if levels[i-1] == 2 && levels[i+1] == 2 {
				levels[i] = 2
			}
		}
	}
}

func categorize(r rune) category {
	if unicode.IsSpace(r) {
		return catSpace
	}
	switch class(r) {
	case bidi.R, bidi.AL:
		return catRTL
	case bidi.L:
		return catLTR
	case bidi.EN, bidi.AN:
		return catNumber
	case bidi.NSM:
		return -1 // joins the character before it
	}
	return catOther
}

// tokenize splits the paragraph into pieces that never need reordering
// inside: a new piece starts wherever the level, the style or the kind of
// character changes, and every symbol is a piece of its own.
func tokenize(runes []rune, styles, levels []int) []token {
	var toks []token
	for i, r := range runes {
		c := categorize(r)
		if c < 0 && len(toks) > 0 {
			toks[len(toks)-1].end = i + 1
			continue
		}
		if c < 0 {
			c = catOther
		}
		if n := len(toks); n > 0 {
			t := &toks[n-1]
			if t.end == i && t.level == levels[i] && t.style == styles[i] && t.cat == c && c != catOther {
				t.end = i + 1
				continue
			}
		}
		toks = append(toks, token{start: i, end: i + 1, level: levels[i], style: styles[i], cat: c})
	}
	return toks
}

// breakLines fills lines greedily, in logical order. A word (the pieces
// between two spaces) is never split: it moves whole to the next line.
func breakLines(toks []token, width float32) [][]token {
	var lines [][]token
	var line []token
	var lineW float32
	for i := 0; i < len(toks); {
		// The next word: non-space pieces, then its spaces.
		j := i
		var wordW float32
		for j < len(toks) && toks[j].cat != catSpace {
			wordW += toks[j].width
			j++
		}
		k := j
		var spaceW float32
		for k < len(toks) && toks[k].cat == catSpace {
			spaceW += toks[k].width
			k++
		}
		if len(line) > 0 && lineW+wordW > width {
			lines = append(lines, trimSpaces(line))
			line, lineW = nil, 0
		}
		line = append(line, toks[i:k]...)
		lineW += wordW + spaceW
		i = k
	}
	if len(line) > 0 {
		lines = append(lines, trimSpaces(line))
	}
	return lines
}

// trimSpaces drops the spaces at the end of a line (rule L1 puts them at
// the paragraph's level at the line's end, where they show as nothing).
func trimSpaces(line []token) []token {
	for len(line) > 0 && line[len(line)-1].cat == catSpace {
		line = line[:len(line)-1]
	}
	return line
}

// place reorders a line's pieces into visual order (rule L2: from the
// highest level down to the lowest odd one, reverse every sequence at
// that level or higher) and gives each its position.
func place(line []token, runes []rune) Line {
	order := make([]token, len(line))
	copy(order, line)
	maxLvl, minOdd := 0, 1<<30
	for _, t := range order {
		maxLvl = max(maxLvl, t.level)
		if t.level%2 == 1 {
			minOdd = min(minOdd, t.level)
		}
	}
	for lvl := maxLvl; lvl >= minOdd && lvl > 0; lvl-- {
		for i := 0; i < len(order); {
			if order[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(order) && order[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	var l Line
	for _, t := range order {
		text := string(runes[t.start:t.end])
		rtl := t.level%2 == 1
		if rtl && t.cat == catOther {
			text = mirror(text)
		}
		l.Pieces = append(l.Pieces, Piece{Text: text, Style: t.style, RTL: rtl && t.cat == catRTL, X: l.Width, Width: t.width, Start: t.start,
			Level: t.level, Letters: t.cat == catRTL || t.cat == catLTR})
		l.Width += t.width
	}
	return l
}

// mirror swaps brackets for their mirror image, as a right-to-left run
// shows them (rule L4): "(" reads as ")".
func mirror(s string) string {
	out := []rune(s)
	for i, r := range out {
		if p, _ := bidi.LookupRune(r); p.IsBracket() {
			m := []rune(bidi.ReverseString(string(r)))
			if len(m) == 1 {
				out[i] = m[0]
			}
		}
	}
	return string(out)
}

// Merge joins neighbouring pieces of one style that a bidi-aware text
// shaper draws correctly as one: any run of left-to-right pieces (their
// text in visual order), and any run of right-to-left words with the
// spaces between them (their text back in logical order, which the shaper
// reverses). Drawing fewer, longer pieces is faster and uses less memory;
// punctuation inside right-to-left text stays apart, placed and mirrored
// by Layout.
func Merge(pieces []Piece) []Piece {
	var out []Piece
	for i := 0; i < len(pieces); {
		p := pieces[i]
		j := i + 1
		switch {
		case !p.RTL && p.Level%2 == 0:
			for j < len(pieces) && !pieces[j].RTL && pieces[j].Level%2 == 0 && pieces[j].Style == p.Style {
				j++
			}
			for _, q := range pieces[i+1 : j] {
				p.Text += q.Text
				p.Width += q.Width
			}
		case p.RTL:
			// Right-to-left words, and the spaces between them.
			last := i
			for j < len(pieces) && pieces[j].Style == p.Style && (pieces[j].RTL || (pieces[j].Level%2 == 1 && strings.TrimSpace(pieces[j].Text) == "")) {
				if pieces[j].RTL {
					last = j
				}
				j++
			}
			j = last + 1
			var b strings.Builder
			for k := j - 1; k >= i; k-- {
				b.WriteString(pieces[k].Text)
			}
			p.Text = b.String()
			p.Width = 0
			for _, q := range pieces[i:j] {
				p.Width += q.Width
			}
		}
		out = append(out, p)
		i = j
	}
	return out
}
