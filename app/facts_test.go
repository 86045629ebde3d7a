package app_test

import (
	"fmt"
	"image"
	"image/color"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/lessonfile"
	"github.com/waymark-app/waymark/lessons"
)

// rtlSentences are a sentence around a fact, and one with words in
// brackets, in each right-to-left language.
var rtlSentences = map[string]struct{ around, brackets string }{
	"ar": {"للمساعدة اتصل بـ %s الآن.", "الخدمة (مجانية) دائما."},
	"fa": {"برای کمک با %s تماس بگیرید.", "این خدمت (رایگان) است."},
}

// TestFactsReadLeftToRight draws every fact in the registry
// (lessons/facts.toml) inside Arabic and Farsi sentences, on every kind
// of surface that shows facts, and looks at the picture: the fact's
// glyphs must appear on the line in the order they are written in the
// registry, left to right, as they are dialled or typed ("08000 121 700",
// never "700 121 08000"). The surfaces are the help screen, a lesson's
// plain text (a question and its options), a lesson's Markdown (where a
// fact is a link) and two simulations (an inbox's messages and a mock
// app's screen). A bracket pair in a right-to-left sentence must be drawn
// mirrored, each bracket facing the words it holds.
func TestFactsReadLeftToRight(t *testing.T) {
	registry, err := fs.ReadFile(lessons.FS, "facts.toml")
	if err != nil {
		t.Fatal(err)
	}
	shipped, _ := lessonfile.Load(lessons.FS)
	var keys []string
	for k := range shipped.Facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 10 {
		t.Fatalf("only %d facts in the registry", len(keys))
	}

	fixture := factsCourse(registry, keys)
	if _, ps := lessonfile.Load(fixture); len(ps.Errors()) > 0 {
		t.Fatalf("the fixture course does not load: %v", ps.Errors())
	}
	for _, lang := range []string{"ar", "fa"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			h.fsys = fixture
			h.presetPrefs(map[string]string{"lang": lang, "welcomed": "1"})
			h.start()
			// A phone's width.
			h.ui.Window().Resize(fyne.NewSize(412, 2400))
			check := func(surface string, keys ...string) {
				t.Helper()
				// Tall enough to show every line at once.
				c := h.ui.Window().Canvas()
				h.ui.Window().Resize(fyne.NewSize(412, max(2400, h.scrolledHeight()+400)))
				c.Content().Refresh()
				shot := lumOf(c.Capture())
				for _, k := range keys {
					v := shipped.Facts[k].Value
					if ok, seen := h.drawsInOrder(shot, v); !ok {
						t.Errorf("%s, fact %s: %q is not drawn in order; the lines holding it read, left to right: %s", surface, k, v, seen)
					}
				}
			}

			h.tapHelp()
			var onHelp []string
			for _, k := range keys {
				if h.shows(shipped.Facts[k].Value) {
					onHelp = append(onHelp, k)
				}
			}
			if !slices.Contains(onHelp, "helpline.modern_slavery") {
				t.Fatalf("the help screen does not show the Modern Slavery Helpline: %v", h.texts())
			}
			check("help screen", onHelp...)

			for _, k := range sampled(keys) {
				h.ui.Open("facts/plain-" + slug(k))
				check("a question and its option (plain text)", k)
			}
			h.ui.Open("facts/read")
			check("a lesson's Markdown", keys...)
			h.checkMirrored(rtlSentences[lang].brackets)
			h.ui.Open("facts/inbox")
			check("an inbox simulation's messages", keys...)
			h.ui.Open("facts/flow")
			check("a mock app's screen", keys...)
		})
	}
}

// scrolledHeight is the height of what the screen's scrolling body holds.
func (h *harness) scrolledHeight() float32 {
	var hgt float32
	walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		if s, ok := o.(*container.Scroll); ok {
			hgt = max(hgt, s.Content.MinSize().Height)
		}
	})
	return hgt
}

// slug makes a fact key into a step id.
func slug(key string) string { return strings.NewReplacer(".", "-", "_", "-").Replace(key) }

