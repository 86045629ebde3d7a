//go:build !packed

package locales

import (
	"embed"
	"io/fs"
)

//go:embed *.toml
var files embed.FS

// FS holds languages.toml and the <lang>.toml message files.
var FS = fs.FS(files)
