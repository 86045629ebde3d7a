package textlayout

import (
	"slices"

	"golang.org/x/text/unicode/bidi"
)

// The directional isolates, the controls a caller puts around text that
// must keep its own direction whatever surrounds it, such as a phone
// number inside Arabic (Isolate does it).
const (
	LRI = '\u2066' // left-to-right isolate
	RLI = '\u2067' // right-to-left isolate
	FSI = '\u2068' // first-strong isolate: the direction of its first letter
	PDI = '\u2069' // pop directional isolate: ends the isolate
)

// Isolate returns s as a left-to-right isolate (LRI s PDI): laid out left
// to right as one unit, as the surrounding text's direction sees a single
// neutral character. A phone number, a web address or an email address
// inside right-to-left text reads in the order it is dialled or typed.
func Isolate(s string) string { return string(LRI) + s + string(PDI) }

// maxDepth is the deepest embedding level (rule BD2).
const maxDepth = 125

// maxBrackets is how many open brackets rule BD16 keeps track of.
const maxBrackets = 63

// paragraph is a paragraph's text after the Unicode Bidirectional
// Algorithm (UAX #9): each character's resolved embedding level. It
// implements the whole algorithm for one paragraph (rules P2–P3, X1–X10,
// W1–W7, N0–N2, I1–I2; L1 is applied per line by lineLevels) and is
// checked against the Unicode conformance data (BidiCharacterTest.txt).
// The x/text package provides the characters' properties only: its own
// resolution gets isolates and brackets wrong (a number in brackets
// after an English word, inside Arabic, is laid out scrambled).
type paragraph struct {
	runes   []rune
	classes []bidi.Class // as in the Unicode data
	types   []bidi.Class // as resolved so far
	levels  []int8
	level   int8 // the paragraph's embedding level
	// matchPDI is, for an isolate initiator, the index of its matching
	// PDI (len(runes) if it has none); matchInit is, for a PDI, the index
	// of its initiator (-1 if none) (rule BD9).
	matchPDI, matchInit []int
}

// resolveBidi resolves the embedding levels of a paragraph in base
// direction dir (Auto: that of its first strong letter, rules P2–P3).
func resolveBidi(runes []rune, dir Dir) *paragraph {
	n := len(runes)
	p := &paragraph{runes: runes, classes: make([]bidi.Class, n), types: make([]bidi.Class, n),
		levels: make([]int8, n), matchPDI: make([]int, n), matchInit: make([]int, n)}
	for i, r := range runes {
		prop, _ := bidi.LookupRune(r)
		p.classes[i] = prop.Class()
	}
	copy(p.types, p.classes)
	p.matchIsolates()
	switch dir {
	case RTL:
		p.level = 1
	case LTR:
		p.level = 0
	default:
		if p.firstStrong(0, n) == bidi.R {
			p.level = 1
		}
	}
	p.explicitLevels()
	for _, s := range p.sequences() {
		s.resolveWeak()
		s.resolveBrackets()
		s.resolveNeutrals()
		s.resolveImplicit()
	}
	// Characters removed by rule X9 take the level of the one before
	// them, so that they stay in its piece.
	for i := range p.levels {
		if p.removed(i) {
			if i == 0 {
				p.levels[i] = p.level
			} else {
				p.levels[i] = p.levels[i-1]
			}
		}
	}
	return p
}

func isIsolateInit(c bidi.Class) bool { return c == bidi.LRI || c == bidi.RLI || c == bidi.FSI }

func isIsolateControl(c bidi.Class) bool { return isIsolateInit(c) || c == bidi.PDI }

// removed reports whether rule X9 removes character i: embedding and
// override controls and boundary neutrals (such as the zero-width
// non-joiner) take no part in resolving levels.
func (p *paragraph) removed(i int) bool {
	switch p.classes[i] {
	case bidi.RLE, bidi.LRE, bidi.RLO, bidi.LRO, bidi.PDF, bidi.BN:
		return true
	}
	return false
}

// matchIsolates pairs isolate initiators with their PDIs (rule BD9).
func (p *paragraph) matchIsolates() {
	var open []int
	for i, c := range p.classes {
		p.matchInit[i] = -1
		switch {
		case isIsolateInit(c):
			p.matchPDI[i] = len(p.classes)
			open = append(open, i)
		case c == bidi.PDI && len(open) > 0:
			j := open[len(open)-1]
			open = open[:len(open)-1]
			p.matchPDI[j], p.matchInit[i] = i, j
		case c == bidi.B:
			open = open[:0]
		}
	}
}

