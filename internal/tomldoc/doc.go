// Package tomldoc reads the TOML files of Waymark's content (lessons and
// interface translations) into flat, dotted keys that remember their line,
// so that every problem can name the file, line and field.
package tomldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

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
	byKey   map[string]int // index into Entries
	tables  map[string]int // table and array-table paths, with their lines
	used    []bool         // by index into Entries
}

// Read reads and parses the file name from fsys. A file that cannot be
// read or parsed is reported to r, with its line, and gives nil.
func Read(fsys fs.FS, name string, r *Report) *Doc {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		r.Errorf(0, "", "cannot read: %v", err)
		return nil
	}
	d, line, err := Parse(data)
	if err != nil {
		r.Errorf(line, "", "not valid TOML: %v", err)
		return nil
	}
	return d
}

// Parse parses data; a syntax error comes back with its line. Besides
// TOML's syntax it rejects a key or a [table] defined twice.
func Parse(data []byte) (*Doc, int, error) {
	n := bytes.Count(data, []byte("=")) // about the number of values
	d := &Doc{Entries: make([]Entry, 0, n), byKey: make(map[string]int, n), tables: map[string]int{}}
	w := walker{d: d, headers: map[string]bool{}, arrays: map[string]int{}}
	w.p.Reset(data)
	for i, b := range data {
		if b == '\n' {
			w.newlines = append(w.newlines, i)
		}
	}
	prefix := ""
	for w.p.NextExpression() {
		e := w.p.Expression()
		ln := w.line(e)
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			key := w.resolve(keyPath(e.Key()))
			prefix = key
			if e.Kind == unstable.ArrayTable {
				prefix = fmt.Sprintf("%s.%d", key, w.arrays[key])
				w.arrays[key]++
			} else if w.headers[key] {
				return nil, ln, fmt.Errorf("table [%s] is defined twice", key)
			}
			w.headers[prefix] = true
			d.tables[prefix] = ln
		case unstable.KeyValue:
			key := join(prefix, keyPath(e.Key()))
			if err := w.addValue(key, e.Value(), ln); err != nil {
				return nil, ln, err
			}
		}
	}
	d.used = make([]bool, len(d.Entries))
	if err := w.p.Error(); err != nil {
		var pe *unstable.ParserError
		if errors.As(err, &pe) {
			return nil, w.lineOfData(pe.Highlight), errors.New(pe.Message)
		}
		return nil, 0, err
	}
	return d, 0, nil
}

// resolve places a table header inside the latest element of any array
// of tables it names, as TOML does: after [[step]], [[step.screen]] is
// "step.<n>.screen", an array inside the n-th step.
func (w *walker) resolve(key string) string {
	parts := strings.Split(key, ".")
	out := ""
	for i, part := range parts {
		out = join(out, part)
		if n, ok := w.arrays[out]; ok && i < len(parts)-1 {
			out = fmt.Sprintf("%s.%d", out, n-1)
		}
	}
	return out
}

// walker holds what Parse needs while it walks the document.
type walker struct {
	d        *Doc
	p        unstable.Parser
	newlines []int           // offsets of every newline, to find lines fast
	headers  map[string]bool // [tables] declared so far
	arrays   map[string]int  // [[arrays]] seen so far, by name
}

// lineAt returns the line of a byte offset.
func (w *walker) lineAt(offset int) int { return sort.SearchInts(w.newlines, offset) + 1 }

// line returns the line a node starts on. A key-value's own range is
// empty; its first key part has a position.
func (w *walker) line(n *unstable.Node) int {
	if n.Raw.Length > 0 {
		return w.lineAt(int(n.Raw.Offset))
	}
	if n.Kind != unstable.KeyValue && n.Kind != unstable.Table && n.Kind != unstable.ArrayTable {
		return 0
	}
	it := n.Key()
	if !it.Next() {
		return 0
	}
	k := it.Node()
	if k.Raw.Length > 0 {
		return w.lineAt(int(k.Raw.Offset))
	}
	return w.lineOfData(k.Data)
}

// lineOfData finds the line of a slice that points into the input; 0 for
// one that does not (an unescaped copy).
func (w *walker) lineOfData(b []byte) (ln int) {
	defer func() {
		if recover() != nil {
			ln = 0
		}
	}()
	return w.lineAt(int(w.p.Range(b).Offset))
}

func (w *walker) addValue(key string, n *unstable.Node, ln int) error {
	d := w.d
	switch n.Kind {
	case unstable.InlineTable:
		d.tables[key] = ln
		it := n.Children()
		for it.Next() {
			kv := it.Node()
			if err := w.addValue(join(key, keyPath(kv.Key())), kv.Value(), ln); err != nil {
				return err
			}
		}
		return nil
	}
	if _, dup := d.byKey[key]; dup {
		return fmt.Errorf("%s is defined twice", key)
	}
	v, err := scalar(n)
	if err != nil {
		return err
	}
	e := Entry{Key: key, Value: v, Line: ln}
	d.Entries = append(d.Entries, e)
	d.byKey[key] = len(d.Entries) - 1
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

// entry returns the entry at key and marks it read.
func (d *Doc) entry(key string) (Entry, bool) {
	i, ok := d.byKey[key]
	if !ok {
		return Entry{}, false
	}
	d.used[i] = true
	return d.Entries[i], true
}

// Get returns the entry at key and marks it read.
func (d *Doc) Get(key string) (Entry, bool) { return d.entry(key) }

// MarkUsed marks key as read.
func (d *Doc) MarkUsed(key string) { d.entry(key) }

// LineOf returns the line of key, or of the nearest enclosing table.
func (d *Doc) LineOf(key string) int {
	for {
		if i, ok := d.byKey[key]; ok {
			return d.Entries[i].Line
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
	e, ok := d.entry(key)
	if !ok {
		return "", false
	}
	s, isStr := e.Value.(string)
	if !isStr {
		r.Errorf(e.Line, key, "must be text in quotes")
		return "", false
	}
	return s, true
}

// Bool returns the boolean at key; a value of another type is reported.
func (d *Doc) Bool(r *Report, key string) (bool, bool) {
	e, ok := d.entry(key)
	if !ok {
		return false, false
	}
	b, isBool := e.Value.(bool)
	if !isBool {
		r.Errorf(e.Line, key, "must be true or false")
		return false, false
	}
	return b, true
}

// Int returns the integer at key; a value of another type is reported.
func (d *Doc) Int(r *Report, key string) (int64, bool) {
	e, ok := d.entry(key)
	if !ok {
		return 0, false
	}
	n, isInt := e.Value.(int64)
	if !isInt {
		r.Errorf(e.Line, key, "must be a whole number")
		return 0, false
	}
	return n, true
}

// Strs returns the list of strings at key.
func (d *Doc) Strs(r *Report, key string) ([]string, bool) {
	e, ok := d.entry(key)
	if !ok {
		return nil, false
	}
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
	for i, e := range d.Entries {
		if d.used[i] || (prefix != "" && !strings.HasPrefix(e.Key, prefix)) {
			continue
		}
		r.Errorf(e.Line, e.Key, "unknown field%s", hint)
	}
}
