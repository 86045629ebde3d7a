package textlayout

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestBidiConformance runs the resolution of levels and the visual order
// against the Unicode conformance data for the algorithm,
// BidiCharacterTest.txt (Unicode 15.0, from the Unicode Character
// Database; the copy in testdata is compressed). Every line must give the
// paragraph level, every character's level and the visual order the data
// says.
func TestBidiConformance(t *testing.T) {
	f, err := os.Open("testdata/BidiCharacterTest.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	checkConformance(t, z)
}

func checkConformance(t *testing.T, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line, cases, failed := 0, 0, 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, ";")
		if len(f) != 5 {
			t.Fatalf("line %d: %d fields", line, len(f))
		}
		var runes []rune
		for _, h := range strings.Fields(f[0]) {
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			runes = append(runes, rune(v))
		}
		dir := map[string]Dir{"0": LTR, "1": RTL, "2": Auto}[f[1]]
		cases++
		p := resolveBidi(runes, dir)
		levels := p.lineLevels(0, len(runes))
		var got []string
		var keep []int
		for i := range runes {
			if p.removed(i) {
				got = append(got, "x")
				continue
			}
			got = append(got, strconv.Itoa(int(levels[i])))
			keep = append(keep, i)
		}
		order := visualOrder(keep, levels)
		var gotOrder []string
		for _, i := range order {
			gotOrder = append(gotOrder, strconv.Itoa(i))
		}
		if strconv.Itoa(int(p.level)) != f[2] || strings.Join(got, " ") != f[3] || strings.Join(gotOrder, " ") != f[4] {
			failed++
			if failed <= 20 {
				t.Errorf("line %d: %s\n para level %d, want %s\n levels %s\n want   %s\n order %s\n want  %s", line, f[0], p.level, f[2], strings.Join(got, " "), f[3], strings.Join(gotOrder, " "), f[4])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if failed > 0 {
		t.Errorf("%d of %d cases fail", failed, cases)
	}
	if cases < 90000 {
		t.Errorf("only %d cases read", cases)
	}
	t.Logf("%d cases", cases)
}

// visualOrder applies rule L2 to the characters idx (in logical order).
func visualOrder(idx []int, levels []int8) []int {
	order := slices.Clone(idx)
	var hi, lowOdd int8 = 0, 127
	for _, i := range idx {
		hi = max(hi, levels[i])
		if levels[i]%2 == 1 {
			lowOdd = min(lowOdd, levels[i])
		}
	}
	for l := hi; l >= lowOdd && l > 0; l-- {
		for a := 0; a < len(order); {
			if levels[order[a]] < l {
				a++
				continue
			}
			b := a
			for b < len(order) && levels[order[b]] >= l {
				b++
			}
			slices.Reverse(order[a:b])
			a = b
		}
	}
	return order
}
