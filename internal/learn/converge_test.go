package learn_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

// randomLog makes events from three devices, as a learner with a phone, a
// laptop and an old backup would: answers, positions, milestones, notes,
// phrase reviews and the nickname, with clashing clocks.
func randomLog(r *rand.Rand, n int) []learn.Event {
	devices := []string{"aaaa", "bbbb", "cccc"}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC).UnixMilli()
	var out []learn.Event
	seq := map[string]int64{}
	last := map[string]learn.HLC{}
	for range n {
		d := devices[r.IntN(len(devices))]
		seq[d]++
		// Few distinct milliseconds, so that clocks tie across devices; one
		// device's clock only grows, as its hybrid logical clock does.
		clock := max(learn.NewHLC(t0+int64(r.IntN(20))*1000, uint16(r.IntN(2))), last[d]+1)
		last[d] = clock
		e := learn.Event{ID: learn.EventID{Device: d, Epoch: "e", Seq: seq[d]}, Clock: clock}
		lesson := []string{"passcodes", "scam-messages"}[r.IntN(2)]
		step := []string{"s1", "s2", "s3"}[r.IntN(3)]
		switch r.IntN(9) {
		case 0:
			e.Kind, e.Lesson, e.Step = learn.EventStepShown, lesson, step
		case 1:
			e.Kind, e.Lesson, e.Step, e.Correct, e.Answer = learn.EventAnswered, lesson, step, r.IntN(2) == 0, []string{"a"}
		case 2:
			e.Kind, e.Lesson = learn.EventLessonDone, lesson
		case 3:
			e.Kind, e.Lesson, e.Step, e.Answer = learn.EventPhrasesAdded, "english", "p", []string{"hello", "bye"}
		case 4:
			e.Kind, e.Lesson, e.Step, e.Answer, e.Correct = learn.EventPhraseReviewed, "english", "p", []string{"hello"}, r.IntN(2) == 0
		case 5:
			e.Kind, e.Target, e.Correct, e.Data = learn.EventMilestoneDone, "gp", r.IntN(2) == 0, "2026-11-0"+fmt.Sprint(1+r.IntN(9))
		case 6:
			e.Kind, e.Target, e.Data = learn.EventMilestoneNote, "gp", fmt.Sprintf("note %d", r.IntN(100))
		case 7:
			e.Kind, e.Data = learn.EventNickname, fmt.Sprintf("nick %d", r.IntN(100))
		default:
			e.Kind, e.Lesson, e.Data = "lesson.rated", lesson, "5" // a newer version's kind
		}
		out = append(out, e)
	}
	return out
}

// TestStateConvergesInAnyOrder applies the same events in many orders:
// every order gives the same state, so devices that merge logs by union
// agree whatever order their syncs brought events in.
func TestStateConvergesInAnyOrder(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 1))
		events := randomLog(r, 2+r.IntN(40))
		want := learn.NewProgress()
		for _, e := range events {
			want.Apply(e)
		}
		for range 5 {
			shuffled := append([]learn.Event(nil), events...)
			r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			got := learn.NewProgress()
			for _, e := range shuffled {
				got.Apply(e)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d: state depends on the order events arrive in:\n got %+v\nwant %+v", seed, got, want)
			}
		}
	}
}
