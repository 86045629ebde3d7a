//go:build !packed

package lessons

import (
	"embed"
	"io/fs"
)

//go:embed facts.toml tracks */*.toml */images/*
var files embed.FS

// FS is the content folder: tracks/, facts.toml and one folder a lesson.
var FS = fs.FS(files)