// factsCourse is a course of one lesson that shows every fact of the
// registry on every kind of surface, in English, Arabic and Farsi.
func factsCourse(registry []byte, keys []string) fstest.MapFS {
	var structure, en strings.Builder
	texts := map[string]*strings.Builder{"ar": {}, "fa": {}}
	structure.WriteString("minutes = 5\nareas = [\"being-safe\"]\nlevel = \"entry\"\nskills = [\"facts\"]\n\n")
	en.WriteString("title = \"Call {fact:nhs.111}\"\nsummary = \"Every fact.\"\n[skill]\nfacts = \"Facts\"\n\n")
	for lang, b := range texts {
		fmt.Fprintf(b, "title = %q\n\n", fmt.Sprintf(rtlSentences[lang].around, "{fact:nhs.111}"))
	}
	all := func(w *strings.Builder, format string) {
		for _, k := range keys {
			fmt.Fprintf(w, format+"\n\n", "{fact:"+k+"}")
		}
	}
	// Plain text: one question a fact, the fact in an option too.
	for _, k := range keys {
		id := "plain-" + slug(k)
		fmt.Fprintf(&structure, "[[step]]\nid = %q\nkind = \"choice\"\noptions = [\"a\", \"b\"]\ncorrect = \"a\"\n\n", id)
		fmt.Fprintf(&en, "[step.%s]\nquestion = \"Call {fact:%s}?\"\nexplanation = \"Yes.\"\n[step.%s.option.a]\ntext = \"{fact:%s}\"\nfeedback = \"Yes.\"\n[step.%s.option.b]\ntext = \"No\"\nfeedback = \"No.\"\n\n", id, k, id, k, id)
		for lang, b := range texts {
			s := fmt.Sprintf(rtlSentences[lang].around, "{fact:"+k+"}")
			fmt.Fprintf(b, "[step.%s]\nquestion = %q\n[step.%s.option.a]\ntext = %q\n\n", id, s, id, s)
		}
	}
	// Markdown: every fact, a paragraph each, as a link, and brackets.
	structure.WriteString("[[step]]\nid = \"read\"\nkind = \"read\"\n\n")
	en.WriteString("[step.read]\ntitle = \"Facts\"\ntext = \"\"\"\n")
	all(&en, "Call %s now.")
	en.WriteString("\"\"\"\n\n")
	for lang, b := range texts {
		fmt.Fprintf(b, "[step.read]\ntext = \"\"\"\n%s\n\n", rtlSentences[lang].brackets)
		all(b, rtlSentences[lang].around)
		b.WriteString("\"\"\"\n\n")
	}
	// An inbox: a message a fact.
	var msgs []string
	for _, k := range keys {
		msgs = append(msgs, fmt.Sprintf("%q", "m-"+slug(k)))
	}
	fmt.Fprintf(&structure, "[[step]]\nid = \"inbox\"\nkind = \"inbox\"\nmessages = [%s]\nscams = []\n\n", strings.Join(msgs, ", "))
	en.WriteString("[step.inbox]\nquestion = \"Sort.\"\nexplanation = \"All safe.\"\nreal_life = \"Check.\"\n")
	for lang, b := range texts {
		b.WriteString("[step.inbox]\n")
		for _, k := range keys {
			fmt.Fprintf(b, "[step.inbox.option.m-%s]\ntext = %q\n", slug(k), fmt.Sprintf(rtlSentences[lang].around, "{fact:"+k+"}"))
		}
		b.WriteString("\n")
	}
	for _, k := range keys {
		fmt.Fprintf(&en, "[step.inbox.option.m-%s]\nfrom = \"Bank\"\ntext = \"Call {fact:%s}.\"\nfeedback = \"Safe.\"\n", slug(k), k)
	}
	en.WriteString("\n")
	// A mock app: every fact on its first screen.
	structure.WriteString("[[step]]\nid = \"flow\"\nkind = \"flow\"\nstyle = \"plain\"\n\n[[step.screen]]\nid = \"home\"\nchoices = [\"go\", \"stay\"]\nnext = \"go\"\n\n[[step.screen]]\nid = \"end\"\n")
	en.WriteString("[step.flow]\nquestion = \"Go on.\"\nexplanation = \"Done.\"\nreal_life = \"Check.\"\n[step.flow.screen.home]\ntitle = \"Home\"\ntext = \"\"\"\n")
	all(&en, "Call %s.")
	en.WriteString("\"\"\"\n[step.flow.screen.home.option.go]\ntext = \"Go\"\n[step.flow.screen.home.option.stay]\ntext = \"Stay\"\nfeedback = \"Go on.\"\n[step.flow.screen.end]\ntitle = \"End\"\ntext = \"Done.\"\n")
	for lang, b := range texts {
		b.WriteString("[step.flow.screen.home]\ntext = \"\"\"\n")
		all(b, rtlSentences[lang].around)
		b.WriteString("\"\"\"\n")
	}
	return fstest.MapFS{
		"facts.toml":         {Data: registry},
		"tracks/tracks.toml": {Data: []byte("[[track]]\nid = \"facts\"\nicon = \"shield\"\nlessons = [\"facts\"]\n")},
		"tracks/en.toml":     {Data: []byte("[facts]\ntitle = \"Facts\"\nsummary = \"Every fact.\"\n")},
		"facts/lesson.toml":  {Data: []byte(structure.String())},
		"facts/en.toml":      {Data: []byte(en.String())},
		"facts/ar.toml":      {Data: []byte("draft = true\n" + texts["ar"].String())},
		"facts/fa.toml":      {Data: []byte("draft = true\n" + texts["fa"].String())},
	}
}

