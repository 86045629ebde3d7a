// Package textlayout lays out a paragraph of text that may mix right-to-
// left scripts (Arabic, Farsi) with left-to-right ones and numbers: it
// applies the Unicode Bidirectional Algorithm (UAX #9, its own
// implementation, checked against Unicode's conformance data) to the
// paragraph, breaks it into lines in logical order using measured
// widths, and reorders each line's pieces into visual order (rule L2),
// mirroring brackets and other mirrored characters in right-to-left runs
// (rule L4).
//
// Phone numbers, email addresses and web addresses are laid out left to
// right as one unit wherever they stand (as if in a left-to-right
// isolate), so that "08000 121 700" inside Arabic reads as it is dialled,
// never "700 121 08000"; text can also hold isolates of its own (see
// Isolate). A unit is kept on one line when it fits one.
//
// It knows nothing of fonts or screens: the caller measures text and
// draws the pieces where they are placed. Each piece is either a run of
// right-to-left letters, a run of left-to-right letters or digits, a
// piece of punctuation, or a space, so whoever draws it never has to
// reorder anything inside a piece but shape it in its own direction.
package textlayout

//go:generate go run gen_mirror.go

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
	catJoin            // marks and joiners: part of the piece before them
	catNone            // directional controls: not drawn at all
)

type token struct {
	start, end int // rune indexes in the paragraph
	level      int
	style      int
	cat        category
	// unit is the outermost isolate the token is in (1-based), or 0: the
	// pieces of a unit stay on one line when they fit in one.
	unit  int
	width float32
}

// Layout lays out spans as one paragraph in lines no wider than width.
// Words are kept whole; only a word wider than a line is broken, between
// its pieces where it can be (after the dots and slashes of an address),
// else between its characters.
func Layout(spans []Span, dir Dir, width float32, measure Measurer) Paragraph {
	return Prepare(spans, dir, measure).Layout(width)
}

// Prepared is a paragraph with its directions resolved and its pieces
// measured: the part of laying it out that does not depend on the width,
// done once for a paragraph laid out at several widths.
type Prepared struct {
	runes   []rune
	orig    []int // for each rune, its index in the caller's text
	toks    []token
	rtl     bool
	measure Measurer
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
	runes, styles, orig := isolateUnits(runes, styles)
	p := &Prepared{runes: runes, orig: orig, measure: measure}
	if len(runes) == 0 {
		p.rtl = dir == RTL
		return p
	}
	bp := resolveBidi(runes, dir)
	p.rtl = bp.level == 1
	p.toks = tokenize(bp, styles, bp.lineLevels(0, len(runes)))
	for i := range p.toks {
		p.toks[i].width = p.width(p.toks[i].start, p.toks[i].end, p.toks[i].style)
	}
	return p
}

// width measures the runes [start, end) in a style.
func (p *Prepared) width(start, end, style int) float32 {
	return p.measure(string(p.runes[start:end]), style)
}

// isControl reports whether r is an isolate, embedding or override
// control: it steers the layout and is never drawn.
func isControl(r rune) bool {
	return r >= '\u2066' && r <= '\u2069' || r >= '\u202a' && r <= '\u202e'
}

// Layout lays the paragraph out in lines no wider than width, as the
// function Layout does.
func (p *Prepared) Layout(width float32) Paragraph {
	out := Paragraph{RTL: p.rtl}
	for _, line := range p.breakLines(width) {
		out.Lines = append(out.Lines, p.place(line))
	}
	return out
}

// Widths returns the width of the paragraph on one line, and of its
// widest word: the narrowest it can be laid out without breaking a word.
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

// isolateUnits puts a left-to-right isolate around every phone number,
// email address and web address in the text, so that each reads left to
// right as one unit wherever it stands. It returns the text with the
// isolates, the styles of its runes and, for each, its index in the
// text given.
func isolateUnits(runes []rune, styles []int) ([]rune, []int, []int) {
	units := findUnits(runes)
	orig := make([]int, 0, len(runes)+2*len(units))
	outR := make([]rune, 0, len(runes)+2*len(units))
	outS := make([]int, 0, len(runes)+2*len(units))
	u := 0
	for i, r := range runes {
		if u < len(units) && units[u][0] == i {
			outR, outS, orig = append(outR, LRI), append(outS, styles[i]), append(orig, i)
		}
		outR, outS, orig = append(outR, r), append(outS, styles[i]), append(orig, i)
		if u < len(units) && units[u][1] == i+1 {
			outR, outS, orig = append(outR, PDI), append(outS, styles[i]), append(orig, i)
			u++
		}
	}
	return outR, outS, orig
}

func isASCIIDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isASCIIAlnum(r rune) bool  { return isASCIIDigit(r) || isASCIILetter(r) }

