//go:build packed

package lessons

import (
	_ "embed"

	"github.com/waymark-app/waymark/internal/pack"
)

// packed is the content folder as one archive, made by
// go run ./cmd/waymark-pack (scripts/release does it).
//
//go:embed packed.zip
var packed []byte

// FS is the content folder: tracks/, facts.toml and one folder a lesson.
var FS = pack.MustOpen(packed)
