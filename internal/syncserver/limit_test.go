package syncserver

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(60, 3) // one a second, bursts of 3
	for i := range 3 {
		if ok, _ := l.allow("a", t0); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a", t0)
	if ok || wait <= 0 || wait > time.Second {
		t.Errorf("past the burst: ok %v, wait %v; want refused for up to 1 s", ok, wait)
	}
	if ok, _ := l.allow("b", t0); !ok {
		t.Error("another key was limited")
	}
	if ok, _ := l.allow("a", t0.Add(time.Second)); !ok {
		t.Error("a token did not come back after a second")
	}
	l.sweep(t0.Add(time.Hour))
	if len(l.buckets) != 0 {
		t.Errorf("%d buckets after an idle hour, want none", len(l.buckets))
	}
	var none *limiter = newLimiter(0, 0)
	for range 1000 {
		if ok, _ := none.allow("a", t0); !ok {
			t.Fatal("a rate of 0 limited")
		}
	}
}
