package app_test

import (
	"bytes"
	"image/png"
	"os"
	"regexp"
	"testing"

	"github.com/waymark-app/waymark/app"
)

// Every build, packaged or not, knows its id, name, version and icon.
func TestMetadataBuiltIn(t *testing.T) {
	toml, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := app.Metadata(toml)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "org.waymark.app" || m.Name != "Waymark" {
		t.Errorf("id %q, name %q", m.ID, m.Name)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(m.Version) || m.Build < 1 {
		t.Errorf("version %q, build %d", m.Version, m.Build)
	}
	if !m.Migrations["fyneDo"] {
		t.Error("the fyneDo migration is not on")
	}
	if m.Icon == nil {
		t.Fatal("no icon")
	}
	img, err := png.Decode(bytes.NewReader(m.Icon.Content()))
	if err != nil || img.Bounds().Dx() < 256 {
		t.Errorf("icon: %v, %v", err, img)
	}
	if _, err := app.Metadata([]byte("[Details\n")); err == nil {
		t.Error("a broken FyneApp.toml gives no error")
	}
}
