package main

import (
	"bytes"
	"image/png"
	"regexp"
	"testing"
)

// Every build, packaged or not, knows its id, name, version and icon.
func TestAppMetadataBuiltIn(t *testing.T) {
	m, err := appMetadata()
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
}
