//go:build packed

package locales

import (
	_ "embed"

	"github.com/waymark-app/waymark/internal/pack"
)

// packed is the message files as one archive, made by
// go run ./cmd/waymark-pack (scripts/release does it).
//
//go:embed packed.zip
var packed []byte

// FS holds languages.toml and the <lang>.toml message files.
var FS = pack.MustOpen(packed)
