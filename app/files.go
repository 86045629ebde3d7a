package app

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
)

func readFile(fsys fs.FS, name string) ([]byte, error) { return fs.ReadFile(fsys, name) }

// RemoveFyneFolders removes what Fyne keeps for the app beside the
// database, for Delete everything: its settings folder (where the database
// lives too, unless -data put it elsewhere) and its cache folder.
func RemoveFyneFolders(a fyne.App) error {
	var dirs []string
	if root := a.Storage().RootURI(); root != nil {
		dirs = append(dirs, root.Path())
	}
	if cache, err := os.UserCacheDir(); err == nil {
		dirs = append(dirs, filepath.Join(cache, "fyne", a.UniqueID()))
	}
	return removeAppFolders(a.UniqueID(), dirs...)
}

// removeAppFolders removes each folder of dirs that is named after the
// app's id, and nothing else, so a mistake can never reach a learner's own
// files.
func removeAppFolders(id string, dirs ...string) error {
	var errs []error
	for _, d := range dirs {
		if id == "" || filepath.Base(d) != id {
			continue
		}
		errs = append(errs, os.RemoveAll(d))
	}
	return errors.Join(errs...)
}
