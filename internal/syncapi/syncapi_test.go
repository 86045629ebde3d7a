package syncapi_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/syncapi"
)

func stream(b byte) syncapi.Stream {
	var s syncapi.Stream
	for i := range s.Device {
		s.Device[i], s.Epoch[i] = b, b+1
	}
	return s
}

// selfPrefix is a request's version and stream, before the cursor.
func selfPrefix() []byte {
	s := stream(1)
	b := append([]byte{1}, s.Device[:]...)
	return append(b, s.Epoch[:]...)
}

func sampleRequest() syncapi.SyncRequest {
	self, other := stream(1), stream(7)
	return syncapi.SyncRequest{
		Self: self, Cursor: []byte{0x96, 0x01}, PullBytes: 4096,
		Push: []syncapi.Chunk{
			{Stream: self, From: 1, To: 10, Body: []byte("sealed one")},
			{Stream: self, From: 11, To: 11, Body: []byte("sealed two")},
			{Stream: other, From: 300, To: 400, Body: []byte("forwarded")},
			{Stream: self, From: 12, To: 12, Body: []byte("x")},
		},
	}
}

func TestSyncRequestRoundTrip(t *testing.T) {
	for name, r := range map[string]syncapi.SyncRequest{
		"idle":   {Self: stream(3)},
		"pushes": sampleRequest(),
	} {
		b, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		got, err := syncapi.DecodeSyncRequest(b)
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: got %+v, want %+v", name, got, r)
		}
	}
}

// TestSyncRequestBytes pins the encoding's size: an idle request is the
// version, the stream and three short fields; a chunk of the device's own
// stream costs five bytes besides its body.
func TestSyncRequestBytes(t *testing.T) {
	idle, _ := syncapi.SyncRequest{Self: stream(1), Cursor: []byte{5}}.AppendBinary(nil)
	if len(idle) != 1+32+2+1+1 {
		t.Errorf("idle request: %d bytes, want 37", len(idle))
	}
	one, _ := syncapi.SyncRequest{Self: stream(1), Cursor: []byte{5}, Push: []syncapi.Chunk{{Stream: stream(1), From: 1, To: 10, Body: make([]byte, 150)}}}.AppendBinary(nil)
	if got := len(one) - len(idle) - 150; got != 5 {
		t.Errorf("a chunk's envelope: %d bytes, want 5", got)
	}
}

func TestSyncResponseRoundTrip(t *testing.T) {
	r := syncapi.SyncResponse{
		More: true, Cursor: []byte{1, 2, 3},
		Acks: []syncapi.ChunkStatus{syncapi.StatusStored, syncapi.StatusDuplicate, syncapi.StatusConflict, 200},
		Pull: []syncapi.Chunk{
			{Stream: stream(1), From: 1, To: 1, Body: []byte("a")},
			{Stream: stream(1), From: 2, To: 9, Body: []byte("b")},
			{Stream: stream(9), From: 5, To: 5, Body: []byte("c")},
		},
	}
	b, err := r.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := syncapi.DecodeSyncResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("got %+v, want %+v", got, r)
	}
	idle, _ := syncapi.SyncResponse{Cursor: []byte{5}}.AppendBinary(nil)
	if len(idle) != 6 {
		t.Errorf("idle response: %d bytes, want 6", len(idle))
	}
	if st := syncapi.ChunkStatus(200); st.Acknowledged() {
		t.Error("an unknown status counts as acknowledged")
	}
}

