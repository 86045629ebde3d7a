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
