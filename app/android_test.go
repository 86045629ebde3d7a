package app_test

import (
	"encoding/xml"
	"os"
	"strconv"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// TestAndroidManifest checks the manifest fyne package uses for Android:
// the app's id and version as FyneApp.toml has them, no backups of the
// learner's data, no storage permissions, and a discreet launcher label.
func TestAndroidManifest(t *testing.T) {
	data, err := os.ReadFile("../AndroidManifest.xml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Package     string `xml:"package,attr"`
		VersionCode string `xml:"versionCode,attr"`
		VersionName string `xml:"versionName,attr"`
		Application struct {
			Label       string `xml:"label,attr"`
			AllowBackup string `xml:"allowBackup,attr"`
			FullBackup  string `xml:"fullBackupContent,attr"`
			Activity    struct {
				Name     string `xml:"name,attr"`
				Label    string `xml:"label,attr"`
				MetaData []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"meta-data"`
			} `xml:"activity"`
		} `xml:"application"`
		Permissions []struct {
			Name string `xml:"name,attr"`
		} `xml:"uses-permission"`
	}
	if err := xml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var f struct {
		Details struct {
			ID, Version string
			Build       int
		}
	}
	fyneAppTOML, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := toml.Unmarshal(fyneAppTOML, &f); err != nil {
		t.Fatal(err)
	}
	if m.Package != f.Details.ID || m.VersionName != f.Details.Version || m.VersionCode != strconv.Itoa(f.Details.Build) {
		t.Errorf("manifest says %s %s (%s); FyneApp.toml says %s %s (%d)", m.Package, m.VersionName, m.VersionCode, f.Details.ID, f.Details.Version, f.Details.Build)
	}
	if m.Application.AllowBackup != "false" || m.Application.FullBackup != "false" {
		t.Error("backups of the learner's data are allowed")
	}
	for _, p := range m.Permissions {
		if p.Name != "android.permission.INTERNET" {
			t.Errorf("asks for %s", p.Name)
		}
	}
	if m.Application.Label != "Notebook" || m.Application.Activity.Label != "Notebook" {
		t.Errorf("launcher label %q / %q, not discreet", m.Application.Label, m.Application.Activity.Label)
	}
	if m.Application.Activity.Name != "org.golang.app.GoNativeActivity" || len(m.Application.Activity.MetaData) == 0 || m.Application.Activity.MetaData[0].Value == "" {
		t.Error("fyne package needs GoNativeActivity with android.app.lib_name")
	}
}
