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

// TestWordNeverSplit puts a word wider than the line on a line of its own.
func TestWordNeverSplit(t *testing.T) {
	p := textlayout.Layout(plain("a verylongwordindeed b"), textlayout.LTR, 60, measure)
	var got []string
	for _, l := range p.Lines {
		got = append(got, strings.Join(visual(l), " "))
	}
	if strings.Join(got, "/") != "a/verylongwordindeed/b" {
		t.Errorf("lines: %q", got)
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
		if want := widest(p.Layout(1)); word != want {
			t.Errorf("%q: widest word %v, want %v", s, word, want)
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
