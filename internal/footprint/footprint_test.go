package footprint_test

import (
	"runtime"
	"testing"

	"github.com/waymark-app/waymark/internal/footprint"
)

var keep []byte

// The report follows what the process holds: 64 MiB more live heap shows
// in the Go heap and in resident memory, and the parts fit in the whole.
func TestReadFollowsTheHeap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("resident memory is read from /proc")
	}
	runtime.GC()
	before := footprint.Read()
	keep = make([]byte, 64<<20)
	for i := range keep {
		keep[i] = 1 // resident, not just reserved
	}
	after := footprint.Read()
	if grew := after.GoHeap - before.GoHeap; grew < 60<<20 {
		t.Errorf("Go heap grew by %d bytes after 64 MiB was allocated", grew)
	}
	if grew := after.RSS - before.RSS; grew < 60<<20 {
		t.Errorf("resident memory grew by %d bytes after 64 MiB was touched", grew)
	}
	if after.Anon+after.File > after.RSS+1<<20 || after.GoHeap > after.GoTotal || after.PeakRSS < after.RSS {
		t.Errorf("the parts do not fit the whole: %+v", after)
	}
	keep = nil
}
