package safety_test

import (
	"errors"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/safety"
)

func at(boot string, mono time.Duration) safety.Instant {
	return safety.Instant{Boot: boot, Mono: mono}
}

func TestDelayGrows(t *testing.T) {
	prev := safety.Delay(0)
	if prev != 0 || safety.Delay(2) != 0 {
		t.Errorf("the first wrong tries wait: %v, %v", prev, safety.Delay(2))
	}
	for fails := 3; fails < 12; fails++ {
		d := safety.Delay(fails)
		if d < prev || (fails <= 8 && d == prev) {
			t.Errorf("after %d wrong tries: wait %v, not more than after %d (%v)", fails, d, fails-1, prev)
		}
		if d > 5*time.Minute {
			t.Errorf("after %d wrong tries: wait %v, more than five minutes", fails, d)
		}
		prev = d
	}
}

func TestTries(t *testing.T) {
	boot := "b1"
	tests := []struct {
		name     string
		before   safety.Tries
		now      safety.Instant
		wantOK   bool
		wantFail int
		wantLeft time.Duration // after Begin, at now
	}{
		{"first try", safety.Tries{}, at(boot, time.Hour), true, 1, 0},
		{"third try waits after", safety.Tries{Fails: 2}, at(boot, time.Hour), true, 3, 5 * time.Second},
		{"during a wait", safety.Tries{Fails: 3, Wait: 5 * time.Second, Boot: boot, Start: time.Hour}, at(boot, time.Hour+2*time.Second), false, 3, 3 * time.Second},
		{"after a wait", safety.Tries{Fails: 3, Wait: 5 * time.Second, Boot: boot, Start: time.Hour}, at(boot, time.Hour+5*time.Second), true, 4, 15 * time.Second},
		{"another boot: the wait is whole", safety.Tries{Fails: 4, Wait: 15 * time.Second, Boot: "b0", Start: 10 * time.Hour}, at(boot, time.Second), false, 4, 15 * time.Second},
		{"a clock that went back on one boot: never longer", safety.Tries{Fails: 4, Wait: 15 * time.Second, Boot: boot, Start: time.Hour}, at(boot, time.Minute), false, 4, 15 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, ok := tt.before.Begin(tt.now)
			if ok != tt.wantOK || next.Fails != tt.wantFail {
				t.Errorf("Begin: ok %v, %d fails; want %v, %d", ok, next.Fails, tt.wantOK, tt.wantFail)
			}
			if left := next.Left(tt.now); left != tt.wantLeft {
				t.Errorf("left %v, want %v", left, tt.wantLeft)
			}
			if left := next.Left(tt.now); left > safety.Delay(next.Fails) {
				t.Errorf("a wait of %v, longer than it was set for", left)
			}
		})
	}
}

func TestRebaseAndStorage(t *testing.T) {
	tr := safety.Tries{Fails: 5, Wait: 30 * time.Second, Boot: "b0", Start: 9 * time.Hour}
	now := at("b1", time.Minute)
	rebased, changed := tr.Rebase(now)
	if !changed || rebased.Boot != "b1" || rebased.Start != time.Minute || rebased.Left(now) != 30*time.Second {
		t.Errorf("rebase: %+v %v", rebased, changed)
	}
	if _, changed := rebased.Rebase(now); changed {
		t.Error("rebased twice on one boot")
	}
	back, err := safety.ParseTries(rebased.String(), now)
	if err != nil || back != rebased {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if got, err := safety.ParseTries("", now); err != nil || got != (safety.Tries{}) {
		t.Errorf("empty: %+v %v", got, err)
	}
	for _, bad := range []string{"x", "1:2:3", "-1:0:b:0", "1:-5:b:0", "a:b:c:d"} {
		got, err := safety.ParseTries(bad, now)
		if !errors.Is(err, safety.ErrDamaged) || got.Left(now) == 0 {
			t.Errorf("%q: %+v, %v: damaged state must wait, not open", bad, got, err)
		}
	}
	if !(safety.Tries{Fails: 5}).Erase(5) || (safety.Tries{Fails: 4}).Erase(5) || (safety.Tries{Fails: 50}).Erase(0) {
		t.Error("erase-after rule")
	}
}

func TestAcceptable(t *testing.T) {
	for _, tt := range []struct {
		kind, secret string
		ok           bool
		why          string
	}{
		{safety.KindPIN, "482173", true, ""},
		{safety.KindPIN, "4821", false, safety.ReasonLength},
		{safety.KindPIN, "48217390512", false, safety.ReasonLength},
		{safety.KindPIN, "111111", false, learn.ReasonRepeat},
		{safety.KindPIN, "123456", false, learn.ReasonCommon},
		{safety.KindPIN, "345678", false, learn.ReasonSequence},
		{safety.KindPIN, "140396", false, learn.ReasonDate},
		{safety.KindPIN, "48a173", false, learn.ReasonNotPIN},
		{safety.KindPassphrase, "blue kettle river song", true, ""},
		{safety.KindPassphrase, "short", false, safety.ReasonLength},
		{safety.KindPassphrase, "password1", false, safety.ReasonLength},
		{safety.KindPassphrase, "aaaaaaaaaaaa", false, learn.ReasonRepeat},
	} {
		ok, why := safety.Acceptable(tt.kind, tt.secret)
		if ok != tt.ok || (tt.why != "" && (len(why) == 0 || why[0] != tt.why && !contains(why, tt.why))) {
			t.Errorf("%s %q: %v %v, want %v %q", tt.kind, tt.secret, ok, why, tt.ok, tt.why)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
