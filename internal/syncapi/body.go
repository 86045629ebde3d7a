package syncapi

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/klauspost/compress/zstd"
)

// ErrEncoding means a body's Content-Encoding is unknown (ErrUnsupported
// wraps it) or does not decode.
var ErrEncoding = errors.New("body does not decode")

// ErrUnsupported means a Content-Encoding this code does not take.
var ErrUnsupported = errors.New("unsupported content encoding")

// Encodings a request or response body may have (Content-Encoding). The
// sync body itself goes uncompressed (BENCHMARKS.md: sealed chunks do not
// compress, and the header costs bytes); zstd is taken for bodies that do
// compress, such as future aggregate uploads.
const (
	EncodingIdentity = ""
	EncodingZstd     = "zstd"
)

// ReadBody reads a whole body of the given Content-Encoding, refusing
// more than max bytes once decoded (ErrTooLarge) without ever holding
// more than max+1 of them: a decompression bomb costs the reader nothing.
// The caller limits the bytes on the wire (http.MaxBytesReader).
func ReadBody(r io.Reader, encoding string, max int64) ([]byte, error) {
	switch encoding {
	case EncodingIdentity, "identity":
	case EncodingZstd:
		zr, err := zstd.NewReader(r,
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true),
			// A frame that declares more than this is refused at once; the
			// window (at least 1 KiB in zstd) is the most memory it takes.
			zstd.WithDecoderMaxMemory(max64(uint64(max)+1, 1<<20)),
			zstd.WithDecoderMaxWindow(max64(uint64(max)+1, 1<<20)))
		if err != nil {
			return nil, fmt.Errorf("read body: %w: %v", ErrEncoding, err)
		}
		defer zr.Close()
		r = zr
	case "gzip":
		gr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("read body: %w: %v", ErrEncoding, err)
		}
		r = gr
	default:
		return nil, fmt.Errorf("read body: %q: %w", encoding, errors.Join(ErrUnsupported, ErrEncoding))
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		if isTooLarge(err) {
			return nil, fmt.Errorf("read body: %w", ErrTooLarge)
		}
		if encoding == EncodingIdentity || encoding == "identity" {
			return nil, fmt.Errorf("read body: %w", err)
		}
		return nil, fmt.Errorf("read body: %w: %v", ErrEncoding, err)
	}
	if n > max {
		return nil, fmt.Errorf("read body: %w", ErrTooLarge)
	}
	return buf.Bytes(), nil
}

// isTooLarge reports whether err says a limit was passed on the way: the
// wire limit of http.MaxBytesReader or zstd's memory limit.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe) || errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded)
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// Compress encodes a body with zstd, for a request or response whose
// body is worth it.
func Compress(b []byte) []byte {
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	defer enc.Close()
	return enc.EncodeAll(b, nil)
}