// drawnPiece is a piece of text drawn on screen, where it is drawn.
type drawnPiece struct {
	*canvas.Text
	pos fyne.Position
}

// drawnPieces returns every piece of text the screen draws.
func (h *harness) drawnPieces() []drawnPiece {
	var out []drawnPiece
	d := fyne.CurrentApp().Driver()
	walk(h.content(), nil, func(o fyne.CanvasObject, _ fyne.Tappable) {
		var w fyne.Widget
		switch v := o.(type) {
		case *xwidget.Text:
			w = v
		case *xwidget.LinkText:
			w = v
		default:
			return
		}
		at := d.AbsolutePositionForObject(o)
		for _, c := range test.WidgetRenderer(w).Objects() {
			if t, ok := c.(*canvas.Text); ok && t.Visible() {
				out = append(out, drawnPiece{t, at.Add(t.Position())})
			}
		}
	})
	return out
}

// drawsInOrder reports whether the screen's picture shows value's glyphs
// in order, left to right, somewhere: it draws value alone in the size
// and style of each piece of text on screen that holds part of it, and
// looks for that picture along the piece's line. It also returns how the
// lines it looked at read, piece by piece from left to right.
func (h *harness) drawsInOrder(shot lumImage, value string) (bool, string) {
	h.t.Helper()
	pieces := h.drawnPieces()
	var seen []string
	for _, p := range pieces {
		if !sharesAWord(p.Text.Text, value) {
			continue
		}
		tmpl := inkOf(renderAlone(h.t, value, p.Text))
		y0, y1 := int(p.pos.Y)-4, int(p.pos.Y+p.Size().Height)+4
		if findInk(shot, tmpl, y0, y1, p.Color) {
			return true, ""
		}
		seen = append(seen, lineReading(pieces, p))
	}
	if len(seen) == 0 {
		if h.drawsBrokenInOrder(shot, pieces, value) {
			return true, ""
		}
		return false, "(no piece of text holds any of it)"
	}
	return false, strings.Join(seen, "; ")
}

// drawsBrokenInOrder reports whether value, too wide for one line, is
// drawn broken over lines (after a dot or a slash) in order: its pieces,
// read line by line from the top and left to right on each line, make
// value, and each is drawn in order (found in the picture).
func (h *harness) drawsBrokenInOrder(shot lumImage, pieces []drawnPiece, value string) bool {
	h.t.Helper()
	var parts []drawnPiece
	for _, p := range pieces {
		if len(p.Text.Text) >= 3 && strings.Contains(value, p.Text.Text) {
			parts = append(parts, p)
		}
	}
	sort.SliceStable(parts, func(i, j int) bool {
		if parts[i].pos.Y != parts[j].pos.Y {
			return parts[i].pos.Y < parts[j].pos.Y
		}
		return parts[i].pos.X < parts[j].pos.X
	})
	// The pieces of one drawing of value: consecutive parts that add up.
	for start := range parts {
		joined := ""
		for _, p := range parts[start:] {
			if !strings.HasPrefix(value, joined+p.Text.Text) {
				break
			}
			tmpl := inkOf(renderAlone(h.t, p.Text.Text, p.Text))
			if !findInk(shot, tmpl, int(p.pos.Y)-4, int(p.pos.Y+p.Size().Height)+4, p.Color) {
				break
			}
			joined += p.Text.Text
			if joined == value {
				return true
			}
		}
	}
	return false
}

