package xwidget

import (
	"regexp"
	"strings"
)

// Markdown turns the small Markdown lessons use into paragraphs:
// paragraphs split by blank lines, "- " and "1. " list items, **bold**,
// *italic* and [links](url). A single line break inside a paragraph is a
// space, as in Markdown.
func Markdown(md string) []Para {
	var out []Para
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, Para{Spans: inline(strings.Join(cur, " "))})
			cur = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r", ""), "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			flush()
		case strings.HasPrefix(trim, "- ") || strings.HasPrefix(trim, "* "):
			flush()
			out = append(out, Para{Prefix: "•", Spans: inline(trim[2:])})
		case orderedItem.MatchString(trim):
			flush()
			m := orderedItem.FindStringSubmatch(trim)
			out = append(out, Para{Prefix: m[1] + ".", Spans: inline(m[2])})
		default:
			if len(out) > 0 && len(cur) == 0 && out[len(out)-1].Prefix != "" && strings.HasPrefix(line, "  ") {
				// A list item that goes on over another line.
				last := &out[len(out)-1]
				last.Spans = append(last.Spans, Span{Text: " "})
				last.Spans = append(last.Spans, inline(trim)...)
				continue
			}
			cur = append(cur, trim)
		}
	}
	flush()
	return out
}

var (
	orderedItem = regexp.MustCompile(`^(\d{1,3})\.\s+(.*)$`)
	inlineToken = regexp.MustCompile(`\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_`)
)

// inline splits a paragraph's text into styled spans.
func inline(s string) []Span {
	var out []Span
	last := 0
	for _, m := range inlineToken.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			out = append(out, Span{Text: s[last:m[0]]})
		}
		switch {
		case m[2] >= 0:
			for _, sp := range inline(s[m[2]:m[3]]) {
				sp.Bold = true
				out = append(out, sp)
			}
		case m[4] >= 0:
			out = append(out, Span{Text: s[m[4]:m[5]], Link: s[m[6]:m[7]]})
		case m[8] >= 0:
			out = append(out, Span{Text: s[m[8]:m[9]], Italic: true})
		case m[10] >= 0:
			out = append(out, Span{Text: s[m[10]:m[11]], Italic: true})
		}
		last = m[1]
	}
	if last < len(s) {
		out = append(out, Span{Text: s[last:]})
	}
	if len(out) == 0 {
		out = []Span{{Text: ""}}
	}
	return out
}

// HasLinks reports whether any paragraph holds a link.
func HasLinks(paras []Para) bool {
	for _, p := range paras {
		for _, s := range p.Spans {
			if s.Link != "" {
				return true
			}
		}
	}
	return false
}
