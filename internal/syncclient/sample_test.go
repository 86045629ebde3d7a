package syncclient_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
)

// The events these measurements use are encoded as the engine seals them:
// learn.EncodeEvent, one a line.

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
	add := func(e learn.Event) {
		clock += int64(2000+r.IntN(40000)) << 16
		e.Clock = learn.HLC(clock)
		out = append(out, learn.EncodeEvent(e))
	}
	for len(out) < n {
		l := lessons[r.IntN(len(lessons))]
		for _, s := range steps[l] {
			add(learn.Event{Kind: learn.EventStepShown, Lesson: l, Step: s})
			if r.IntN(3) == 0 {
				if r.IntN(3) == 0 {
					add(learn.Event{Kind: learn.EventAnswered, Lesson: l, Step: s, Answer: []string{"b"}})
				}
				add(learn.Event{Kind: learn.EventAnswered, Lesson: l, Step: s, Answer: []string{"a"}, Correct: true})
			}
		}
		add(learn.Event{Kind: learn.EventLessonDone, Lesson: l})
		if r.IntN(4) == 0 {
			// A private note: inside the sealed chunk, in the learner's
			// words (random letters stand in for them).
			note := make([]byte, 60)
			for i := range note {
				note[i] = "abcdefghijklmnopqrstuvwxyz      "[r.IntN(32)]
			}
			add(learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: string(note)})
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
