package syncclient

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"errors"
	"fmt"
	"io"

	"github.com/waymark-app/waymark/internal/syncapi"
)

// A chunk's plaintext, before the engine seals it, starts with one format
// byte. Append only: never change or reuse a value; a new dictionary is a
// new format.
const (
	// FormatPlain: the rest is the events as they are.
	FormatPlain byte = 0
	// FormatDeflateDict1: the rest is raw DEFLATE (RFC 1951) with
	// chunkdict.txt as the preset dictionary. Chosen by measurement over
	// gzip, zstd and zstd with the same dictionary (BENCHMARKS.md): the
	// smallest for chunks of 1 and 10 events (a lesson's sync), 2 % and
	// 8 % bigger than zstd with the dictionary at 100 and 1000, and in
	// Go's standard library on both ends.
	FormatDeflateDict1 byte = 1
)

// chunkDict is the dictionary of FormatDeflateDict1: the course's lesson and
// step ids and the JSON of each event kind (BENCHMARKS.md measures what it
// saves). Shipped dictionaries never change: ChunkDictionaryHash pins it.
//
//go:embed chunkdict.txt
var chunkDict []byte

// ChunkDictionaryHash is the SHA-256 of chunkdict.txt, hex.
const ChunkDictionaryHash = "4a4449a20cd1d9a2d6424ea4aeb57e6f514dd53b88a0f00d3b96de65e7476c6a"

// ChunkDictionary returns the dictionary's bytes.
func ChunkDictionary() []byte { return append([]byte(nil), chunkDict...) }

// MaxChunkPlain is the most a chunk's plaintext may decompress to.
const MaxChunkPlain = 16 * syncapi.MaxChunkBody

// ErrChunkFormat means a chunk's plaintext is of a format this version
// does not know, or does not decode.
var ErrChunkFormat = errors.New("unknown or damaged chunk format")

// CompressChunk encodes a chunk's plaintext (events) for sealing: with
// the dictionary, or as it is when that is not smaller.
func CompressChunk(plain []byte) []byte {
	buf := bytes.NewBuffer([]byte{FormatDeflateDict1})
	w, _ := flate.NewWriterDict(buf, flate.BestCompression, chunkDict) // the level is valid
	w.Write(plain)                                                     // a bytes.Buffer does not fail
	w.Close()
	if buf.Len() >= 1+len(plain) {
		return append([]byte{FormatPlain}, plain...)
	}
	return buf.Bytes()
}

// DecompressChunk decodes what CompressChunk made, refusing more than
// MaxChunkPlain bytes (a chunk from a device gone bad must not exhaust
// this one's memory).
func DecompressChunk(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, ErrChunkFormat
	}
	switch b[0] {
	case FormatPlain:
		if len(b)-1 > MaxChunkPlain {
			return nil, fmt.Errorf("decompress chunk: %w", syncapi.ErrTooLarge)
		}
		return append([]byte(nil), b[1:]...), nil
	case FormatDeflateDict1:
		r := flate.NewReaderDict(bytes.NewReader(b[1:]), chunkDict)
		defer r.Close()
		out, err := io.ReadAll(io.LimitReader(r, MaxChunkPlain+1))
		if err != nil {
			return nil, fmt.Errorf("decompress chunk: %w: %v", ErrChunkFormat, err)
		}
		if len(out) > MaxChunkPlain {
			return nil, fmt.Errorf("decompress chunk: %w", syncapi.ErrTooLarge)
		}
		return out, nil
	}
	return nil, fmt.Errorf("decompress chunk: format %d: %w", b[0], ErrChunkFormat)
}
