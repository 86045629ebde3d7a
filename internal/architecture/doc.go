// Package architecture holds no code: its test enforces the design's
// import rules (DESIGN.md, "Architecture") on the module's real
// dependencies, as go list reports them.
package architecture
