package textlayout_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/waymark-app/waymark/internal/textlayout"
)

// measure makes every character 10 units wide.
func measure(text string, _ int) float32 { return float32(len([]rune(text))) * 10 }

// visual returns a line's pieces left to right, spaces left out, with
// right-to-left pieces marked by a leading "<".
func visual(l textlayout.Line) []string {
	var out []string
	for _, p := range l.Pieces {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		if p.RTL {
			out = append(out, "<"+p.Text)
		} else {
			out = append(out, p.Text)
		}
	}
	return out
}

func plain(s string) []textlayout.Span { return []textlayout.Span{{Text: s}} }

func TestVisualOrder(t *testing.T) {
	tests := []struct {
		name string
		text string
		dir  textlayout.Dir
		rtl  bool
		want []string // left to right
	}{
		{"pure Arabic", "اتصل بالطوارئ الآن", textlayout.RTL, true,
			[]string{"<الآن", "<بالطوارئ", "<اتصل"}},
		{"Arabic with digits and an English word", "اتصل بـ NHS 111 الآن", textlayout.RTL, true,
			// the English word and the number keep their own order, left to right
			[]string{"<الآن", "NHS", "111", "<بـ", "<اتصل"}},
		{"Arabic with a number", "لديك 3 رسائل", textlayout.RTL, true,
			[]string{"<رسائل", "3", "<لديك"}},
		{"Farsi with Persian digits and punctuation", "۳ پیام دارید.", textlayout.RTL, true,
			// the full stop ends the sentence: at the far left
			[]string{".", "<دارید", "<پیام", "۳"}},
		{"a price inside Arabic", "ادفع £1,000 فقط", textlayout.RTL, true,
			// after Arabic letters the digits are Arabic numbers (rule W2),
			// so the pound sign reads first: on their right
			[]string{"<فقط", "1", ",", "000", "£", "<ادفع"}},
		{"brackets mirror", "اتصل (مجانا)", textlayout.RTL, true,
			// logical "(" ... ")" shows as "(" on the left of the word, mirrored
			[]string{"(", "<مجانا", ")", "<اتصل"}},
		{"Tigrinya is left to right", "ናብ Waymark እንቋዕ ብደሓን መጻእኩም", textlayout.Auto, false,
			[]string{"ናብ", "Waymark", "እንቋዕ", "ብደሓን", "መጻእኩም"}},
		{"English with an Arabic name", "Language: العربية is chosen", textlayout.Auto, false,
			[]string{"Language", ":", "<العربية", "is", "chosen"}},
		{"English with an Arabic phrase and a number", "Say مرحبا 3 times", textlayout.Auto, false,
			// the number after Arabic letters joins the right-to-left run
			[]string{"Say", "3", "<مرحبا", "times"}},
		{"auto picks Arabic", "مرحبا Sara", textlayout.Auto, true,
			[]string{"Sara", "<مرحبا"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := textlayout.Layout(plain(tt.text), tt.dir, 10000, measure)
			if p.RTL != tt.rtl {
				t.Errorf("RTL = %v, want %v", p.RTL, tt.rtl)
			}
			if len(p.Lines) != 1 {
				t.Fatalf("%d lines, want 1", len(p.Lines))
			}
			if got := visual(p.Lines[0]); strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("visual order:\n got  %s\n want %s", strings.Join(got, " | "), strings.Join(tt.want, " | "))
			}
		})
	}
}

// TestWrapping lays out a long mixed paragraph in a narrow width: no line
// is wider than the width, no word or number is split, every word is
// there once, and each line is in visual order on its own.
func TestWrapping(t *testing.T) {
	text := "اتصل برقم الطوارئ 999 إذا كنت في خطر الآن. يمكنك أيضا الاتصال بخط المساعدة 08000 121 700 وهو مجاني ويعمل 24 ساعة في اليوم، مع مترجمين. لا أحد يحتاج إلى معرفة اسمك أو عنوانك."
	for _, width := range []float32{120, 200, 350} {
		p := textlayout.Layout(plain(text), textlayout.RTL, width, measure)
		var words []string
		for li, l := range p.Lines {
			if l.Width > width && len(visual(l)) > 1 {
				t.Errorf("width %v, line %d is %v wide", width, li, l.Width)
			}
			// Pieces are placed left to right with no gaps or overlaps.
			var x float32
			for _, pc := range l.Pieces {
				if pc.X != x {
					t.Errorf("width %v, line %d: piece %q at %v, want %v", width, li, pc.Text, pc.X, x)
				}
				x += pc.Width
			}
			// Read each line right to left to get its words in logical order.
			line := visual(l)
			var logical []string
			for i := len(line) - 1; i >= 0; i-- {
				logical = append(logical, strings.TrimPrefix(line[i], "<"))
			}
			words = append(words, logical...)
		}
		// Numbers stay whole and on one line.
		joined := strings.Join(words, " ")
		for _, n := range []string{"999", "24"} {
			if !strings.Contains(joined, n) {
				t.Errorf("width %v: number %s split or lost: %s", width, n, joined)
			}
		}
		// Every word of the text is there, once, in logical order of lines.
		for _, w := range strings.Fields(strings.NewReplacer(".", " ", "،", " ").Replace(text)) {
			if strings.Count(joined, w) == 0 {
				t.Errorf("width %v: word %q lost", width, w)
			}
		}
		if width == 120 && len(p.Lines) < 5 {
			t.Errorf("width %v: only %d lines", width, len(p.Lines))
		}
	}
}

