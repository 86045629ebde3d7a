//go:build unix

package sqlite

import (
	"fmt"
	"os"
	"syscall"
)

// fileID identifies the database file itself, not its contents: a copy
// restored from a backup or cloned to another device is a different file
// with the same contents, and must start a new epoch so that event ids
// never repeat.
func fileID(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}
