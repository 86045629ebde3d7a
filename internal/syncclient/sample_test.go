package syncclient_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The event encoding these measurements assume: one JSON object per
// event, one per line, with the fields of learn.Event. The engine fixes
// the real encoding; the dictionary is built for this one (see
// chunkdict.go).

var stepID = regexp.MustCompile(`(?m)^id = "([^"]+)"`)

// courseIDs reads the lesson ids and each lesson's step ids from lessons/.
func courseIDs(t testing.TB) (lessons []string, steps map[string][]string) {
	t.Helper()
	files, err := filepath.Glob("../../lessons/*/lesson.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lessons found: %v", err)
	}
	steps = map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		l := filepath.Base(filepath.Dir(f))
		lessons = append(lessons, l)
		for _, m := range stepID.FindAllSubmatch(b, -1) {
			steps[l] = append(steps[l], string(m[1]))
		}
	}
	sort.Strings(lessons)
	return lessons, steps
}

// sampleEvents is a learner's plausible log: lessons step by step, some
// answers wrong then right, a milestone with a sealed note now and then.
// The same seed gives the same events.
func sampleEvents(t testing.TB, n int, seed uint64) [][]byte {
	lessons, steps := courseIDs(t)
	r := rand.New(rand.NewPCG(seed, 1))
	clock := int64(1767168000000) << 16
	var out [][]byte
	add := func(format string, args ...any) {
		clock += int64(2000+r.IntN(40000)) << 16
		out = append(out, fmt.Appendf(nil, `{"clock":%d,`+format+"}", append([]any{clock}, args...)...))
	}
	for len(out) < n {
		l := lessons[r.IntN(len(lessons))]
		for _, s := range steps[l] {
			add(`"kind":"step.shown","lesson":%q,"step":%q`, l, s)
			if r.IntN(3) == 0 {
				if r.IntN(3) == 0 {
					add(`"kind":"answer","lesson":%q,"step":%q,"answer":[%q],"correct":false`, l, s, "b")
				}
				add(`"kind":"answer","lesson":%q,"step":%q,"answer":[%q],"correct":true`, l, s, "a")
			}
		}
		add(`"kind":"lesson.done","lesson":%q`, l)
		if r.IntN(4) == 0 {
			note := make([]byte, 60)
			for i := range note {
				note[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[r.IntN(64)]
			}
			add(`"kind":"milestone.note","target":"gp-registered","data":%q`, string(note))
		}
	}
	return out[:n]
}

func joinEvents(evs [][]byte) []byte {
	var b []byte
	for _, e := range evs {
		b = append(b, e...)
		b = append(b, '\n')
	}
	return b
}

var _ = strings.Join
