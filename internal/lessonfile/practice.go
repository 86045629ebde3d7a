package lessonfile

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// The structure of the practice simulations of learn/practice.go: a
// form's [[step.field]] tables, a CV's parts, a payee check's
// [[step.payment]] tables, and the security codes mock messages show.

// formStyles are the looks a form can have: a GOV.UK service, or an NHS
// one.
var formStyles = []string{"govuk", "nhs"}

// codePattern is a security code as services send them: 4 to 8 digits.
var codePattern = regexp.MustCompile(`^[0-9]{4,8}$`)

func checkCode(r *tomldoc.Report, code string, line int, field string) {
	if !codePattern.MatchString(code) {
		r.Errorf(line, field, "%q: give the security code the mock message shows, 4 to 8 digits, such as \"482913\"", code)
	}
}

// formFieldKeys are the structure keys of a form's field.
var formFieldKeys = []string{"id", "input", "optional", "options", "right", "code"}

// loadFormFields reads a form's [[step.field]] tables, one a page.
func loadFormFields(d *tomldoc.Doc, r *tomldoc.Report, prefix string, field func(string) string) []learn.Field {
	var out []learn.Field
	seen := map[string]bool{}
	for i := 0; d.HasTable(prefix + ".field." + strconv.Itoa(i)); i++ {
		p := prefix + ".field." + strconv.Itoa(i)
		f := learn.Field{}
		f.ID, _ = d.Str(r, p+".id")
		name := field("field #" + strconv.Itoa(i+1))
		if idPattern.MatchString(f.ID) {
			name = field("field." + f.ID)
		}
		if !idPattern.MatchString(f.ID) || seen[f.ID] {
			r.Errorf(d.LineOf(p), name+".id", "every field needs its own id of lower-case letters, digits and dashes")
		}
		seen[f.ID] = true
		for _, e := range d.Entries {
			if k, ok := strings.CutPrefix(e.Key, p+"."); ok && !slices.Contains(formFieldKeys, k) {
				d.MarkUsed(e.Key)
				r.Errorf(e.Line, name+"."+k, "a field has %s", strings.Join(formFieldKeys, ", "))
			}
		}
		input, _ := d.Str(r, p+".input")
		f.Input = learn.Input(input)
		if !slices.Contains(learn.FormInputs, f.Input) {
			r.Errorf(d.LineOf(p+".input"), name+".input", "%q: use one of %s", input, list(learn.FormInputs))
		}
		f.Optional, _ = d.Bool(r, p+".optional")
		if f.Optional && (f.Input == learn.InputCode || f.Input == learn.InputChoice) {
			r.Errorf(d.LineOf(p+".optional"), name+".optional", "a %s field cannot be optional", f.Input)
		}
		only := func(key string, input learn.Input) bool {
			if !d.Has(p + "." + key) {
				return false
			}
			if f.Input != input {
				r.Errorf(d.LineOf(p+"."+key), name+"."+key, "only a %s field has %s", input, key)
				return false
			}
			return true
		}
		if only("options", learn.InputChoice) {
			f.Options, _ = d.Strs(r, p+".options")
		}
		if f.Input == learn.InputChoice {
			if len(f.Options) < 2 {
				r.Errorf(d.LineOf(p+".options"), name+".options", "a choice field needs at least 2 options")
			}
			for j, o := range f.Options {
				if !idPattern.MatchString(o) || slices.Contains(f.Options[:j], o) {
					r.Errorf(d.LineOf(p+".options"), name+".options", "%q: option ids are lower-case letters, digits and dashes, each listed once", o)
				}
			}
		}
		if only("right", learn.InputChoice) {
			f.Right, _ = d.Str(r, p+".right")
			if !slices.Contains(f.Options, f.Right) {
				r.Errorf(d.LineOf(p+".right"), name+".right", "%q is not one of the options (%s)", f.Right, strings.Join(f.Options, ", "))
			}
		}
		if only("code", learn.InputCode) {
			f.Code, _ = d.Str(r, p+".code")
		}
		if f.Input == learn.InputCode {
			checkCode(r, f.Code, d.LineOf(p+".code"), name+".code")
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		r.Errorf(d.LineOf(prefix), field("field"), "a form needs at least one [[step.field]]")
	}
	return out
}

// loadCVParts reads a CV builder's parts: every part is a line of text,
// or several lines if listed in long; parts in optional may stay empty,
// and parts in leave_off do not belong on the CV.
func loadCVParts(ids func(string, int) []string, subset func(string, []string, []string, string),
	d *tomldoc.Doc, r *tomldoc.Report, prefix string, field func(string) string, ln func(string) int) []learn.Field {
	parts := ids("parts", 2)
	sub := func(key string) []string {
		if !d.Has(prefix + "." + key) {
			return nil
		}
		v := ids(key, 1)
		subset(key, v, parts, "parts")
		return v
	}
	long, optional, leaveOff := sub("long"), sub("optional"), sub("leave_off")
	var out []learn.Field
	wanted := 0
	for _, p := range parts {
		f := learn.Field{ID: p, Input: learn.InputText, Optional: slices.Contains(optional, p), LeaveOff: slices.Contains(leaveOff, p)}
		if slices.Contains(long, p) {
			f.Input = learn.InputLines
		}
		if f.Optional && f.LeaveOff {
			r.Errorf(ln("leave_off"), field("leave_off"), "%q is in optional too: a part either may be filled in, or stays off", p)
		}
		if !f.Optional && !f.LeaveOff {
			wanted++
		}
		out = append(out, f)
	}
	if len(parts) > 0 && wanted == 0 {
		r.Errorf(ln("parts"), field("parts"), "at least one part must be neither optional nor left off")
	}
	return out
}

// loadPayments reads a payee check's [[step.payment]] tables.
func loadPayments(d *tomldoc.Doc, r *tomldoc.Report, prefix string, field func(string) string) []learn.Payment {
	var out []learn.Payment
	seen := map[string]bool{}
	for i := 0; d.HasTable(prefix + ".payment." + strconv.Itoa(i)); i++ {
		p := prefix + ".payment." + strconv.Itoa(i)
		pay := learn.Payment{}
		pay.ID, _ = d.Str(r, p+".id")
		name := field("payment #" + strconv.Itoa(i+1))
		if idPattern.MatchString(pay.ID) {
			name = field("payment." + pay.ID)
		}
		if !idPattern.MatchString(pay.ID) || seen[pay.ID] {
			r.Errorf(d.LineOf(p), name+".id", "every payment needs its own id of lower-case letters, digits and dashes")
		}
		seen[pay.ID] = true
		for _, e := range d.Entries {
			if k, ok := strings.CutPrefix(e.Key, p+"."); ok && k != "id" && k != "result" && k != "right" {
				d.MarkUsed(e.Key)
				r.Errorf(e.Line, name+"."+k, "a payment has id, result and right")
			}
		}
		result, _ := d.Str(r, p+".result")
		pay.Result = learn.Match(result)
		if !slices.Contains(learn.Matches, pay.Result) {
			r.Errorf(d.LineOf(p+".result"), name+".result", "%q: say what the bank's check finds: match, close or none", result)
		} else {
			right, _ := d.Str(r, p+".right")
			pay.Right = learn.Action(right)
			if !slices.Contains(pay.Result.Actions(), pay.Right) {
				r.Errorf(d.LineOf(p+".right"), name+".right", "%q: after a %s the learner can %s", right, pay.Result, list(pay.Result.Actions()))
			}
		}
		out = append(out, pay)
	}
	if len(out) == 0 {
		r.Errorf(d.LineOf(prefix), field("payment"), "a payee check needs at least one [[step.payment]]")
	}
	return out
}
