// Package pack stores a content folder (lessons, translations, fonts) as
// one compressed zip archive, and opens such an archive as a file system.
// Release builds embed the archives instead of the folders (build tag
// "packed"): the same files, read the same way, in a smaller binary.
package pack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"io/fs"
	"time"
)

// epoch is the modification time every file is stored with, so that the
// same content always makes the same archive.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Write stores every file of fsys in a zip archive written to w, in
// lexical order, compressed as much as deflate allows.
func Write(w io.Writer, fsys fs.FS) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: epoch})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

// Open returns the files of an archive Write made. Each file is
// decompressed when it is read.
func Open(archive []byte) (fs.FS, error) {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, fmt.Errorf("open packed content: %w", err)
	}
	return zr, nil
}

// MustOpen is Open for archives built into the binary, which are made
// and checked by the build: a broken one is a broken build.
func MustOpen(archive []byte) fs.FS {
	fsys, err := Open(archive)
	if err != nil {
		panic(err)
	}
	return fsys
}