// firstStrong returns L or R for the first strong letter in [start, end),
// skipping isolates, or ON if there is none (rules P2–P3).
func (p *paragraph) firstStrong(start, end int) bidi.Class {
	for i := start; i < end && i < len(p.classes); i++ {
		switch c := p.classes[i]; {
		case c == bidi.L:
			return bidi.L
		case c == bidi.R || c == bidi.AL:
			return bidi.R
		case isIsolateInit(c):
			i = p.matchPDI[i]
		case c == bidi.B:
			return bidi.ON
		}
	}
	return bidi.ON
}

// explicitLevels applies rules X1–X8: the levels set by embeddings,
// overrides and isolates.
func (p *paragraph) explicitLevels() {
	type status struct {
		level    int8
		override bidi.Class // ON: none, else L or R
		isolate  bool
	}
	stack := make([]status, 1, maxDepth+2)
	stack[0] = status{level: p.level, override: bidi.ON}
	overflowIsolates, overflowEmbeddings, validIsolates := 0, 0, 0
	next := func(l int8, rtl bool) int8 {
		if rtl {
			return (l + 1) | 1
		}
		return (l + 2) &^ 1
	}
	for i, c := range p.classes {
		top := stack[len(stack)-1]
		switch c {
		case bidi.RLE, bidi.LRE, bidi.RLO, bidi.LRO: // X2–X5
			p.levels[i] = top.level
			l := next(top.level, c == bidi.RLE || c == bidi.RLO)
			if l <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				o := bidi.ON
				switch c {
				case bidi.RLO:
					o = bidi.R
				case bidi.LRO:
					o = bidi.L
				}
				stack = append(stack, status{level: l, override: o})
			} else if overflowIsolates == 0 {
				overflowEmbeddings++
			}
		case bidi.RLI, bidi.LRI, bidi.FSI: // X5a–X5c
			p.levels[i] = top.level
			if top.override != bidi.ON {
				p.types[i] = top.override
			}
			rtl := c == bidi.RLI
			if c == bidi.FSI {
				rtl = p.firstStrong(i+1, p.matchPDI[i]) == bidi.R
			}
			l := next(top.level, rtl)
			if l <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				validIsolates++
				stack = append(stack, status{level: l, override: bidi.ON, isolate: true})
			} else {
				overflowIsolates++
			}
		case bidi.PDI: // X6a
			switch {
			case overflowIsolates > 0:
				overflowIsolates--
			case validIsolates > 0:
				overflowEmbeddings = 0
				for !stack[len(stack)-1].isolate {
					stack = stack[:len(stack)-1]
				}
				stack = stack[:len(stack)-1]
				validIsolates--
			}
			top = stack[len(stack)-1]
			p.levels[i] = top.level
			if top.override != bidi.ON {
				p.types[i] = top.override
			}
		case bidi.PDF: // X7
			p.levels[i] = top.level
			switch {
			case overflowIsolates > 0:
			case overflowEmbeddings > 0:
				overflowEmbeddings--
			case !top.isolate && len(stack) >= 2:
				stack = stack[:len(stack)-1]
			}
		case bidi.B: // X8: a paragraph separator ends everything
			p.levels[i] = p.level
			stack = stack[:1]
			overflowIsolates, overflowEmbeddings, validIsolates = 0, 0, 0
		case bidi.BN:
			p.levels[i] = top.level
		default: // X6
			p.levels[i] = top.level
			if top.override != bidi.ON {
				p.types[i] = top.override
			}
		}
	}
}

// sequence is an isolating run sequence (rule BD13): the characters
// resolved together by the weak, neutral and implicit rules.
type sequence struct {
	p        *paragraph
	idx      []int // indexes into the paragraph, in order
	level    int8
	sos, eos bidi.Class // L or R
}

func (s *sequence) t(k int) bidi.Class      { return s.p.types[s.idx[k]] }
func (s *sequence) set(k int, c bidi.Class) { s.p.types[s.idx[k]] = c }

