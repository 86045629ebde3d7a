//go:build packed

package assets

import (
	_ "embed"

	"github.com/waymark-app/waymark/internal/pack"
)

// packed is the pictures and fonts as one archive, made by
// go run ./cmd/waymark-pack (scripts/release does it).
//
//go:embed packed.zip
var packed []byte

// FS holds the pictures and fonts.
var FS = pack.MustOpen(packed)
