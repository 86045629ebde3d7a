// Package lessons holds Waymark's course content (see README.md) and
// embeds it into the app, so every lesson works with no network.
package lessons

import "embed"

// FS is the content folder: tracks/, facts.toml and one folder a lesson.
//
//go:embed facts.toml tracks */*.toml */images/*
var FS embed.FS
