// Package locales holds the translations of Waymark's interface: one
// go-i18n message file a language, and languages.toml describing each
// language. See README.md.
package locales

import "embed"

// FS holds languages.toml and the <lang>.toml message files.
//
//go:embed *.toml
var FS embed.FS
