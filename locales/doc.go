// Package locales holds the translations of Waymark's interface: one
// go-i18n message file a language, and languages.toml describing each
// language. See README.md. Release builds (tag "packed") embed them
// compressed, as packed.zip.
package locales
