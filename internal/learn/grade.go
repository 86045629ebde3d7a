package learn

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
)

// Verdict is the result of grading one answer. It marks every choice so
// that the player can give feedback on each one, not only say right or
// wrong.
type Verdict struct {
	Correct bool
	// Right are chosen ids that are right: a right option, a warning sign
	// found, or an order item in its right place.
	Right []string
	// Wrong are chosen ids that are not right.
	Wrong []string
	// Missed are right ids the learner did not choose (multi, spot).
	Missed []string
}

// Grade checks an answer to a question step. For choice, multi, truefalse
// and spot steps, answer holds the chosen ids in any order; for an order
// step, the item ids in the learner's order. It returns ErrInvalid for an
// answer that names an id the step does not have, or for a read step.
func Grade(s Step, answer []string) (Verdict, error) {
	choices := s.Choices()
	for _, a := range answer {
		if !slices.Contains(choices, a) {
			return Verdict{}, ErrInvalid
		}
	}
	switch s.Kind {
	case KindChoice, KindTrueFalse:
		if len(answer) != 1 {
			return Verdict{}, ErrInvalid
		}
		return gradeSet(s.Correct, answer), nil
	case KindMulti, KindSpot, KindInbox, KindAdvert, KindEmail, KindForm, KindRecovery:
		return gradeSet(s.Right(), answer), nil
	case KindPayee:
		// One action for each payment.
		if len(answer) != len(s.Payments) {
			return Verdict{}, ErrInvalid
		}
		for i, p := range s.Payments {
			if pay, _, _ := strings.Cut(answer[i], "/"); pay != p.ID {
				return Verdict{}, ErrInvalid
			}
		}
		return gradeSet(s.Right(), answer), nil
	case KindCV:
		return gradeCV(s, answer), nil
	case KindTrip:
		return gradeTrip(s, answer), nil
	case KindPrivacy:
		// Only a switch left on that should be off matters: turning off
		// one that was safe to keep on is never wrong.
		v := gradeSet(s.Right(), answer)
		v.Missed = nil
		v.Correct = len(v.Wrong) == 0
		return v, nil
	case KindPasscode:
		if len(answer) != 1 {
			return Verdict{}, ErrInvalid
		}
		// Stronger than the goal is right too.
		if Strength(answer[0]).AtLeast(s.Goal) {
			return Verdict{Correct: true, Right: answer}, nil
		}
		return Verdict{Wrong: answer, Missed: []string{string(s.Goal)}}, nil
	case KindFlow:
		// The taps in order; every tap that did not move on is a detour.
		var v Verdict
		for _, a := range answer {
			if slices.Contains(s.Right(), a) {
				if !slices.Contains(v.Right, a) {
					v.Right = append(v.Right, a)
				}
			} else {
				v.Wrong = append(v.Wrong, a)
			}
		}
		for _, r := range s.Right() {
			if !slices.Contains(v.Right, r) {
				v.Missed = append(v.Missed, r)
			}
		}
		// Taking a detour is how people learn an app: reaching the end is
		// what counts. The detours stay in Wrong, for feedback.
		v.Correct = len(v.Missed) == 0
		return v, nil
	case KindOrder:
		if len(answer) != len(s.Items) || hasDuplicates(answer) {
			return Verdict{}, ErrInvalid
		}
		var v Verdict
		for i, id := range answer {
			if s.Items[i] == id {
				v.Right = append(v.Right, id)
			} else {
				v.Wrong = append(v.Wrong, id)
			}
		}
		v.Correct = len(v.Wrong) == 0
		return v, nil
	}
	return Verdict{}, ErrInvalid
}

// gradeSet grades an answer that is right when it picks exactly the ids in
// want. Ids are reported in the order of answer and want, without repeats.
func gradeSet(want, answer []string) Verdict {
	var v Verdict
	for _, a := range answer {
		if slices.Contains(v.Right, a) || slices.Contains(v.Wrong, a) {
			continue
		}
		if slices.Contains(want, a) {
			v.Right = append(v.Right, a)
		} else {
			v.Wrong = append(v.Wrong, a)
		}
	}
	for _, w := range want {
		if !slices.Contains(answer, w) {
			v.Missed = append(v.Missed, w)
		}
	}
	v.Correct = len(v.Wrong) == 0 && len(v.Missed) == 0
	return v
}

func hasDuplicates(ids []string) bool {
	for i, id := range ids {
		if slices.Contains(ids[i+1:], id) {
			return true
		}
	}
	return false
}

// StartOrder returns the order in which an order step's items are first
// shown: a shuffle that is never already right (for two or more items)
// and is the same every time the step is shown, so a learner who leaves
// and comes back finds the same puzzle.
func StartOrder(lessonID string, s Step) []string {
	out := slices.Clone(s.Items)
	if len(out) < 2 {
		return out
	}
	h := fnv.New64a()
	h.Write([]byte(lessonID + "/" + s.ID))
	r := rand.New(rand.NewPCG(h.Sum64(), 0x5741594d41524b)) // "WAYMARK"
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if slices.Equal(out, s.Items) {
		// Rotate by one: still a fair puzzle, and never the answer.
		out = append(out[1:], out[0])
	}
	return out
}
