package roomserver

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/textlayout"
)

// The page's style and script, embedded; compacted once (indentation and
// whole-line comments taken out) and inlined into every page, so that
// opening the page is one request.
var (
	//go:embed join.css
	rawCSS string
	//go:embed join.js
	rawJS string

	pageCSS = compact(rawCSS)
	pageJS  = compact(rawJS)
	// csp allows the page's own style and script, by hash, and requests
	// to the hub alone; 'unsafe-inline' is there for browsers too old to
	// know hashes (CSP 1), which newer ones ignore when a hash is given.
	csp = "default-src 'none'; style-src 'unsafe-inline' " + hashSource(pageCSS) +
		"; script-src 'unsafe-inline' " + hashSource(pageJS) +
		"; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)

func compact(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// page is the join page in one language, plain and gzipped.
type page struct {
	plain, gz []byte
}

// Page returns the join page in lang (the default language if the page
// has no such language), as a phone receives it without compression.
func (s *Server) Page(lang string) []byte { return s.page(s.language(lang, "").Tag).plain }

// PageGzip returns the page as a browser that takes gzip receives it.
func (s *Server) PageGzip(lang string) []byte { return s.page(s.language(lang, "").Tag).gz }

func (s *Server) page(tag string) *page {
	s.pagesMu.Lock()
	defer s.pagesMu.Unlock()
	if p := s.pages[tag]; p != nil {
		return p
	}
	p := &page{plain: s.render(tag)}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(p.plain)
	zw.Close()
	p.gz = z.Bytes()
	s.pages[tag] = p
	return p
}

// language picks the page's language: the asked one if the page has it,
// else the best of the browser's Accept-Language, else the first.
func (s *Server) language(asked, accept string) Language {
	for _, l := range s.opt.Languages {
		if l.Tag == asked {
			return l
		}
	}
	for _, part := range strings.Split(accept, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag, _, _ = strings.Cut(strings.ToLower(tag), "-")
		for _, l := range s.opt.Languages {
			if l.Tag == tag {
				return l
			}
		}
	}
	return s.opt.Languages[0]
}

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	lang := s.language(r.URL.Query().Get("l"), r.Header.Get("Accept-Language"))
	p := s.page(lang.Tag)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Vary", "Accept-Encoding")
	body := p.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = p.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// render builds the page in one language: the words the script needs are
// in a JSON block (not run), the style and script are the embedded ones.
func (s *Server) render(tag string) []byte {
	lang := s.language(tag, "")
	t := func(id string, data ...map[string]any) string {
		var d map[string]any
		if len(data) > 0 {
			d = data[0]
		}
		return s.opt.Words.T(tag, id, d)
	}
	e := html.EscapeString
	words := map[string]string{
		"lang":     tag,
		"stepOf":   t("join.step_of", map[string]any{"Step": "#S", "Total": "#T"}),
		"wrong":    t("join.code_wrong"),
		"waiting":  t("join.waiting"),
		"paused":   t("join.paused"),
		"ended":    t("join.ended"),
		"offline":  t("join.offline"),
		"busy":     t("join.busy"),
		"one":      t("join.choose_one"),
		"many":     t("join.choose_many"),
		"send":     t("join.send"),
		"sent":     t("join.sent"),
		"onScreen": t("join.on_screen"),
	}
	data, err := json.Marshal(words) // escapes <, > and &: safe inside a script element
	if err != nil {
		panic(err)
	}
	dir := "ltr"
	if lang.RTL {
		dir = "rtl"
	}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="` + e(tag) + `" dir="` + dir + `"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">` +
		`<title>` + e(t("join.title")) + `</title><style>` + pageCSS + `</style></head><body><main>` +
		`<p class="w">` + e(t("join.title")) + `</p>` +
		`<form id="f" class="h"><p><label for="k">` + e(t("join.code_prompt")) + `</label></p>` +
		`<input id="k" autocomplete="off" autocapitalize="characters" autocorrect="off" spellcheck="false">` +
		`<button class="b">` + e(t("join.join")) + `</button></form>` +
		`<div id="m"></div><div id="v" class="h"></div><footer><p>` + e(t("join.private")) + `</p><p>` + e(t("join.language")) + `:`)
	for _, l := range s.opt.Languages {
		b.WriteString(` <a href="?l=` + e(l.Tag) + `" lang="` + e(l.Tag) + `">` + e(l.Name) + `</a>`)
	}
	b.WriteString(`</p></footer></main><script type="application/json" id="w">` + string(data) + `</script><script>` + pageJS + `</script></body></html>`)
	return []byte(b.String())
}

// content renders a step's words in lang for the page.
func (s *Server) content(l *learn.Lesson, i int, lang string) *Content {
	st := l.Steps[i]
	text := func(key string) string {
		// A fact (a phone number) reads in the order it is dialled inside
		// Arabic or Farsi, and never breaks across lines.
		return learn.ExpandFacts(l.Text.Get(lang, key), s.opt.Facts, func(f learn.Fact) string {
			return textlayout.Isolate(strings.ReplaceAll(f.Value, " ", "\u00a0"))
		})
	}
	c := &Content{Title: plain(text(learn.StepKey(st.ID, learn.FieldTitle)))}
	opts := func(ids []string, field func(id string) string) {
		for _, id := range ids {
			c.Options = append(c.Options, Option{ID: id, Text: plain(field(id))})
		}
	}
	choice := func(id string) string { return text(learn.ChoiceKey(st.ID, id, learn.FieldOptionText)) }
	switch st.Kind {
	case learn.KindRead, learn.KindPhrases:
		c.Text = paragraphs(text(learn.StepKey(st.ID, learn.FieldText)))
	case learn.KindChoice:
		c.Question, c.Kind = plain(text(learn.StepKey(st.ID, learn.FieldQuestion))), "one"
		opts(st.Options, choice)
	case learn.KindTrueFalse:
		c.Question, c.Kind = plain(text(learn.StepKey(st.ID, learn.FieldStatement))), "one"
		opts(st.Options, func(id string) string { return s.opt.Words.T(lang, "player."+id, nil) })
	case learn.KindMulti, learn.KindSpot:
		c.Question, c.Kind = plain(text(learn.StepKey(st.ID, learn.FieldQuestion))), "many"
		opts(st.Choices(), choice)
	case learn.KindAdvert:
		c.Text = paragraphs(text(learn.StepKey(st.ID, learn.FieldAdvert)))
		c.Question, c.Kind = plain(text(learn.StepKey(st.ID, learn.FieldQuestion))), "many"
		opts(st.Options, choice)
	default:
		// The simulations, and ordering: done together on the big screen.
		c.Question, c.Kind = plain(text(learn.StepKey(st.ID, learn.FieldQuestion))), "none"
	}
	return c
}

// paragraphs turns a lesson's Markdown into plain paragraphs: the page
// shows text, never markup (so nothing in a lesson can become script).
func paragraphs(md string) []string {
	var out []string
	for _, block := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n\n") {
		var lines []string
		for _, line := range strings.Split(block, "\n") {
			line = strings.TrimSpace(line)
			if rest, ok := cutBullet(line); ok {
				line = "• " + rest
			}
			if line = plain(line); line != "" {
				lines = append(lines, line)
			}
		}
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, "\n"))
		}
	}
	return out
}

func cutBullet(line string) (string, bool) {
	for _, p := range []string{"- ", "* ", "+ "} {
		if rest, ok := strings.CutPrefix(line, p); ok {
			return rest, true
		}
	}
	return "", false
}

// emphasis matches *a few words* (single asterisks around a word).
var emphasis = regexp.MustCompile(`(^|[\s(])\*([^*\s][^*]*[^*\s]|[^*\s])\*`)

// plain takes Markdown's emphasis and links out of a line: **a** → a,
// *a* → a, [text](url) → text.
func plain(s string) string {
	s = strings.NewReplacer("**", "", "__", "").Replace(strings.TrimSpace(s))
	s = emphasis.ReplaceAllString(s, "$1$2")
	for {
		open := strings.Index(s, "[")
		if open < 0 {
			return s
		}
		mid := strings.Index(s[open:], "](")
		if mid < 0 {
			return s
		}
		end := strings.Index(s[open+mid:], ")")
		if end < 0 {
			return s
		}
		s = s[:open] + s[open+1:open+mid] + s[open+mid+end+1:]
	}
}
