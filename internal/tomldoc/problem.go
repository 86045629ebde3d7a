package tomldoc

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the content.
type Problem struct {
	File    string // path inside the content folder
	Line    int    // 1-based; 0 when the problem is about the whole file
	Field   string // dotted key, such as "step.q1.correct"; "" for the file
	Message string
	// Warning is true for something worth fixing that does not stop the
	// content from working.
	Warning bool
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found while loading.
type Problems []Problem

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Sort orders problems by file, then line.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// Report collects the problems of one file into a list.
type Report struct {
	File string
	Out  *Problems
	errs int
}

// NewReport returns a report for file that appends to out.
func NewReport(file string, out *Problems) *Report { return &Report{File: file, Out: out} }

// Errs counts the errors reported so far.
func (r *Report) Errs() int { return r.errs }

// Errorf reports an error at line in field.
func (r *Report) Errorf(line int, field, format string, args ...any) {
	*r.Out = append(*r.Out, Problem{File: r.File, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	r.errs++
}

// Warnf reports a warning at line in field.
func (r *Report) Warnf(line int, field, format string, args ...any) {
	*r.Out = append(*r.Out, Problem{File: r.File, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Warning: true})
}
