package app

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAttackEraseReachesOnlyTheAppsFolders: Delete everything removes
// Fyne's folders for the app, and never a folder that is not named after
// the app, whatever it is given (a -data folder, a home folder).
func TestAttackEraseReachesOnlyTheAppsFolders(t *testing.T) {
	root := t.TempDir()
	config := filepath.Join(root, "config", "fyne", "org.waymark.app")
	cache := filepath.Join(root, "cache", "fyne", "org.waymark.app")
	home := filepath.Join(root, "home")
	for _, d := range []string{config, cache, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "file"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := removeAppFolders("org.waymark.app", config, cache, home, root); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{config, cache} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(home, "file")); err != nil {
		t.Errorf("a folder not named after the app was touched: %v", err)
	}
	if err := removeAppFolders("", home); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(home); err != nil {
		t.Errorf("an empty id removed a folder: %v", err)
	}
}
