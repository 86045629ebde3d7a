package xwidget

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/internal/textlayout"
)

// RTL is the direction of the interface: true while it is in a right-to-
// left language. Text takes its paragraphs' direction from it, and the
// app mirrors its layouts by it. The app sets it when the language
// changes, before it builds the screen again.
var RTL bool

// Span is a piece of a paragraph in one style.
type Span struct {
	Text   string
	Bold   bool
	Italic bool
	Link   string // a URL: the span is a link
}

// Para is one paragraph: its spans, and for a list item the bullet or
// number shown before it.
type Para struct {
	Spans  []Span
	Prefix string
}

// Text shows text in any script and direction, correctly: each paragraph
// goes through the Unicode Bidirectional Algorithm, is broken into lines
// in logical order using measured widths, and each line's pieces are
// drawn in visual order (see internal/textlayout). A line of Arabic with
// a number and an English word in it reads as it should, which Fyne's own
// labels cannot do. Paragraphs are aligned to their direction.
type Text struct {
	widget.BaseWidget
	Paras    []Para
	SizeName fyne.ThemeSizeName
	Bold     bool
	// Dir is the paragraphs' base direction; Auto (the default) follows
	// the interface (RTL) for text in the learner's language. English
	// phrases shown beside it use LTR.
	Dir       textlayout.Dir
	Alignment fyne.TextAlign // Leading: the start of the paragraph's direction
	// Wrap breaks lines to the width; without it the text is one line.
	// (Nothing is ever cut short with "…": a title that does not fit
	// wraps.)
	Wrap      bool
	ColorName fyne.ThemeColorName // "" for the foreground colour
	// Tight leaves out the padding around the text, inside a button.
	Tight bool
	// Font, if set, names the font file each style is drawn in, before
	// the theme does (see FontSourcer): for words wholly in another
	// script than the interface's, such as a language's own name in a
	// language picker.
	Font func(fyne.TextStyle) fyne.Resource

	r *textRenderer
}

// NewText returns wrapping text in the interface's direction.
func NewText(s string) *Text {
	t := &Text{Paras: plainParas(s), Wrap: true}
	t.ExtendBaseWidget(t)
	return t
}

// SetText replaces the text.
func (t *Text) SetText(s string) {
	t.Paras = plainParas(s)
	t.Refresh()
}

// String returns the text, paragraphs separated by newlines, as a reader
// reads it: without the directional controls that steer its layout.
func (t *Text) String() string {
	var b strings.Builder
	for i, p := range t.Paras {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Prefix != "" {
			b.WriteString(p.Prefix + " ")
		}
		for _, s := range p.Spans {
			b.WriteString(s.Text)
		}
	}
	return stripControls(b.String())
}

// stripControls removes the isolate, embedding and override controls.
func stripControls(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r >= '\u2066' && r <= '\u2069' || r >= '\u202a' && r <= '\u202e' }

func plainParas(s string) []Para {
	var out []Para
	for _, line := range strings.Split(s, "\n") {
		out = append(out, Para{Spans: []Span{{Text: line}}})
	}
	return out
}

func (t *Text) dir() textlayout.Dir {
	if t.Dir != textlayout.Auto {
		return t.Dir
	}
	if RTL {
		return textlayout.RTL
	}
	return textlayout.Auto
}

// style is what a piece of text looks like, indexed by span.
type style struct {
	span      Span
	textStyle fyne.TextStyle
	source    fyne.Resource // the font file, or nil (see FontSourcer)
}

// laidOut is the text laid out for one width.
type laidOut struct {
	width  float32
	size   float32
	paras  []textlayout.Paragraph
	styles [][]style
	indent []float32
	height float32
}

// FontSourcer is a theme that names the font file each text style is
// drawn in. Text hands that file to Fyne (canvas.Text.FontSource), which
// then reads that one file; for text without one, Fyne reads the theme's
// font, its own font, its symbol font and a system font chosen for the
// device's language, and first indexes every font on the system, before
// the first word is measured. A glyph the file lacks is still looked up
// among the system's fonts, when it is first met. A nil resource leaves
// the style to Fyne's lookup.
type FontSourcer interface {
	FontSource(fyne.TextStyle) fyne.Resource
}

// source is the font file the words are drawn in, in style, or nil for
// Fyne's lookup.
func (t *Text) source(style fyne.TextStyle) fyne.Resource {
	if t.Font != nil {
		if r := t.Font(style); r != nil {
			return r
		}
	}
	return t.themeSource(style)
}

