package syncapi_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/waymark-app/waymark/internal/syncapi"
)

// FuzzDecodeSyncRequest: any bytes decode to a request or an error, never
// a panic; what decodes encodes back to the same bytes.
func FuzzDecodeSyncRequest(f *testing.F) {
	good, _ := sampleRequest().AppendBinary(nil)
	idle, _ := syncapi.SyncRequest{Self: stream(2)}.AppendBinary(nil)
	f.Add(good)
	f.Add(idle)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := syncapi.DecodeSyncRequest(b)
		if err != nil {
			return
		}
		again, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatalf("a decoded request does not encode: %v", err)
		}
		r2, err := syncapi.DecodeSyncRequest(again)
		if err != nil || !reflect.DeepEqual(r, r2) {
			t.Fatalf("re-encoded request differs: %v", err)
		}
	})
}

// FuzzDecodeSyncResponse: a client decoding whatever a server (or
// something in between) sends never panics.
func FuzzDecodeSyncResponse(f *testing.F) {
	good, _ := syncapi.SyncResponse{Cursor: []byte{1}, Acks: []syncapi.ChunkStatus{0, 1}, Pull: sampleRequest().Push}.AppendBinary(nil)
	f.Add(good)
	f.Add([]byte{1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := syncapi.DecodeSyncResponse(b)
		if err != nil {
			return
		}
		if _, err := r.AppendBinary(nil); err != nil {
			t.Fatalf("a decoded response does not encode: %v", err)
		}
	})
}

// FuzzReadBody: whatever compressed bytes come (a decompression bomb
// among them: the seed of 10,000 bytes is over the limit), the reader never
// returns more than its limit, and errors are the protocol's.
func FuzzReadBody(f *testing.F) {
	const limit = 4096
	f.Add([]byte("plain"), uint8(0))
	f.Add(syncapi.Gzip(bytes.Repeat([]byte("a"), 10000)), uint8(1))
	f.Add(syncapi.Gzip([]byte("hello")), uint8(1))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, which uint8) {
		enc := []string{"", "gzip"}[int(which)%2]
		got, err := syncapi.ReadBody(bytes.NewReader(b), enc, limit)
		if err != nil {
			if !errors.Is(err, syncapi.ErrTooLarge) && !errors.Is(err, syncapi.ErrEncoding) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(got) > limit {
			t.Fatalf("read %d bytes, limit %d", len(got), limit)
		}
	})
}
