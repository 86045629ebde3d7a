package syncapi

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// ErrEncoding means a body's Content-Encoding is unknown (ErrUnsupported
// wraps it) or does not decode.
var ErrEncoding = errors.New("body does not decode")

// ErrUnsupported means a Content-Encoding this code does not take.
var ErrUnsupported = errors.New("unsupported content encoding")

// Encodings a request body may have (Content-Encoding): none, or gzip.
// Sync bodies go uncompressed (BENCHMARKS.md: their chunks are sealed and
// do not compress, so gzip or zstd saves 3 % of a large pull and costs
// bytes on every idle sync); gzip is taken for bodies that do compress,
// such as future aggregate uploads, from Go's standard library on both
// ends.
const (
	EncodingIdentity = ""
	EncodingGzip     = "gzip"
)

// ReadBody reads a whole body of the given Content-Encoding, refusing
// more than max bytes once decoded (ErrTooLarge) without ever holding
// more than max+1 of them: a decompression bomb costs the reader nothing.
// The caller limits the bytes on the wire (http.MaxBytesReader).
func ReadBody(r io.Reader, encoding string, max int64) ([]byte, error) {
	plain := true
	switch encoding {
	case EncodingIdentity, "identity":
	case EncodingGzip:
		gr, err := gzip.NewReader(r)
		if err != nil {
			if isTooLarge(err) {
				return nil, fmt.Errorf("read body: %w", ErrTooLarge)
			}
			return nil, fmt.Errorf("read body: %w: %v", ErrEncoding, err)
		}
		r, plain = gr, false
	default:
		return nil, fmt.Errorf("read body: %q: %w", encoding, errors.Join(ErrUnsupported, ErrEncoding))
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	switch {
	case err != nil && isTooLarge(err):
		return nil, fmt.Errorf("read body: %w", ErrTooLarge)
	case err != nil && plain:
		return nil, fmt.Errorf("read body: %w", err)
	case err != nil:
		return nil, fmt.Errorf("read body: %w: %v", ErrEncoding, err)
	case n > max:
		return nil, fmt.Errorf("read body: %w", ErrTooLarge)
	}
	return buf.Bytes(), nil
}

// isTooLarge reports whether err says the wire limit of
// http.MaxBytesReader was passed on the way.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// Gzip encodes a body with gzip, for a request whose body is worth it.
func Gzip(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	w.Write(b)                                              // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes()
}