// themeSource is the interface's font file for style: the one lines are
// spaced by and bullets drawn in, whatever font the words are in.
func (t *Text) themeSource(style fyne.TextStyle) fyne.Resource {
	if fs, ok := t.Theme().(FontSourcer); ok {
		return fs.FontSource(style)
	}
	return nil
}

// measure is the size text takes in style, drawn from src (nil: as Fyne
// finds the font).
func measure(text string, size float32, style fyne.TextStyle, src fyne.Resource) fyne.Size {
	if src == nil {
		return fyne.MeasureText(text, size, style)
	}
	s, _ := fyne.CurrentApp().Driver().RenderedTextSize(text, size, style, src)
	return s
}

func (t *Text) metrics() (size, lineH, paraGap, pad, indent float32) {
	th := t.Theme()
	name := t.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	size = th.Size(name)
	lineStyle := fyne.TextStyle{Bold: t.Bold}
	lineH = measure("Mg", size, lineStyle, t.themeSource(lineStyle)).Height
	paraGap = th.Size(theme.SizeNameLineSpacing)
	pad = th.Size(theme.SizeNameInnerPadding)
	if t.Tight {
		pad = 0
	}
	indent = measure("• ", size, fyne.TextStyle{}, t.themeSource(fyne.TextStyle{})).Width + size*0.3
	return
}

// prepared is the text's paragraphs resolved and measured for one font
// and size: everything about laying it out that does not depend on the
// width. A renderer keeps it until the words, the style or the font
// change, so that laying the text out at a new width is cheap.
type prepared struct {
	// What it was made from.
	paras                 []Para
	bold                  bool
	dir                   textlayout.Dir
	size                  float32
	regularFont, boldFont string // the theme's regular and bold font names

	preps  []*textlayout.Prepared
	styles [][]style
	indent []float32
}

// fonts names the theme's regular and bold fonts, which measured widths
// depend on.
func (t *Text) fonts() (regular, bold string) {
	th := t.Theme()
	if r := th.Font(fyne.TextStyle{}); r != nil {
		regular = r.Name()
	}
	if r := th.Font(fyne.TextStyle{Bold: true}); r != nil {
		bold = r.Name()
	}
	return regular, bold
}

// valid reports whether p was made for t as it is now.
func (p *prepared) valid(t *Text, size float32) bool {
	if p == nil || p.size != size || p.bold != t.Bold || p.dir != t.dir() || len(p.paras) != len(t.Paras) {
		return false
	}
	if regular, bold := t.fonts(); regular != p.regularFont || bold != p.boldFont {
		return false
	}
	for i, para := range t.Paras {
		q := p.paras[i]
		if q.Prefix != para.Prefix || len(q.Spans) != len(para.Spans) {
			return false
		}
		for j, s := range para.Spans {
			if q.Spans[j] != s {
				return false
			}
		}
	}
	return true
}

// prepare resolves and measures the paragraphs for the current size.
func (t *Text) prepare() *prepared {
	size, _, _, _, indentW := t.metrics()
	p := &prepared{bold: t.Bold, dir: t.dir(), size: size}
	p.regularFont, p.boldFont = t.fonts()
	for _, para := range t.Paras {
		spans := make([]textlayout.Span, 0, len(para.Spans))
		styles := make([]style, 0, len(para.Spans))
		for j, s := range para.Spans {
			spans = append(spans, textlayout.Span{Text: s.Text, Style: j})
			ts := fyne.TextStyle{Bold: t.Bold || s.Bold, Italic: s.Italic}
			styles = append(styles, style{span: s, textStyle: ts, source: t.source(ts)})
		}
		indent := float32(0)
		if para.Prefix != "" {
			indent = max(indentW, measure(para.Prefix+" ", size, fyne.TextStyle{}, t.themeSource(fyne.TextStyle{})).Width)
		}
		p.preps = append(p.preps, textlayout.Prepare(spans, p.dir, func(text string, st int) float32 {
			return measure(text, size, styles[st].textStyle, styles[st].source).Width
		}))
		p.styles = append(p.styles, styles)
		p.indent = append(p.indent, indent)
		p.paras = append(p.paras, Para{Prefix: para.Prefix, Spans: append([]Span(nil), para.Spans...)})
	}
	return p
}

// prepared returns the text resolved and measured, made again only when
// it is out of date.
func (r *textRenderer) prepared() *prepared {
	size, _, _, _, _ := r.t.metrics()
	if !r.prep.valid(r.t, size) {
		r.prep = r.t.prepare()
	}
	return r.prep
}

