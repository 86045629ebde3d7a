//go:build !packed

package assets

import (
	"embed"
	"io/fs"
)

//go:embed icon.png icon-window.png icons/*.svg fonts/*.ttf
var files embed.FS

// FS holds the pictures and fonts.
var FS = fs.FS(files)
