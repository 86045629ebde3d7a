// Package tomldoc reads the TOML files of Waymark's content (lessons and
// interface translations) into flat, dotted keys that remember their line,
// so that every problem can name the file, line and field.
package tomldoc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Entry is one value in a TOML document with the line it is on. Keys are
// dotted paths; the n-th table of an array of tables [[step]] is "step.n"
// (0-based), so "step.2.kind" is the kind of the third step.
type Entry struct {
	Key   string
	Value any // string, bool, int64, float64, []any, or a date as a string
	Line  int
}

// Doc is a parsed TOML file, flattened. It remembers which keys were read,
// so that Unused can report the rest (usually typos).
type Doc struct {
	Entries []Entry
	byKey   map[string]Entry
	tables  map[string]int // table and array-table paths, with their lines
	used    map[string]bool
}

// Parse parses data; a syntax error comes back with its line.
func Parse(data []byte) (*Doc, int, error) {
	// The full decoder catches what the streaming parser does not, such as
	// a key defined twice.
	var v map[string]any
	if err := toml.Unmarshal(data, &v); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ := de.Position()
			return nil, line, errors.New(strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, 0, err
	}
	d := &Doc{byKey: map[string]Entry{}, tables: map[string]int{}, used: map[string]bool{}}
	var p unstable.Parser
	p.Reset(data)
	prefix := ""
	arrays := map[string]int{}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			key := keyPath(e.Key())
			prefix = key
			if e.Kind == unstable.ArrayTable {
				prefix = fmt.Sprintf("%s.%d", key, arrays[key])
				arrays[key]++
			}
			d.tables[prefix] = line(&p, e)
		case unstable.KeyValue:
			key := join(prefix, keyPath(e.Key()))
			if err := d.addValue(&p, key, e.Value(), line(&p, e)); err != nil {
				return nil, line(&p, e), err
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, 0, err
	}
	return d, 0, nil
}

func (d *Doc) addValue(p *unstable.Parser, key string, n *unstable.Node, ln int) error {
	switch n.Kind {
	case unstable.InlineTable:
		d.tables[key] = ln
		it := n.Children()
		for it.Next() {
			kv := it.Node()
			if err := d.addValue(p, join(key, keyPath(kv.Key())), kv.Value(), ln); err != nil {
				return err
			}
		}
		return nil
	}
	v, err := scalar(n)
	if err != nil {
		return err
	}
	e := Entry{Key: key, Value: v, Line: ln}
	d.Entries = append(d.Entries, e)
	d.byKey[key] = e
	return nil
}

func scalar(n *unstable.Node) (any, error) {
	switch n.Kind {
	case unstable.String:
		return string(n.Data), nil
	case unstable.Bool:
		return string(n.Data) == "true", nil
	case unstable.Integer:
		return strconv.ParseInt(strings.ReplaceAll(string(n.Data), "_", ""), 0, 64)
	case unstable.Float:
		return strconv.ParseFloat(strings.ReplaceAll(string(n.Data), "_", ""), 64)
	case unstable.LocalDate, unstable.LocalDateTime, unstable.DateTime, unstable.LocalTime:
		return string(n.Data), nil
	case unstable.Array:
		var out []any
		it := n.Children()
		for it.Next() {
			v, err := scalar(it.Node())
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value")
}

func line(p *unstable.Parser, n *unstable.Node) int {
	// A key-value's Raw range is empty; its first key part has a position.
	if n.Raw.Length > 0 {
		return p.Shape(n.Raw).Start.Line
	}
	it := n.Key()
	if !it.Next() {
		return 0
	}
	k := it.Node()
	if k.Raw.Length > 0 {
		return p.Shape(k.Raw).Start.Line
	}
	return lineOfData(p, k.Data)
}

// lineOfData finds the line of a slice that points into the parser's input.
func lineOfData(p *unstable.Parser, b []byte) (ln int) {
	defer func() {
		if recover() != nil {
			ln = 0
		}
	}()
	return p.Shape(p.Range(b)).Start.Line
}

func keyPath(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// Has reports whether the document has a value at key.
func (d *Doc) Has(key string) bool {
	_, ok := d.byKey[key]
	return ok
}

// HasTable reports whether the document has a table at key.
func (d *Doc) HasTable(key string) bool {
	_, ok := d.tables[key]
	return ok
}

// Get returns the entry at key and marks it read.
func (d *Doc) Get(key string) (Entry, bool) {
	e, ok := d.byKey[key]
	if ok {
		d.used[key] = true
	}
	return e, ok
}

// MarkUsed marks key as read.
func (d *Doc) MarkUsed(key string) { d.used[key] = true }

// LineOf returns the line of key, or of the nearest enclosing table.
func (d *Doc) LineOf(key string) int {
	for {
		if e, ok := d.byKey[key]; ok {
			return e.Line
		}
		if l, ok := d.tables[key]; ok {
			return l
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			return 0
		}
		key = key[:i]
	}
}

// Str returns the string at key; a value of another type is reported.
func (d *Doc) Str(r *Report, key string) (string, bool) {
	e, ok := d.byKey[key]
	if !ok {
		return "", false
	}
	d.used[key] = true
	s, isStr := e.Value.(string)
	if !isStr {
		r.Errorf(e.Line, key, "must be text in quotes")
		return "", false
	}
	return s, true
}

// Bool returns the boolean at key; a value of another type is reported.
func (d *Doc) Bool(r *Report, key string) (bool, bool) {
	e, ok := d.byKey[key]
	if !ok {
		return false, false
	}
	d.used[key] = true
	b, isBool := e.Value.(bool)
	if !isBool {
		r.Errorf(e.Line, key, "must be true or false")
		return false, false
	}
	return b, true
}

// Int returns the integer at key; a value of another type is reported.
func (d *Doc) Int(r *Report, key string) (int64, bool) {
	e, ok := d.byKey[key]
	if !ok {
		return 0, false
	}
	d.used[key] = true
	n, isInt := e.Value.(int64)
	if !isInt {
		r.Errorf(e.Line, key, "must be a whole number")
		return 0, false
	}
	return n, true
}

// Strs returns the list of strings at key.
func (d *Doc) Strs(r *Report, key string) ([]string, bool) {
	e, ok := d.byKey[key]
	if !ok {
		return nil, false
	}
	d.used[key] = true
	list, isList := e.Value.([]any)
	if !isList {
		r.Errorf(e.Line, key, `must be a list, such as ["a", "b"]`)
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, isStr := v.(string)
		if !isStr {
			r.Errorf(e.Line, key, "every item must be text in quotes")
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// Unused reports every key under prefix that nothing read: usually a typo.
func (d *Doc) Unused(r *Report, prefix string, hint string) {
	for _, e := range d.Entries {
		if d.used[e.Key] || (prefix != "" && !strings.HasPrefix(e.Key, prefix)) {
			continue
		}
		r.Errorf(e.Line, e.Key, "unknown field%s", hint)
	}
}
