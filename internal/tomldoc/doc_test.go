package tomldoc_test

import (
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/tomldoc"
)

func TestParseFlattensWithLines(t *testing.T) {
	src := `title = "Lock"   # line 1
draft = true

[skill]
pin = "Choose a PIN"

[step.intro]
text = """
Two
lines"""
alt = 'literal'

[[step]]
id = "a"
[[step]]
id = "b"
opts = ["x", "y"]
inline = { text = "t", feedback = "f" }
"quoted key" = 3
`
	d, _, err := tomldoc.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		value any
		line  int
	}{
		"title":              {"Lock", 1},
		"draft":              {true, 2},
		"skill.pin":          {"Choose a PIN", 5},
		"step.intro.text":    {"Two\nlines", 8},
		"step.intro.alt":     {"literal", 11},
		"step.0.id":          {"a", 14},
		"step.1.id":          {"b", 16},
		"step.1.inline.text": {"t", 18},
		"step.1.quoted key":  {int64(3), 19},
	}
	for k, w := range want {
		e, ok := d.Get(k)
		if !ok {
			t.Errorf("%s: missing", k)
			continue
		}
		if e.Value != w.value || e.Line != w.line {
			t.Errorf("%s: got %#v at line %d, want %#v at line %d", k, e.Value, e.Line, w.value, w.line)
		}
	}
	if got := d.LineOf("step.1.nope"); got != 15 {
		t.Errorf("LineOf a missing key: got %d, want its table's line 15", got)
	}
}

func TestNestedArraysOfTables(t *testing.T) {
	src := `[[step]]
id = "a"
[[step.screen]]
id = "home"
[[step.screen]]
id = "slots"
[[step]]
id = "b"
[[step.screen]]
id = "only"
[step.extra]
x = 1
`
	d, _, err := tomldoc.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"step.0.id":          "a",
		"step.0.screen.0.id": "home",
		"step.0.screen.1.id": "slots",
		"step.1.id":          "b",
		"step.1.screen.0.id": "only",
		"step.1.extra.x":     int64(1),
	} {
		if e, ok := d.Get(key); !ok || e.Value != want {
			t.Errorf("%s: got %v (%v), want %v", key, e.Value, ok, want)
		}
	}
}

func TestParseErrorsHaveLines(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unclosed string", "a = 1\nb = \"open\nc = 2\n", 2, "new lines"},
		{"key twice", "a = 1\nb = 2\na = 3\n", 3, "defined twice"},
		{"table twice", "[x]\na = 1\n[y]\n[x]\nb = 2\n", 4, "defined twice"},
		{"no value", "a = 1\nb =\n", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, line, err := tomldoc.Parse([]byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", line, err, tt.line, tt.msg)
			}
		})
	}
}