// findUnits finds the phone numbers (two or more groups of digits 0-9
// split by single spaces, such as 08000 121 700, with an optional "+"),
// email addresses and web addresses (gov.uk, www.nhs.uk/111,
// https://...) in the text, as rune ranges in order. A single number
// needs no isolate: it reads left to right anyway.
func findUnits(runes []rune) [][2]int {
	var units [][2]int
	at := func(i int) rune {
		if i < 0 || i >= len(runes) {
			return 0
		}
		return runes[i]
	}
	for i := 0; i < len(runes); {
		if end := address(runes, i); end > i {
			units = append(units, [2]int{i, end})
			i = end
			continue
		}
		// A phone number starts a word: not after a letter, digit or a
		// decimal point ("3.50 2" is no phone number).
		prev := at(i - 1)
		startsWord := !isASCIIAlnum(prev) && prev != '.' && prev != ',' && prev != '+'
		if startsWord && (isASCIIDigit(at(i)) || at(i) == '+' && isASCIIDigit(at(i+1))) {
			j, groups := i+1, 1
			for {
				for isASCIIDigit(at(j)) {
					j++
				}
				if isSpaceInNumber(at(j)) && isASCIIDigit(at(j+1)) {
					j++
					groups++
					continue
				}
				break
			}
			if groups >= 2 && !isASCIIAlnum(at(j)) {
				units = append(units, [2]int{i, j})
			}
			i = j
			continue
		}
		i++
	}
	return units
}

// isSpaceInNumber reports whether r may split the groups of a phone
// number: a space, or a no-break one.
func isSpaceInNumber(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

// address returns the end of the email or web address that starts at i,
// or i if none does.
func address(runes []rune, i int) int {
	if i > 0 {
		if prev := runes[i-1]; isASCIIAlnum(prev) || strings.ContainsRune("@._-/:+%", prev) {
			return i
		}
	}
	// The longest run of characters an address is made of.
	j := i
	for j < len(runes) && isAddressRune(runes[j]) {
		j++
	}
	// Punctuation at its end ends the sentence, not the address.
	for j > i && strings.ContainsRune(".:?-", runes[j-1]) {
		j--
	}
	s := string(runes[i:j])
	lower := strings.ToLower(s)
	host := lower
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
		return j
	case strings.Contains(lower, "@"):
		local, domain, _ := strings.Cut(lower, "@")
		if local == "" || !isDomain(domain) {
			return i
		}
		return j
	}
	host, _, _ = strings.Cut(host, "/")
	if !isDomain(host) {
		return i
	}
	return j
}

// isAddressRune reports whether r may be part of a web or email address.
func isAddressRune(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune(".-_~:/?#@&+%=", r)
}

// isDomain reports whether s looks like a host name: two or more labels
// of letters, digits and hyphens split by dots, the last one letters.
func isDomain(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
		for _, r := range l {
			if !isASCIIAlnum(r) && r != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !isASCIILetter(r) {
			return false
		}
	}
	return true
}

func categorize(r rune, c bidi.Class) category {
	if isControl(r) {
		return catNone
	}
	if isSpaceInNumber(r) && r != ' ' {
		return catOther // a no-break space: never a place to break a line
	}
	if unicode.IsSpace(r) {
		return catSpace
	}
	switch c {
	case bidi.R, bidi.AL:
		return catRTL
	case bidi.L:
		return catLTR
	case bidi.EN, bidi.AN:
		return catNumber
	case bidi.NSM, bidi.BN:
		return catJoin // marks, and joiners such as the zero-width non-joiner
	}
	return catOther
}

// tokenize splits the paragraph into pieces that never need reordering
// inside: a new piece starts wherever the level, the style or the kind of
// character changes, and every symbol is a piece of its own.
func tokenize(bp *paragraph, styles []int, levels []int8) []token {
	runes := bp.runes
	units := outerIsolates(bp)
	var toks []token
	for i, r := range runes {
		c := categorize(r, bp.classes[i])
		lvl := int(levels[i])
		switch c {
		case catNone:
			continue
		case catJoin:
			if n := len(toks); n > 0 && toks[n-1].end == i {
				toks[n-1].end = i + 1
				continue
			}
			c = catOther
		}
		if n := len(toks); n > 0 {
			t := &toks[n-1]
			if t.end == i && t.level == lvl && t.style == styles[i] && t.cat == c && c != catOther && t.unit == units[i] {
				t.end = i + 1
				continue
			}
		}
		toks = append(toks, token{start: i, end: i + 1, level: lvl, style: styles[i], cat: c, unit: units[i]})
	}
	return toks
}

// outerIsolates returns, for each character, the outermost isolate it is
// inside (numbered from 1), or 0.
func outerIsolates(bp *paragraph) []int {
	out := make([]int, len(bp.runes))
	n := 0
	for i := 0; i < len(bp.runes); i++ {
		if !isIsolateInit(bp.classes[i]) {
			continue
		}
		n++
		end := min(bp.matchPDI[i], len(bp.runes)-1)
		for j := i; j <= end; j++ {
			out[j] = n
		}
		i = end
	}
	return out
}

// slack is how much wider than the width a line may be: float rounding.
const slack = 0.01

// item is a word (or a unit, or part of a word too wide for a line) and
// the spaces after it.
type item struct {
	toks   []token
	w      float32 // of the word, without the spaces
	spaces []token
	spaceW float32
}