// sequences splits the paragraph into isolating run sequences (rule X10).
func (p *paragraph) sequences() []*sequence {
	// Level runs, leaving out the characters X9 removes.
	var runs [][]int
	var cur []int
	for i := range p.classes {
		if p.removed(i) {
			continue
		}
		if len(cur) > 0 && p.levels[i] != p.levels[cur[0]] {
			runs = append(runs, cur)
			cur = nil
		}
		cur = append(cur, i)
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	startsRun := map[int]int{}
	for r, run := range runs {
		startsRun[run[0]] = r
	}
	var out []*sequence
	for _, run := range runs {
		if first := run[0]; p.classes[first] == bidi.PDI && p.matchInit[first] >= 0 {
			continue // it goes on the sequence of its initiator
		}
		idx := slices.Clone(run)
		for {
			last := idx[len(idx)-1]
			if !isIsolateInit(p.classes[last]) || p.matchPDI[last] >= len(p.classes) {
				break
			}
			r, ok := startsRun[p.matchPDI[last]]
			if !ok {
				break
			}
			idx = append(idx, runs[r]...)
		}
		out = append(out, p.newSequence(idx))
	}
	return out
}

// newSequence works out a sequence's sos and eos from the levels on
// either side of it.
func (p *paragraph) newSequence(idx []int) *sequence {
	s := &sequence{p: p, idx: idx, level: p.levels[idx[0]]}
	dirOf := func(l int8) bidi.Class {
		if l%2 == 1 {
			return bidi.R
		}
		return bidi.L
	}
	before := p.level
	for i := idx[0] - 1; i >= 0; i-- {
		if !p.removed(i) {
			before = p.levels[i]
			break
		}
	}
	s.sos = dirOf(max(before, s.level))
	last := idx[len(idx)-1]
	after := p.level
	if !isIsolateInit(p.classes[last]) {
		for i := last + 1; i < len(p.classes); i++ {
			if !p.removed(i) {
				after = p.levels[i]
				break
			}
		}
	}
	s.eos = dirOf(max(after, s.level))
	return s
}

// resolveWeak applies rules W1–W7.
func (s *sequence) resolveWeak() {
	n := len(s.idx)
	// W1: a non-spacing mark takes the type of the character before it.
	for k := range n {
		if s.t(k) != bidi.NSM {
			continue
		}
		switch {
		case k == 0:
			s.set(k, s.sos)
		case isIsolateControl(s.t(k - 1)):
			s.set(k, bidi.ON)
		default:
			s.set(k, s.t(k-1))
		}
	}
	// W2: a European number after Arabic letters is an Arabic number.
	// W3: Arabic letters are right to left.
	strong := s.sos
	for k := range n {
		switch c := s.t(k); c {
		case bidi.L, bidi.R:
			strong = c
		case bidi.AL:
			strong = c
			s.set(k, bidi.R)
		case bidi.EN:
			if strong == bidi.AL {
				s.set(k, bidi.AN)
			}
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for k := 1; k+1 < n; k++ {
		before, after := s.t(k-1), s.t(k+1)
		switch s.t(k) {
		case bidi.ES:
			if before == bidi.EN && after == bidi.EN {
				s.set(k, bidi.EN)
			}
		case bidi.CS:
			if before == after && (before == bidi.EN || before == bidi.AN) {
				s.set(k, before)
			}
		}
	}
	// W5: terminators (such as %, £) next to a European number join it.
	for k := 0; k < n; {
		if s.t(k) != bidi.ET {
			k++
			continue
		}
		j := k
		for j < n && s.t(j) == bidi.ET {
			j++
		}
		if (k > 0 && s.t(k-1) == bidi.EN) || (j < n && s.t(j) == bidi.EN) {
			for m := k; m < j; m++ {
				s.set(m, bidi.EN)
			}
		}
		k = j
	}
	// W6: the other separators and terminators are neutral.
	// W7: a European number after left-to-right letters is left to right.
	strong = s.sos
	for k := range n {
		switch c := s.t(k); c {
		case bidi.ES, bidi.ET, bidi.CS:
			s.set(k, bidi.ON)
		case bidi.L, bidi.R:
			strong = c
		case bidi.EN:
			if strong == bidi.L {
				s.set(k, bidi.L)
			}
		}
	}
}

// strongDir is the direction a resolved type counts as for rules N0 and
// N1: numbers count as right to left; ON for the neutrals.
func strongDir(c bidi.Class) bidi.Class {
	switch c {
	case bidi.L:
		return bidi.L
	case bidi.R, bidi.AL, bidi.EN, bidi.AN:
		return bidi.R
	}
	return bidi.ON
}

// embedding is the direction of the sequence's level.
func (s *sequence) embedding() bidi.Class {
	if s.level%2 == 1 {
		return bidi.R
	}
	return bidi.L
}

// canonicalBracket maps the two angle brackets that have canonical
// equivalents to them, so that either pairs with the other (rule BD16).
func canonicalBracket(r rune) rune {
	switch r {
	case '\u2329':
		return '\u3008'
	case '\u232A':
		return '\u3009'
	}
	return r
}

// bracketPairs finds the sequence's bracket pairs, in order of their
// opening brackets (rule BD16).
func (s *sequence) bracketPairs() [][2]int {
	type opener struct {
		closing rune
		k       int
	}
	var open []opener
	var pairs [][2]int
	for k := range s.idx {
		if s.t(k) != bidi.ON {
			continue
		}
		r := s.p.runes[s.idx[k]]
		prop, _ := bidi.LookupRune(r)
		if !prop.IsBracket() {
			continue
		}
		if prop.IsOpeningBracket() {
			if len(open) == maxBrackets {
				break
			}
			open = append(open, opener{canonicalBracket(pairedBracket(r)), k})
			continue
		}
		c := canonicalBracket(r)
		for j := len(open) - 1; j >= 0; j-- {
			if open[j].closing == c {
				pairs = append(pairs, [2]int{open[j].k, k})
				open = open[:j]
				break
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return a[0] - b[0] })
	return pairs
}

// pairedBracket returns the bracket that pairs with r: ")" for "(".
func pairedBracket(r rune) rune {
	m := []rune(bidi.ReverseString(string(r)))
	if len(m) == 1 {
		return m[0]
	}
	return r
}

// resolveBrackets applies rule N0: a pair of brackets takes the direction
// of the text inside it, in the light of the text before it.
func (s *sequence) resolveBrackets() {
	e := s.embedding()
	for _, pair := range s.bracketPairs() {
		open, close := pair[0], pair[1]
		var matched, opposite bool
		for k := open + 1; k < close; k++ {
			switch d := strongDir(s.t(k)); {
			case d == e:
				matched = true
			case d != bidi.ON:
				opposite = true
			}
			if matched {
				break
			}
		}
		var dir bidi.Class
		switch {
		case matched:
			dir = e
		case opposite:
			before := s.sos
			for k := open - 1; k >= 0; k-- {
				if d := strongDir(s.t(k)); d != bidi.ON {
					before = d
					break
				}
			}
			dir = e
			if before != e {
				dir = before
			}
		default:
			continue
		}
		for _, k := range []int{open, close} {
			s.set(k, dir)
			// Non-spacing marks on the bracket follow it.
			for m := k + 1; m < len(s.idx) && s.p.classes[s.idx[m]] == bidi.NSM; m++ {
				s.set(m, dir)
			}
		}
	}
}

// isNeutral reports whether rules N1 and N2 resolve a type.
func isNeutral(c bidi.Class) bool {
	switch c {
	case bidi.B, bidi.S, bidi.WS, bidi.ON, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
		return true
	}
	return false
}

// resolveNeutrals applies rules N1 and N2: neutrals between text of one
// direction take it; others take the embedding direction.
func (s *sequence) resolveNeutrals() {
	n := len(s.idx)
	for k := 0; k < n; {
		if !isNeutral(s.t(k)) {
			k++
			continue
		}
		j := k
		for j < n && isNeutral(s.t(j)) {
			j++
		}
		before, after := s.sos, s.eos
		if k > 0 {
			before = strongDir(s.t(k - 1))
		}
		if j < n {
			after = strongDir(s.t(j))
		}
		dir := s.embedding()
		if before == after && before != bidi.ON {
			dir = before
		}
		for m := k; m < j; m++ {
			s.set(m, dir)
		}
		k = j
	}
}

// resolveImplicit applies rules I1 and I2: the final levels.
func (s *sequence) resolveImplicit() {
	for k, i := range s.idx {
		l := s.p.levels[i]
		switch c := s.t(k); {
		case l%2 == 0 && c == bidi.R:
			l++
		case l%2 == 0 && (c == bidi.AN || c == bidi.EN):
			l += 2
		case l%2 == 1 && (c == bidi.L || c == bidi.EN || c == bidi.AN):
			l++
		}
		s.p.levels[i] = l
	}
}

// lineLevels returns the levels of the characters [start, end) laid out
// as one line, after rule L1: separators, and the spaces and isolate
// controls before them or at the end of the line, go back to the
// paragraph's level.
func (p *paragraph) lineLevels(start, end int) []int8 {
	out := slices.Clone(p.levels[start:end])
	trailing := true
	for i := end - 1; i >= start; i-- {
		c := p.classes[i]
		switch {
		case c == bidi.S || c == bidi.B:
			out[i-start] = p.level
			trailing = true
		case trailing && (c == bidi.WS || isIsolateControl(c) || p.removed(i)):
			out[i-start] = p.level
		default:
			trailing = false
		}
	}
	return out
}
