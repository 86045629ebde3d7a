package syncclient_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/waymark-app/waymark/internal/syncapi"
	"github.com/waymark-app/waymark/internal/syncclient"
)

func TestCompressChunkRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 10, 500} {
		plain := joinEvents(sampleEvents(t, n, 7))
		c := syncclient.CompressChunk(plain)
		got, err := syncclient.DecompressChunk(c)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%d events: round trip: %v", n, err)
		}
		if n >= 10 && len(c) >= len(plain)/3 {
			t.Errorf("%d events: %d bytes from %d: the dictionary does not help", n, len(c), len(plain))
		}
	}
	random := make([]byte, 300)
	rand.Read(random)
	if c := syncclient.CompressChunk(random); c[0] != syncclient.FormatPlain || len(c) != 301 {
		t.Errorf("incompressible data: format %d, %d bytes; want plain, 301", c[0], len(c))
	}
}

func TestDecompressChunkRefusesBombsAndJunk(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteByte(syncclient.FormatDeflateDict1)
	w, _ := flate.NewWriterDict(&buf, flate.BestSpeed, syncclient.ChunkDictionary())
	w.Write(make([]byte, 64<<20))
	w.Close()
	bomb := buf.Bytes()
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb of %d bytes", len(bomb))
	}
	if _, err := syncclient.DecompressChunk(bomb); !errors.Is(err, syncapi.ErrTooLarge) {
		t.Errorf("a 64 MiB bomb: got %v, want ErrTooLarge", err)
	}
	for name, b := range map[string][]byte{
		"empty":          nil,
		"unknown format": {9, 1, 2},
		"not deflate":    append([]byte{syncclient.FormatDeflateDict1}, 0xff, 0xff, 0xff),
	} {
		if _, err := syncclient.DecompressChunk(b); !errors.Is(err, syncclient.ErrChunkFormat) {
			t.Errorf("%s: got %v, want ErrChunkFormat", name, err)
		}
	}
}

// FuzzDecompressChunk: whatever a (bad) device sealed, opening it never
// panics nor returns more than the limit.
func FuzzDecompressChunk(f *testing.F) {
	f.Add(syncclient.CompressChunk([]byte(`{"clock":1,"kind":"step.shown","lesson":"email-basics","step":"address"}`)))
	f.Add([]byte{0, 'x'})
	f.Add([]byte{1, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := syncclient.DecompressChunk(b)
		if err == nil && len(out) > syncclient.MaxChunkPlain {
			t.Fatalf("%d bytes out", len(out))
		}
	})
}

// sealedSize is what sealing adds: XChaCha20-Poly1305's 24-byte nonce and
// 16-byte tag.
const sealedSize = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// compressors are the candidates measured for a chunk's plaintext.
func compressors(dict []byte) map[string]func([]byte) []byte {
	zplain, _ := zstd.NewWriter(nil, zstd.WithEncoderCRC(false), zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	zdict, _ := zstd.NewWriter(nil, zstd.WithEncoderCRC(false), zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderDictRaw(1, dict))
	return map[string]func([]byte) []byte{
		"none": func(b []byte) []byte { return b },
		"gzip": func(b []byte) []byte {
			var buf bytes.Buffer
			w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		"deflate+dict": syncclient.CompressChunk,
		"zstd":         func(b []byte) []byte { return zplain.EncodeAll(b, nil) },
		"zstd+dict":    func(b []byte) []byte { return zdict.EncodeAll(b, nil) },
	}
}

// BenchmarkChunkCompression measures each candidate on a chunk of 1, 10,
// 100 and 1000 events: sealed-bytes is what goes on the wire for the
// chunk's body (compressed plaintext plus the seal's 40 bytes).
func BenchmarkChunkCompression(b *testing.B) {
	dict := syncclient.ChunkDictionary()
	for _, n := range []int{1, 10, 100, 1000} {
		plain := joinEvents(sampleEvents(b, n, 42))
		for _, name := range []string{"none", "gzip", "deflate+dict", "zstd", "zstd+dict"} {
			f := compressors(dict)[name]
			b.Run(fmt.Sprintf("events=%d/%s", n, name), func(b *testing.B) {
				var out []byte
				for b.Loop() {
					out = f(plain)
				}
				b.ReportMetric(float64(len(plain)), "plain-bytes")
				b.ReportMetric(float64(len(out)+sealedSize), "sealed-bytes")
				b.ReportMetric(float64(len(out)+sealedSize)/float64(n), "bytes/event")
			})
		}
	}
}

// BenchmarkSyncBodyCompression measures compressing a whole sync body on
// the wire (Content-Encoding), once the chunks in it are sealed: idle, a
// push of 10 events, and a full pull of 256 chunks of 10 events.
func BenchmarkSyncBodyCompression(b *testing.B) {
	seal := func(n int) []byte {
		plain := syncclient.CompressChunk(joinEvents(sampleEvents(b, n, uint64(n))))
		out := make([]byte, len(plain)+sealedSize)
		rand.Read(out) // a sealed body is indistinguishable from random
		return out
	}
	stream := func() syncapi.Stream {
		var s syncapi.Stream
		rand.Read(s.Device[:])
		rand.Read(s.Epoch[:])
		return s
	}
	self := stream()
	others := []syncapi.Stream{stream(), stream(), stream()}
	idle, _ := syncapi.SyncRequest{Self: self, Cursor: []byte{0x96, 0x01}}.AppendBinary(nil)
	push, _ := syncapi.SyncRequest{Self: self, Cursor: []byte{0x96, 0x01}, Push: []syncapi.Chunk{{Stream: self, From: 1, To: 10, Body: seal(10)}}}.AppendBinary(nil)
	var pull syncapi.SyncResponse
	pull.Cursor = []byte{0x96, 0x01}
	pull.Acks = []syncapi.ChunkStatus{}
	for i := range 256 {
		pull.Pull = append(pull.Pull, syncapi.Chunk{Stream: others[(i/4)%3], From: uint64(i*10 + 1), To: uint64(i*10 + 10), Body: seal(10)})
	}
	large, _ := pull.AppendBinary(nil)
	zenc, _ := zstd.NewWriter(nil, zstd.WithEncoderCRC(false))
	methods := map[string]func([]byte) []byte{
		"none": func(b []byte) []byte { return b },
		"gzip": compressors(nil)["gzip"],
		"zstd": func(b []byte) []byte { return zenc.EncodeAll(b, nil) },
	}
	for _, body := range []struct {
		name string
		b    []byte
	}{{"idle", idle}, {"push10", push}, {"pull256x10", large}} {
		for _, m := range []string{"none", "gzip", "zstd"} {
			b.Run(body.name+"/"+m, func(b *testing.B) {
				var out []byte
				for b.Loop() {
					out = methods[m](body.b)
				}
				b.ReportMetric(float64(len(out)), "body-bytes")
			})
		}
	}
}