// breakLines fills lines greedily, in logical order. The spaces inside a
// unit (a phone number) join it into one word when it fits on a line; a
// word wider than a line is broken into parts (split). A line is a slice
// of the paragraph's pieces unless it holds part of a broken word.
func (p *Prepared) breakLines(width float32) [][]token {
	// A line exactly as wide as its words, give or take float rounding
	// (a layout that gives the text its own natural width), fits.
	width += slack
	var lines [][]token
	toks := p.toks
	lineStart, lineEnd := 0, 0 // the line so far: toks[lineStart:lineEnd]
	var lineW float32
	flush := func() {
		if lineEnd > lineStart {
			lines = append(lines, trimSpaces(toks[lineStart:lineEnd]))
		}
		lineStart, lineW = lineEnd, 0
	}
	for i := 0; i < len(toks); {
		// A word: pieces up to a space that is not inside a unit, then the
		// spaces after it.
		j := i
		var w float32
		for j < len(toks) {
			if toks[j].cat == catSpace {
				k := j
				var sw float32
				for k < len(toks) && toks[k].cat == catSpace {
					sw += toks[k].width
					k++
				}
				if toks[j].unit == 0 || k == len(toks) || toks[k].unit != toks[j].unit {
					break
				}
				w += sw
				j = k
				continue
			}
			w += toks[j].width
			j++
		}
		k := j
		var sw float32
		for k < len(toks) && toks[k].cat == catSpace {
			sw += toks[k].width
			k++
		}
		if w <= width {
			if lineEnd > lineStart && lineW+w > width {
				flush()
			}
			lineEnd, lineW = k, lineW+w+sw
			i = k
			continue
		}
		// Too wide for a line: its parts, each on a line of its own.
		flush()
		lines = append(lines, p.split(item{toks: toks[i:j], w: w, spaces: toks[j:k], spaceW: sw}, width)...)
		i = k
		lineStart, lineEnd = k, k
	}
	flush()
	return lines
}

// split lays out a word too wide for a line on lines of its own: a unit
// breaks at its spaces, then a word between its pieces, and a piece
// that is too wide between its characters.
func (p *Prepared) split(it item, width float32) [][]token {
	// width already has its slack (breakLines).
	var lines [][]token
	var line []token
	var lineW float32
	flush := func() {
		if len(line) > 0 {
			lines = append(lines, trimSpaces(line))
			line, lineW = nil, 0
		}
	}
	add := func(toks []token, w float32) {
		line = append(line, toks...)
		lineW += w
	}
	for a := 0; a < len(it.toks); {
		// The unit's next word and its spaces.
		b := a
		var w float32
		for b < len(it.toks) && it.toks[b].cat != catSpace {
			w += it.toks[b].width
			b++
		}
		c := b
		var sw float32
		for c < len(it.toks) && it.toks[c].cat == catSpace {
			sw += it.toks[c].width
			c++
		}
		spaces := it.toks[b:c]
		if c == len(it.toks) {
			spaces, sw = it.spaces, it.spaceW
		}
		if w <= width {
			if len(line) > 0 && lineW+w > width {
				flush()
			}
			add(it.toks[a:b], w)
			add(spaces, sw)
			a = c
			continue
		}
		// Whole pieces while they fit; a piece too wide cut between
		// characters.
		flush()
		for _, t := range it.toks[a:b] {
			if t.width <= width {
				if lineW+t.width > width {
					flush()
				}
				add([]token{t}, t.width)
				continue
			}
			for _, part := range p.cut(t, width) {
				flush()
				add([]token{part}, part.width)
			}
		}
		add(spaces, sw)
		flush()
		a = c
	}
	flush()
	return lines
}

// cut breaks a piece too wide for a line into parts that fit, between
// characters (never between a letter and its marks); each part has at
// least one character.
func (p *Prepared) cut(t token, width float32) []token {
	var out []token
	for start := t.start; start < t.end; {
		// The longest part that fits, found by halving.
		lo, hi := start+1, t.end
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if p.width(start, mid, t.style) <= width {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		end := lo
		for end < t.end && categorize(p.runes[end], classOf(p.runes[end])) == catJoin {
			end++
		}
		c := t
		c.start, c.end = start, end
		c.width = p.width(start, end, t.style)
		out = append(out, c)
		start = end
	}
	return out
}

func classOf(r rune) bidi.Class {
	prop, _ := bidi.LookupRune(r)
	return prop.Class()
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
func (p *Prepared) place(line []token) Line {
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
		text := string(p.runes[t.start:t.end])
		rtl := t.level%2 == 1
		if rtl && t.cat == catOther {
			text = mirror(text)
		}
		l.Pieces = append(l.Pieces, Piece{Text: text, Style: t.style, RTL: rtl && t.cat == catRTL, X: l.Width, Width: t.width, Start: p.orig[t.start],
			Level: t.level, Letters: t.cat == catRTL || t.cat == catLTR})
		l.Width += t.width
	}
	return l
}

// mirror swaps characters for their mirror image, as a right-to-left run
// shows them (rule L4): "(" reads as ")", "«" as "»".
func mirror(s string) string {
	out := []rune(s)
	for i, r := range out {
		if m, ok := mirrorGlyph[r]; ok {
			out[i] = m
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