// sharesAWord reports whether text holds one of value's words.
func sharesAWord(text, value string) bool {
	for _, w := range strings.Fields(value) {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// lineReading lists the pieces drawn on p's line, left to right.
func lineReading(pieces []drawnPiece, p drawnPiece) string {
	var line []drawnPiece
	for _, q := range pieces {
		if q.pos.Y == p.pos.Y {
			line = append(line, q)
		}
	}
	sort.Slice(line, func(i, j int) bool { return line[i].pos.X < line[j].pos.X })
	var parts []string
	for _, q := range line {
		parts = append(parts, q.Text.Text)
	}
	return "[" + strings.Join(parts, "|") + "]"
}

// renderAlone draws text in like's size and style, black on white.
func renderAlone(t testing.TB, text string, like *canvas.Text) image.Image {
	key := fmt.Sprint(text, like.TextSize, like.TextStyle)
	if img, ok := rendered[key]; ok {
		return img
	}
	c := canvas.NewText(text, color.Black)
	c.TextSize, c.TextStyle = like.TextSize, like.TextStyle
	bg := canvas.NewRectangle(color.White)
	w := test.NewWindow(stackOf(bg, c))
	w.SetPadded(false)
	w.Resize(c.MinSize().Add(fyne.NewSize(8, 8)))
	defer w.Close()
	rendered[key] = w.Canvas().Capture()
	return rendered[key]
}

// rendered holds the pictures renderAlone drew, by text, size and style.
var rendered = map[string]image.Image{}

// stackOf stacks objects, text in its corner.
func stackOf(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return &fyne.Container{Layout: stack{}, Objects: objs}
}

type stack struct{}

func (stack) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
	objs[len(objs)-1].Resize(objs[len(objs)-1].MinSize())
	objs[len(objs)-1].Move(fyne.NewPos(4, 4))
}

func (stack) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[len(objs)-1].MinSize() }

// mask is the ink of a picture: where its glyphs are.
type mask struct {
	w, h int
	ink  []bool
	n    int // ink pixels
}

func (m mask) at(x, y int) bool { return x >= 0 && y >= 0 && x < m.w && y < m.h && m.ink[y*m.w+x] }

func lum(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
}

// inkOf returns the dark pixels of a black-on-white picture, cropped to
// them.
func inkOf(img image.Image) mask {
	b := img.Bounds()
	x0, y0, x1, y1 := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if lum(img.At(x, y)) < 0.5 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
			}
		}
	}
	m := mask{w: max(0, x1-x0), h: max(0, y1-y0)}
	m.ink = make([]bool, m.w*m.h)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if lum(img.At(x, y)) < 0.5 {
				m.ink[(y-y0)*m.w+x-x0] = true
				m.n++
			}
		}
	}
	return m
}

// lumImage is a picture's luminance, 0 (black) to 1 (white).
type lumImage struct {
	w, h int
	l    []float64
}

func lumOf(img image.Image) lumImage {
	b := img.Bounds()
	li := lumImage{w: b.Dx(), h: b.Dy(), l: make([]float64, b.Dx()*b.Dy())}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			li.l[(y-b.Min.Y)*li.w+x-b.Min.X] = lum(img.At(x, y))
		}
	}
	return li
}