// TestWordNeverSplit keeps every word that fits on a line whole, and
// breaks a word wider than the line into parts that fit, in order, each
// on a line of its own.
func TestWordNeverSplit(t *testing.T) {
	tests := []struct {
		text  string
		width float32
		want  string // lines split by "|"
	}{
		{"a verylongwordindeed b", 60, "a|verylo|ngword|indeed|b"},
		{"a verylongwordindeed b", 200, "a verylongwordindeed|b"},
		{"words fit where they can", 120, "words fit|where they|can"},
		// An address breaks between its pieces first.
		{"see gov.uk/view-prove now", 100, "see|gov.uk/|view-prove|now"},
	}
	for _, tt := range tests {
		p := textlayout.Layout(plain(tt.text), textlayout.LTR, tt.width, measure)
		var got []string
		for _, l := range p.Lines {
			var b strings.Builder
			for _, pc := range l.Pieces {
				b.WriteString(pc.Text)
			}
			got = append(got, b.String())
			if l.Width > tt.width {
				t.Errorf("%q at %v: line %q is %v wide", tt.text, tt.width, b.String(), l.Width)
			}
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%q at %v: lines %q, want %q", tt.text, tt.width, strings.Join(got, "|"), tt.want)
		}
	}
}

func TestStylesStaySeparate(t *testing.T) {
	spans := []textlayout.Span{{Text: "Call "}, {Text: "999", Style: 1}, {Text: " now"}}
	p := textlayout.Layout(spans, textlayout.Auto, 1000, measure)
	for _, pc := range p.Lines[0].Pieces {
		if pc.Text == "999" && pc.Style != 1 {
			t.Errorf("999 lost its style")
		}
	}
}

func BenchmarkLayoutArabic300Words(b *testing.B) {
	words := strings.Fields("اتصل برقم الطوارئ إذا كنت في خطر الآن يمكنك أيضا الاتصال بخط المساعدة وهو مجاني ويعمل كل ساعة في اليوم مع مترجمين لا أحد يحتاج إلى معرفة اسمك أو عنوانك NHS 111")
	var sb strings.Builder
	for i := 0; i < 300; i++ {
		sb.WriteString(words[i%len(words)])
		sb.WriteByte(' ')
	}
	spans := plain(sb.String())
	for b.Loop() {
		textlayout.Layout(spans, textlayout.RTL, 340, measure)
	}
}

