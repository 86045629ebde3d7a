// Command waymark-pack writes the compressed archives that release builds
// embed (build tag "packed"): lessons/packed.zip, locales/packed.zip and
// assets/packed.zip, each holding exactly the files the package embeds in
// a development build. Run it from the repository root, before a release
// build; scripts/release does:
//
//	go run ./cmd/waymark-pack
//	go build -tags packed,... .
package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/waymark-app/waymark/assets"
	"github.com/waymark-app/waymark/internal/pack"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

func main() {
	for _, c := range []struct {
		dir  string
		fsys fs.FS
	}{{"lessons", lessons.FS}, {"locales", locales.FS}, {"assets", assets.FS}} {
		var buf bytes.Buffer
		if err := pack.Write(&buf, c.fsys); err != nil {
			fmt.Fprintf(os.Stderr, "waymark-pack: %s: %v\n", c.dir, err)
			os.Exit(1)
		}
		out := filepath.Join(c.dir, "packed.zip")
		// Written beside, then renamed: a build never sees half an archive.
		if err := os.WriteFile(out+".tmp", buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "waymark-pack:", err)
			os.Exit(1)
		}
		if err := os.Rename(out+".tmp", out); err != nil {
			fmt.Fprintln(os.Stderr, "waymark-pack:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d bytes\n", out, buf.Len())
	}
}
