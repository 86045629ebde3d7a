package app

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // lessons may use JPEG pictures
	_ "image/png"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/waymark-app/waymark/app/xwidget"
)

func readFile(fsys fs.FS, name string) ([]byte, error) { return fs.ReadFile(fsys, name) }

// picture shows a lesson's image, named name, at least min in size and
// as large as its space allows with its proportions kept. SVG images,
// which every shipped lesson uses, are drawn by xwidget.Picture, which
// keeps no pixels; PNG and JPEG ones, which lessons may also use, by a
// canvas.Image.
func picture(name string, data []byte, min fyne.Size) (fyne.CanvasObject, error) {
	if strings.EqualFold(path.Ext(name), ".svg") {
		return xwidget.NewPicture(data, min)
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("picture %s: %w", name, err)
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource(name, data))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(min)
	return img, nil
}

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