// TestMerge joins pieces a shaper can draw together, and keeps their
// meaning: the merged pieces, read the way the shaper reads them, say the
// same as the pieces one by one.
func TestMerge(t *testing.T) {
	tests := []struct {
		text string
		dir  textlayout.Dir
		want []string // merged pieces, left to right; "<" marks right to left
	}{
		{"Call the emergency number now", textlayout.LTR, []string{"Call the emergency number now"}},
		{"اتصل بالطوارئ الآن", textlayout.RTL, []string{"<اتصل بالطوارئ الآن"}},
		{"اتصل بـ NHS 111 الآن", textlayout.RTL, []string{"<الآن", " ", "NHS 111", " ", "<اتصل بـ"}},
		{"۳ پیام دارید.", textlayout.RTL, []string{".", "<پیام دارید", " ", "۳"}},
	}
	for _, tt := range tests {
		p := textlayout.Layout(plain(tt.text), tt.dir, 10000, measure)
		var got []string
		for _, pc := range textlayout.Merge(p.Lines[0].Pieces) {
			s := pc.Text
			if pc.RTL {
				s = "<" + s
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q:\n got  %q\n want %q", tt.text, got, tt.want)
		}
	}
}

// A prepared paragraph lays out exactly as Layout does at every width, and
// its widths are those of its one-line and narrowest layouts.
func TestPreparedMatchesLayout(t *testing.T) {
	for _, s := range []string{
		"",
		"  leading spaces and trailing ones  ",
		"هذا نص عربي فيه 123 رقم وكلمة English في الوسط.",
		"Call 0800 0121 700 (free) – any time, day or night.",
		"ሓደ ቃል ኣብ ነፍሲ ወከፍ መስመር",
		"Supercalifragilistic short",
	} {
		spans := []textlayout.Span{{Text: s[:len(s)/2], Style: 0}, {Text: s[len(s)/2:], Style: 1}}
		if !utf8.ValidString(spans[0].Text) {
			spans = plain(s)
		}
		p := textlayout.Prepare(spans, textlayout.Auto, measure)
		for _, w := range []float32{1, 60, 150, 400, 1e9} {
			if got, want := p.Layout(w), textlayout.Layout(spans, textlayout.Auto, w, measure); !reflect.DeepEqual(got, want) {
				t.Errorf("%q at %v: prepared %+v, Layout %+v", s, w, got, want)
			}
		}
		widest := func(pa textlayout.Paragraph) float32 {
			var m float32
			for _, l := range pa.Lines {
				m = max(m, l.Width)
			}
			return m
		}
		natural, word := p.Widths()
		if want := widest(p.Layout(1e9)); natural != want {
			t.Errorf("%q: natural width %v, want %v", s, natural, want)
		}
		// At the width of its widest word, no word is broken.
		if got := widest(p.Layout(word)); got != word {
			t.Errorf("%q: widest word %v, but laid out that wide its widest line is %v", s, word, got)
		}
	}
}

// A long right-to-left paragraph with numbers and an English name wraps
// in logical order, and each line reads in its own visual order.
func TestWrappedLinesVisualOrder(t *testing.T) {
	// Each character is 10 wide: 16 characters to a line.
	p := textlayout.Layout(plain("اتصل بالرقم 999 الآن أو اكتب إلى NHS 111 من فضلك"), textlayout.RTL, 160, measure)
	want := [][]string{
		{"999", "<بالرقم", "<اتصل"},       // the number ends the first line, on its left
		{"<إلى", "<اكتب", "<أو", "<الآن"}, // pure Arabic, right to left
		{"<فضلك", "<من", "NHS", "111"},    // "NHS 111" keeps its own order, at the right where it starts
	}
	if len(p.Lines) != len(want) {
		t.Fatalf("%d lines, want %d: %v", len(p.Lines), len(want), p.Lines)
	}
	for i, l := range p.Lines {
		if got := visual(l); !slices.Equal(got, want[i]) {
			t.Errorf("line %d: %q, want %q", i+1, got, want[i])
		}
		if l.Width > 160 {
			t.Errorf("line %d is %v wide, more than 160", i+1, l.Width)
		}
	}
}

// lineText returns a line's pieces joined left to right, with right-to-
// left pieces reversed, so the string reads as the line looks from left to
// right, character by character.
func lineText(l textlayout.Line) string {
	var b strings.Builder
	for _, pc := range l.Pieces {
		if pc.RTL {
			r := []rune(pc.Text)
			slices.Reverse(r)
			b.WriteString(string(r))
		} else {
			b.WriteString(pc.Text)
		}
	}
	return b.String()
}

// TestUnitsReadLeftToRight lays out phone numbers, addresses and isolates
// inside right-to-left text: each must appear on the line, character by
// character, in the order it is written (and dialled), never with its
// groups reordered.
func TestUnitsReadLeftToRight(t *testing.T) {
	tests := []struct {
		name, text, unit string
	}{
		{"phone number", "اتصل بالرقم 08000 121 700 الآن", "08000 121 700"},
		{"phone number alone", "08000 121 700", "08000 121 700"},
		{"phone number in brackets", "الخط (0800 808 3733) مجاني", "0800 808 3733"},
		{"phone number at the end of a sentence", "اتصل بالرقم 0300 123 2040.", "0300 123 2040"},
		{"international number", "من الخارج: +44 20 7946 0000 فقط", "+44 20 7946 0000"},
		{"Farsi", "با شماره 18001 111 تماس بگیرید", "18001 111"},
		{"web address with digits", "زوروا 111.nhs.uk الآن", "111.nhs.uk"},
		{"web address with a path", "افتح gov.uk/view-prove-immigration-status الآن.", "gov.uk/view-prove-immigration-status"},
		{"web address in brackets", "الموقع (www.gov.uk) رسمي", "www.gov.uk"},
		{"email address", "اكتب إلى report@phishing.gov.uk الآن", "report@phishing.gov.uk"},
		{"an isolate the caller made", "الحد الأدنى " + textlayout.Isolate("£12.71") + " في الساعة", "£12.71"},
		{"a number in brackets after an English word", "اتصل بـ NHS (111) الآن", "NHS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := textlayout.Layout(plain(tt.text), textlayout.RTL, 10000, measure)
			if len(p.Lines) != 1 {
				t.Fatalf("%d lines", len(p.Lines))
			}
			if got := lineText(p.Lines[0]); !strings.Contains(got, tt.unit) {
				t.Errorf("the line reads %q from left to right: %q is not in it in order", got, tt.unit)
			}
		})
	}
}