func TestDecodeRefusesBadBodies(t *testing.T) {
	good, _ := sampleRequest().AppendBinary(nil)
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"empty", nil, syncapi.ErrMalformed},
		{"other version", append([]byte{2}, good[1:]...), syncapi.ErrVersion},
		{"trailing byte", append(append([]byte(nil), good...), 0), syncapi.ErrMalformed},
		{"long cursor", func() []byte {
			b := append([]byte{1}, make([]byte, 32)...)
			return append(b, 65)
		}(), syncapi.ErrTooLarge},
		{"too many chunks", func() []byte {
			b := append([]byte{1}, make([]byte, 32)...)
			b = append(b, 0, 0)          // cursor, pull bytes
			return append(b, 0x81, 0x02) // 257 chunks
		}(), syncapi.ErrTooLarge},
		{"count beyond the bytes", func() []byte {
			b := append([]byte{1}, make([]byte, 32)...)
			return append(b, 0, 0, 100)
		}(), syncapi.ErrMalformed},
		{"bad flags", func() []byte {
			b := selfPrefix()
			return append(b, 0, 0, 1, 0x80, 1, 0, 1, 'x')
		}(), syncapi.ErrMalformed},
		{"seq zero", func() []byte {
			b := selfPrefix()
			return append(b, 0, 0, 1, 0, 0, 0, 1, 'x')
		}(), syncapi.ErrMalformed},
		{"empty body", func() []byte {
			b := selfPrefix()
			return append(b, 0, 0, 1, 0, 1, 0, 0)
		}(), syncapi.ErrMalformed},
		{"huge chunk", func() []byte {
			b := selfPrefix()
			return append(b, 0, 0, 1, 0, 1, 0, 0x81, 0x80, 0x04)
		}(), syncapi.ErrTooLarge},
	}
	for i := 1; i < len(good); i += 7 {
		tests = append(tests, struct {
			name string
			body []byte
			want error
		}{"truncated", good[:i], syncapi.ErrMalformed})
	}
	for _, tc := range tests {
		if _, err := syncapi.DecodeSyncRequest(tc.body); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestReadBody(t *testing.T) {
	plain := bytes.Repeat([]byte("waymark "), 100)
	gz := syncapi.Gzip(plain)
	tests := []struct {
		name, enc string
		body      []byte
		max       int64
		want      error
	}{
		{"identity", "", plain, 800, nil},
		{"identity too large", "", plain, 799, syncapi.ErrTooLarge},
		{"gzip", "gzip", gz, 800, nil},
		{"gzip over the limit", "gzip", gz, 799, syncapi.ErrTooLarge},
		{"gzip garbage", "gzip", []byte("not gzip"), 800, syncapi.ErrEncoding},
		{"gzip truncated", "gzip", gz[:len(gz)/2], 800, syncapi.ErrEncoding},
		{"gzip with a bad checksum", "gzip", append(bytes.Clone(gz[:len(gz)-8]), 0, 0, 0, 0, 0, 0, 0, 0), 800, syncapi.ErrEncoding},
		{"plain sent as gzip", "gzip", plain, 800, syncapi.ErrEncoding},
		{"zstd", "zstd", plain, 800, syncapi.ErrUnsupported},
		{"brotli", "br", plain, 800, syncapi.ErrUnsupported},
	}
	for _, tc := range tests {
		got, err := syncapi.ReadBody(bytes.NewReader(tc.body), tc.enc, tc.max)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		if err == nil && !bytes.Equal(got, plain) {
			t.Errorf("%s: body differs", tc.name)
		}
	}
}

// TestReadBodyRefusesBombs: a few hundred kilobytes that decode to 32
// MiB (16 times the limit) are refused after reading no more than the limit.
func TestReadBodyRefusesBombs(t *testing.T) {
	var gz bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 32 {
		gw.Write(zeros)
	}
	gw.Close()
	if gz.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes: not a bomb", gz.Len())
	}
	if _, err := syncapi.ReadBody(&gz, "gzip", syncapi.MaxSyncBody); !errors.Is(err, syncapi.ErrTooLarge) {
		t.Errorf("gzip bomb (%d bytes → 32 MiB): got %v, want ErrTooLarge", gz.Len(), err)
	}
}

func TestParseID(t *testing.T) {
	id := syncapi.ID{1, 2, 3}
	got, err := syncapi.ParseID(id.String())
	if err != nil || got != id {
		t.Errorf("round trip: %v, %v", got, err)
	}
	for _, bad := range []string{"", "AAAA", strings.Repeat("A", 23), "!!!!!!!!!!!!!!!!!!!!!!"} {
		if _, err := syncapi.ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) accepted", bad)
		}
	}
}
