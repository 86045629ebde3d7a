package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules enforces the design's import rules (DESIGN.md) on the
// packages' real dependencies, as go list reports them.
func TestImportRules(t *testing.T) {
	const mod = "github.com/waymark-app/waymark/"
	deps := func(pkg string) []string {
		t.Helper()
		out, err := exec.Command("go", "list", "-deps", "-tags", "ci", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	imports := func(pkg string) []string {
		t.Helper()
		out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "-tags", "ci", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	forbid := func(pkg string, list []string, bad func(string) bool, why string) {
		t.Helper()
		for _, d := range list {
			if bad(d) {
				t.Errorf("%s depends on %s: %s", pkg, d, why)
			}
		}
	}
	out, err := exec.Command("go", "list", "-tags", "ci", mod+"...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		rel := strings.TrimPrefix(pkg, mod)
		switch {
		case strings.HasPrefix(rel, "internal/"):
			forbid(rel, deps(rel), func(d string) bool { return strings.HasPrefix(d, "fyne.io/") },
				"internal/ never imports Fyne, so the server and tools build without cgo")
		case rel == "app" || strings.HasPrefix(rel, "app/"):
			// Fyne itself may use net/http; our interface code may not.
			forbid(rel, imports(rel), func(d string) bool { return d == "database/sql" || d == "net/http" },
				"the interface talks to storage and the network only through interfaces it declares")
			forbid(rel, deps(rel), func(d string) bool { return d == mod+"internal/sqlite" || d == mod+"internal/postgres" },
				"the interface never picks a concrete store; main.go does")
		}
	}
	// The domains are the standard library only: the learner's and the
	// sync server's.
	for _, pkg := range []string{"internal/learn", "internal/relay"} {
		for _, d := range imports(pkg) {
			if strings.Contains(strings.Split(d, "/")[0], ".") {
				t.Errorf("%s imports %s: it may import only the standard library", pkg, d)
			}
		}
	}
	// The wire format is shared by the client and the server: it depends on
	// neither, nor on any store.
	for _, d := range deps("internal/syncapi") {
		if strings.HasPrefix(d, mod) && d != mod+"internal/syncapi" {
			t.Errorf("internal/syncapi depends on %s: the wire format stands alone", d)
		}
	}
	// Adapters never import each other.
	adapters := []string{"internal/sqlite", "internal/postgres", "internal/syncclient", "internal/syncserver"}
	for _, a := range adapters {
		list, err := exec.Command("go", "list", "-deps", mod+a).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", a, err)
		}
		for _, b := range adapters {
			if a != b && strings.Contains(string(list), mod+b+"\n") {
				t.Errorf("%s imports %s: adapters never import each other", a, b)
			}
		}
	}
}