// TestBracketsAfterEnglishInArabic: a number in brackets after an English
// word, in Arabic, joins the English (rules W7 and N0): "NHS (111)"
// reads left to right as written, inside the Arabic. (x/text's own
// resolution put the opening bracket before the number and the closing
// one at the far side of "NHS".)
func TestBracketsAfterEnglishInArabic(t *testing.T) {
	p := textlayout.Layout(plain("اتصل بـ NHS (111) الآن"), textlayout.RTL, 10000, measure)
	want := []string{"<الآن", "NHS", "(", "111", ")", "<بـ", "<اتصل"}
	if got := visual(p.Lines[0]); !slices.Equal(got, want) {
		t.Errorf("visual order %q, want %q", got, want)
	}
}

// TestMirrored mirrors the mirrored characters of right-to-left runs
// (rule L4): brackets, and the guillemets of Farsi and Arabic quotations.
// Each must face the words it encloses.
func TestMirrored(t *testing.T) {
	tests := []struct{ text, want string }{
		{"اتصل (مجانا)", "()"},
		{"بنویسید «سلام» لطفا", "«»"},
		{"أ [ب] {ج} <د>", "<>{}[]"},
		{"English (kept)", "()"},
		{"(خط مساعدة) إذا", "()"},
	}
	for _, tt := range tests {
		p := textlayout.Layout(plain(tt.text), textlayout.Auto, 10000, measure)
		var got strings.Builder
		for _, r := range lineText(p.Lines[0]) {
			if strings.ContainsRune("()[]{}<>«»", r) {
				got.WriteRune(r)
			}
		}
		if got.String() != tt.want {
			t.Errorf("%q: marks %q from left to right, want %q", tt.text, got.String(), tt.want)
		}
	}
}

// TestUnitStaysOnOneLine breaks lines before a phone number rather than
// inside it, when it fits on a line; one too wide for a line breaks at
// its spaces.
func TestUnitStaysOnOneLine(t *testing.T) {
	text := "اتصل الآن 08000 121 700"
	p := textlayout.Layout(plain(text), textlayout.RTL, 150, measure)
	if len(p.Lines) != 2 || lineText(p.Lines[1]) != "08000 121 700" {
		var got []string
		for _, l := range p.Lines {
			got = append(got, lineText(l))
		}
		t.Errorf("lines %q: the number is not on a line of its own", got)
	}
	p = textlayout.Layout(plain("08000 121 700"), textlayout.RTL, 60, measure)
	if len(p.Lines) != 3 || lineText(p.Lines[0]) != "08000" {
		t.Errorf("a number too wide for a line: %d lines", len(p.Lines))
	}
}

// TestNoUnitWhereThereIsNone leaves numbers that are not phone numbers
// to the algorithm: a price and a count, a date.
func TestNoUnitWhereThereIsNone(t *testing.T) {
	for _, s := range []string{"£3.50 2 times", "Step 1 of 8", "4 May 1990", "e.g. this", "U.K. English"} {
		p := textlayout.Prepare(plain(s), textlayout.LTR, measure)
		plainP := textlayout.Layout(plain(s), textlayout.LTR, 10000, measure)
		if got := p.Layout(10000); !reflect.DeepEqual(got, plainP) {
			t.Errorf("%q: laid out differently by Prepare and Layout", s)
		}
		if got := lineText(plainP.Lines[0]); got != s {
			t.Errorf("%q reads %q", s, got)
		}
	}
}

// TestJoinerStaysInItsWord keeps a Farsi word with a zero-width
// non-joiner in it as one piece, so the shaper sees the joiner.
func TestJoinerStaysInItsWord(t *testing.T) {
	p := textlayout.Layout(plain("بهره\u200cکشی"), textlayout.RTL, 10000, measure)
	if n := len(p.Lines[0].Pieces); n != 1 {
		t.Errorf("%d pieces, want 1: %+v", n, p.Lines[0].Pieces)
	}
}