// layout lays the paragraphs out for a content width.
func (r *textRenderer) layout(width float32) laidOut {
	t := r.t
	p := r.prepared()
	_, lineH, paraGap, _, _ := t.metrics()
	lo := laidOut{width: width, size: p.size, styles: p.styles, indent: p.indent}
	for i, prep := range p.preps {
		w := width - p.indent[i]
		if !t.Wrap {
			w = 1e9
		}
		para := prep.Layout(w)
		if len(para.Lines) == 0 {
			para.Lines = []textlayout.Line{{}}
		}
		lo.paras = append(lo.paras, para)
		lo.height += float32(len(para.Lines)) * lineH
		if i > 0 {
			lo.height += paraGap
		}
	}
	return lo
}

// CreateRenderer makes the renderer that draws the pieces.
func (t *Text) CreateRenderer() fyne.WidgetRenderer {
	t.r = &textRenderer{t: t}
	return t.r
}

type textRenderer struct {
	t     *Text
	objs  []fyne.CanvasObject
	texts []*canvas.Text
	prep  *prepared
	lo    laidOut // the last layout, for lo.width
	ok    bool    // lo is up to date
}

// widths returns the width of the longest paragraph on one line, and of
// the widest word (the narrowest the text can wrap to).
func (r *textRenderer) widths() (natural, word float32) {
	p := r.prepared()
	for i, prep := range p.preps {
		n, w := prep.Widths()
		natural = max(natural, n+p.indent[i])
		word = max(word, w+p.indent[i])
	}
	return natural, word
}

func (r *textRenderer) contentWidth(size fyne.Size) float32 {
	_, _, _, pad, _ := r.t.metrics()
	return size.Width - 2*pad
}

func (r *textRenderer) MinSize() fyne.Size {
	size, lineH, _, pad, _ := r.t.metrics()
	natural, word := r.widths()
	if !r.t.Wrap {
		return fyne.NewSize(natural+2*pad, lineH+pad)
	}
	w := r.contentWidth(r.t.Size())
	if w <= 0 {
		w = natural
	}
	lo := r.layoutFor(w)
	// As narrow as its widest word, up to three letters' width: a longer
	// word is broken rather than push a phone's screen wider (at the
	// largest text size, one long word would).
	return fyne.NewSize(min(word, minWrapEms*size)+2*pad, lo.height+pad)
}

// minWrapEms is the most width, in letters of the text's size, that
// wrapping text asks for: its narrowest when space is short.
const minWrapEms = 3

// HeightFor returns the text's height when it is width wide, with its
// padding: what MinSize says once the text has that width. A layout that
// decides a text's width asks for its height with it, rather than from
// the width the text had before.
func (t *Text) HeightFor(width float32) float32 {
	_, lineH, _, pad, _ := t.metrics()
	if !t.Wrap {
		return lineH + pad
	}
	r := t.r
	if r == nil {
		r = &textRenderer{t: t}
	}
	return r.layout(width-2*pad).height + pad
}

// NaturalWidth returns the width the text takes on one line, with its
// padding: the most it needs. A layout that can give it that much keeps
// it on one line.
func (t *Text) NaturalWidth() float32 {
	_, _, _, pad, _ := t.metrics()
	var natural float32
	if t.r != nil {
		natural, _ = t.r.widths()
	} else {
		p := t.prepare()
		for i, prep := range p.preps {
			n, _ := prep.Widths()
			natural = max(natural, n+p.indent[i])
		}
	}
	return natural + 2*pad
}

func (r *textRenderer) layoutFor(w float32) laidOut {
	if r.ok && r.lo.width == w {
		size, _, _, _, _ := r.t.metrics()
		if r.lo.size == size {
			return r.lo
		}
	}
	r.lo, r.ok = r.layout(w), true
	return r.lo
}

