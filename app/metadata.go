package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"github.com/pelletier/go-toml/v2"

	"github.com/waymark-app/waymark/assets"
)

// Metadata returns the app's id, name, version and icon from fyneAppTOML,
// the FyneApp.toml that main builds into the binary. Fyne reads that file
// at run time from the folder the program was built in, when it was not
// packaged with fyne package: a binary from go build, run anywhere else,
// would report version 0.0.1 and have no icon; and reading and scaling the
// icon at start-up costs milliseconds. Setting it from the built-in copy
// gives every build the same, at once.
func Metadata(fyneAppTOML []byte) (fyne.AppMetadata, error) {
	var f struct {
		Details struct {
			Icon    string
			Name    string
			ID      string
			Version string
			Build   int
		}
		Migrations map[string]bool
	}
	if err := toml.Unmarshal(fyneAppTOML, &f); err != nil {
		return fyne.AppMetadata{}, fmt.Errorf("FyneApp.toml: %w", err)
	}
	icon, err := assets.Read("icon.png")
	if err != nil {
		return fyne.AppMetadata{}, err
	}
	return fyne.AppMetadata{
		ID:         f.Details.ID,
		Name:       f.Details.Name,
		Version:    f.Details.Version,
		Build:      f.Details.Build,
		Icon:       fyne.NewStaticResource("icon.png", icon),
		Release:    releaseBuild,
		Migrations: f.Migrations,
		Custom:     map[string]string{},
	}, nil
}

// windowIcon is the icon a window shows in a taskbar or a window list:
// assets/icon-window.png, the app's icon at 128×128, made from the
// 512×512 icon.png that packages carry with
//
//	convert assets/icon.png -filter Lanczos -resize 128x128 -strip PNG32:assets/icon-window.png
//
// The window decodes its icon and sends it to the display server as it is
// made, before the first frame: the full-size icon took about 15 ms of
// every start. nil (Fyne's default) if it cannot be read.
func windowIcon() fyne.Resource {
	icon, err := assets.Read("icon-window.png")
	if err != nil {
		fyne.LogError("window icon", err)
		return nil
	}
	return fyne.NewStaticResource("icon-window.png", icon)
}
