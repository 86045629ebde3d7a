package architecture_test

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/waymark-app/waymark/"

// The packages the rules name, relative to the module. Every one must
// exist: a rule about a package that is not there would check nothing, so
// a missing one fails the test. When a package is written, add it here;
// when one is renamed, rename it here.
var (
	// domains may import only the standard library: the learner's and
	// the sync server's.
	domains = []string{"internal/learn", "internal/relay"}
	// wire is the sync protocol's format, shared by the client and the
	// server: it depends on no other package of ours.
	wire = "internal/syncapi"
	// adapters wrap one dependency each and never import each other; the
	// interface never depends on one.
	adapters = []string{"internal/sqlite", "internal/postgres", "internal/syncclient", "internal/syncserver"}
	// ui is the Fyne interface, with its subpackages.
	ui = "app"
)

// TestImportRules enforces the design's import rules on the packages'
// real dependencies.
func TestImportRules(t *testing.T) {
	for _, pkg := range append(append([]string{ui, wire}, domains...), adapters...) {
		if _, err := goList(pkg); err != nil {
			t.Fatalf("the rules name %s, which go list cannot find (%v): if it was renamed or removed, change the rules", pkg, err)
		}
	}
	all, err := goList("...")
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var internal, uiPkgs []string
	for _, p := range all {
		rel := strings.TrimPrefix(p, mod)
		switch {
		case strings.HasPrefix(rel, "internal/"):
			internal = append(internal, rel)
		case rel == ui || strings.HasPrefix(rel, ui+"/"):
			uiPkgs = append(uiPkgs, rel)
		}
	}
	if !slices.Contains(internal, domains[0]) || !slices.Contains(uiPkgs, ui) {
		t.Fatalf("go list ... found internal packages %v and interface packages %v", internal, uiPkgs)
	}

	for _, pkg := range internal {
		forbid(t, pkg, deps(t, pkg), func(d string) bool { return strings.HasPrefix(d, "fyne.io/") },
			"internal/ never imports Fyne, so the server and tools build without cgo")
	}
	for _, pkg := range uiPkgs {
		// Fyne itself may use net/http; our interface code may not.
		forbid(t, pkg, imports(t, pkg), func(d string) bool { return d == "database/sql" || d == "net/http" },
			"the interface talks to storage and the network only through interfaces it declares")
		forbid(t, pkg, deps(t, pkg), func(d string) bool { return slices.Contains(adapters, strings.TrimPrefix(d, mod)) },
			"the interface never picks a concrete adapter; main.go does")
	}
	for _, domain := range domains {
		for _, d := range imports(t, domain) {
			if strings.Contains(strings.Split(d, "/")[0], ".") {
				t.Errorf("%s imports %s: it may import only the standard library", domain, d)
			}
		}
	}
	forbid(t, wire, deps(t, wire), func(d string) bool { return strings.HasPrefix(d, mod) && d != mod+wire },
		"the wire format stands alone")
	for _, a := range adapters {
		forbid(t, a, deps(t, a), func(d string) bool {
			b := strings.TrimPrefix(d, mod)
			return b != a && slices.Contains(adapters, b)
		}, "adapters never import each other")
	}
}

// TestRulesCatchAViolation runs the check the rules use on a package
// known to break it, so that a check that finds nothing is not mistaken
// for a clean design: app depends on Fyne, which internal/ may not.
func TestRulesCatchAViolation(t *testing.T) {
	if !slices.ContainsFunc(deps(t, ui), func(d string) bool { return strings.HasPrefix(d, "fyne.io/") }) {
		t.Errorf("go list -deps %s lists no Fyne package: the rules read nothing", ui)
	}
	if !slices.ContainsFunc(deps(t, "."), func(d string) bool { return d == mod+adapters[0] }) {
		t.Errorf("go list -deps of the app's main package lists no %s: the adapter rules read nothing", adapters[0])
	}
}

func forbid(t *testing.T, pkg string, list []string, bad func(string) bool, why string) {
	t.Helper()
	for _, d := range list {
		if bad(d) {
			t.Errorf("%s depends on %s: %s", pkg, d, why)
		}
	}
}

// goList lists the packages matching pattern (relative to the module),
// as the headless test build sees them.
func goList(pattern string, flags ...string) ([]string, error) {
	args := append([]string{"list", "-tags", "ci"}, flags...)
	target := mod + pattern
	if pattern == "." {
		target = strings.TrimSuffix(mod, "/")
	}
	out, err := exec.Command("go", append(args, target)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

func deps(t *testing.T, pkg string) []string {
	t.Helper()
	list, err := goList(pkg, "-deps")
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return list
}

func imports(t *testing.T, pkg string) []string {
	t.Helper()
	list, err := goList(pkg, "-f", `{{join .Imports " "}}`)
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return list
}
