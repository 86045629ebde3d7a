package pack_test

import (
	"bytes"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/waymark-app/waymark/assets"
	"github.com/waymark-app/waymark/internal/pack"
	"github.com/waymark-app/waymark/lessons"
	"github.com/waymark-app/waymark/locales"
)

// sameFiles fails unless got holds exactly the files of want, byte for byte.
func sameFiles(t *testing.T, got, want fs.FS) {
	t.Helper()
	n := 0
	err := fs.WalkDir(want, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		w, _ := fs.ReadFile(want, name)
		g, err := fs.ReadFile(got, name)
		if err != nil || !bytes.Equal(g, w) {
			t.Errorf("%s: %d bytes, err %v; want %d bytes", name, len(g), err, len(w))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := 0
	fs.WalkDir(got, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			m++
		}
		return nil
	})
	if n == 0 || m != n {
		t.Errorf("packed %d files, want %d", m, n)
	}
}

// What a release build reads is exactly what a development build reads,
// and smaller.
func TestPackRoundTrip(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"lessons": lessons.FS, "locales": locales.FS, "assets": assets.FS} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := pack.Write(&buf, fsys); err != nil {
				t.Fatal(err)
			}
			got, err := pack.Open(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			sameFiles(t, got, fsys)
			// Folders list their entries, as the lesson reader needs.
			if _, err := fs.ReadDir(got, "."); err != nil {
				t.Error(err)
			}
			var again bytes.Buffer
			pack.Write(&again, fsys)
			if !bytes.Equal(again.Bytes(), buf.Bytes()) {
				t.Error("packing the same content twice made different archives")
			}
		})
	}
}

func TestOpenRejectsGarbage(t *testing.T) {
	if _, err := pack.Open([]byte("not a zip")); err == nil {
		t.Fatal("want an error")
	}
	var buf bytes.Buffer
	pack.Write(&buf, fstest.MapFS{"a/b.toml": {Data: []byte("x = 1")}})
	got, _ := pack.Open(buf.Bytes())
	if data, err := fs.ReadFile(got, "a/b.toml"); err != nil || string(data) != "x = 1" {
		t.Fatalf("%q %v", data, err)
	}
}