// findInk looks for the template's ink in the rows y0 to y1 of the
// screen's picture, drawn in colour fg: every ink pixel of the template
// must have ink within a pixel of it on screen, and the other way round,
// but for 3 % of them.
func findInk(shot lumImage, tmpl mask, y0, y1 int, fg color.Color) bool {
	if tmpl.n == 0 {
		return false
	}
	y0, y1 = max(y0, 0), min(y1, shot.h)
	if y1-y0 < tmpl.h {
		return false
	}
	// The band's background: its most common shade.
	counts := map[int]int{}
	for _, v := range shot.l[y0*shot.w : y1*shot.w] {
		counts[int(v*255)]++
	}
	bg, best := 0, 0
	for v, n := range counts {
		if n > best {
			bg, best = v, n
		}
	}
	contrast := lum(fg) - float64(bg)/255
	if contrast == 0 {
		return false
	}
	band := mask{w: shot.w, h: y1 - y0}
	band.ink = make([]bool, band.w*band.h)
	for i, v := range shot.l[y0*shot.w : y1*shot.w] {
		band.ink[i] = (v-float64(bg)/255)/contrast > 0.5
	}
	near := func(m mask, x, y int) bool {
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				if m.at(x+dx, y+dy) {
					return true
				}
			}
		}
		return false
	}
	// A few of the template's ink pixels, to rule places out quickly.
	var sample [][2]int
	for i, ink := range tmpl.ink {
		if ink && i%7 == 0 {
			sample = append(sample, [2]int{i % tmpl.w, i / tmpl.w})
		}
	}
	allowed := tmpl.n * 3 / 100
	for oy := 0; oy+tmpl.h <= band.h; oy++ {
	places:
		for ox := 0; ox+tmpl.w <= band.w; ox++ {
			miss := 0
			for _, p := range sample {
				if !near(band, ox+p[0], oy+p[1]) {
					if miss++; miss > allowed/7 {
						continue places
					}
				}
			}
			miss = 0
			for ty := 0; ty < tmpl.h && miss <= allowed; ty++ {
				for tx := 0; tx < tmpl.w && miss <= allowed; tx++ {
					t, s := tmpl.at(tx, ty), band.at(ox+tx, oy+ty)
					if t && !near(band, ox+tx, oy+ty) || s && !near(tmpl, tx, ty) {
						miss++
					}
				}
			}
			if miss <= allowed {
				return true
			}
		}
	}
	return false
}

// checkMirrored finds the bracket pair of a right-to-left sentence on
// screen and checks that each bracket is drawn facing the words it holds:
// the left one as "(" and the right one as ")", in the picture.
func (h *harness) checkMirrored(sentence string) {
	h.t.Helper()
	shot := h.ui.Window().Canvas().Capture()
	var brackets []drawnPiece
	for _, p := range h.drawnPieces() {
		if p.Text.Text == "(" || p.Text.Text == ")" {
			brackets = append(brackets, p)
		}
	}
	if len(brackets) != 2 {
		h.t.Errorf("%q: %d brackets drawn, want 2", sentence, len(brackets))
		return
	}
	sort.Slice(brackets, func(i, j int) bool { return brackets[i].pos.X < brackets[j].pos.X })
	for i, want := range []string{"(", ")"} {
		p := brackets[i]
		tmpl := inkOf(renderAlone(h.t, want, p.Text))
		other := inkOf(renderAlone(h.t, map[string]string{"(": ")", ")": "("}[want], p.Text))
		x0, x1 := int(p.pos.X)-2, int(p.pos.X+p.Size().Width)+2
		sub := lumOf(cropX(shot, x0, x1))
		y0, y1 := int(p.pos.Y)-4, int(p.pos.Y+p.Size().Height)+4
		if !findInk(sub, tmpl, y0, y1, p.Color) || findInk(sub, other, y0, y1, p.Color) {
			h.t.Errorf("%q: the %s bracket is not drawn as %q", sentence, []string{"left", "right"}[i], want)
		}
	}
}

// cropX returns the columns x0 to x1 of img.
func cropX(img image.Image, x0, x1 int) image.Image {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, b.Min.Y, x1-x0, b.Max.Y))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := x0; x < x1; x++ {
			if x >= b.Min.X && x < b.Max.X {
				out.Set(x-x0, y, img.At(x, y))
			}
		}
	}
	return out
}
