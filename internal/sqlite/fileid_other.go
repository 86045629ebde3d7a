//go:build !unix

package sqlite

import (
	"os"
	"path/filepath"
)

// fileID identifies the database file by its absolute path where the
// platform offers no inode number. A copy restored to the same path is not
// detected here; one opened from another path is.
func fileID(path string) string {
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	return abs
}