func (r *textRenderer) Layout(size fyne.Size) {
	t := r.t
	th := t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	_, lineH, paraGap, pad, _ := t.metrics()
	width := r.contentWidth(size)
	lo := r.layoutFor(width)
	colour := th.Color(theme.ColorNameForeground, v)
	if t.ColorName != "" {
		colour = th.Color(t.ColorName, v)
	}
	link := th.Color(theme.ColorNameHyperlink, v)

	n := 0
	next := func() *canvas.Text {
		if n == len(r.texts) {
			c := canvas.NewText("", colour)
			r.texts = append(r.texts, c)
		}
		c := r.texts[n]
		n++
		return c
	}
	y := pad / 2
	if !t.Wrap {
		// One line sits in the middle of its height, as a label does.
		y = max(0, (size.Height-lineH)/2)
	}
	for pi, p := range lo.paras {
		if pi > 0 {
			y += paraGap
		}
		indent := lo.indent[pi]
		for li, line := range p.Lines {
			// Fewer, longer pieces where the shaper can draw them whole.
			pieces := textlayout.Merge(line.Pieces)
			lineW := line.Width
			// Leading is the start of the paragraph's own direction:
			// the right for Arabic and Farsi.
			var x float32
			switch {
			case t.Alignment == fyne.TextAlignCenter:
				x = (width - lineW) / 2
			case (t.Alignment == fyne.TextAlignTrailing) != p.RTL:
				x = width - indent - lineW
			default:
				x = indent
			}
			if li == 0 && t.Paras[pi].Prefix != "" {
				bullet := next()
				bullet.Text = t.Paras[pi].Prefix
				bullet.TextSize = lo.size
				bullet.TextStyle = fyne.TextStyle{Bold: t.Bold}
				bullet.FontSource = t.themeSource(bullet.TextStyle)
				bullet.Color = colour
				bw := measure(bullet.Text, lo.size, bullet.TextStyle, bullet.FontSource).Width
				bx := pad
				if p.RTL {
					bx = pad + width - bw
				}
				bullet.Move(fyne.NewPos(bx, y))
				bullet.Resize(fyne.NewSize(bw, lineH))
			}
			for _, pc := range pieces {
				st := lo.styles[pi][min(pc.Style, len(lo.styles[pi])-1)]
				c := next()
				c.Text = pc.Text
				c.TextSize = lo.size
				c.TextStyle = st.textStyle
				c.FontSource = st.source
				c.Color = colour
				if st.span.Link != "" {
					c.Color = link
				}
				c.Move(fyne.NewPos(pad+x+pc.X, y))
				c.Resize(fyne.NewSize(pc.Width, lineH))
			}
			y += lineH
			if !t.Wrap {
				break
			}
		}
		if !t.Wrap {
			break
		}
	}
	r.objs = r.objs[:0]
	for _, c := range r.texts[:n] {
		r.objs = append(r.objs, c)
		c.Refresh()
	}
}

func (r *textRenderer) Refresh() {
	r.ok = false
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}

func (r *textRenderer) Objects() []fyne.CanvasObject {
	if len(r.objs) == 0 && len(r.t.Paras) > 0 {
		r.Layout(r.t.Size())
	}
	return r.objs
}

func (r *textRenderer) Destroy() {}

// Resize lays the text out again for a new width.
func (t *Text) Resize(size fyne.Size) {
	if size == t.Size() {
		return
	}
	t.BaseWidget.Resize(size)
	t.Refresh()
}

// LinkText is text with links in it: tapping a link opens it. It is a
// separate type because anything tappable takes taps from the tile it
// sits in; text without links must not.
type LinkText struct {
	Text
	// OnLink opens a link (fyne.App.OpenURL if nil).
	OnLink func(*url.URL)
}

// NewLinkText returns text whose paragraphs may hold links.
func NewLinkText(paras []Para) *LinkText {
	t := &LinkText{Text: Text{Paras: paras, Wrap: true}}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped opens the link under the tap, if there is one.
func (t *LinkText) Tapped(e *fyne.PointEvent) {
	r := t.r
	if r == nil {
		return
	}
	for _, o := range r.objs {
		c := o.(*canvas.Text)
		p, s := c.Position(), c.Size()
		if e.Position.X >= p.X && e.Position.X <= p.X+s.Width && e.Position.Y >= p.Y && e.Position.Y <= p.Y+s.Height {
			if link := t.linkFor(c); link != "" {
				if u, err := url.Parse(link); err == nil {
					if t.OnLink != nil {
						t.OnLink(u)
					} else {
						fyne.CurrentApp().OpenURL(u)
					}
				}
			}
			return
		}
	}
}

// linkFor finds the link a drawn piece belongs to, by its text.
func (t *LinkText) linkFor(c *canvas.Text) string {
	for _, p := range t.Paras {
		for _, s := range p.Spans {
			if s.Link != "" && strings.Contains(s.Text, c.Text) {
				return s.Link
			}
		}
	}
	return ""
}
