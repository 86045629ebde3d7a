package group_test

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/group"
	"github.com/waymark-app/waymark/internal/learn"
)

var day0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// progress builds a learner's progress from events at the given times.
func progress(events ...learn.Event) *learn.Progress {
	p := learn.NewProgress()
	for i, e := range events {
		if e.Clock == 0 {
			e.Clock = learn.NewHLC(day0.Add(time.Duration(i)*time.Minute).UnixMilli(), 0)
		}
		e.ID = learn.EventID{Device: "d", Epoch: "e", Seq: int64(i + 1)}
		p.Apply(e)
	}
	return p
}

func at(t time.Time) learn.HLC { return learn.NewHLC(t.UnixMilli(), 0) }

func answer(lesson, step string, right bool, chosen ...string) learn.Event {
	return learn.Event{Kind: learn.EventAnswered, Lesson: lesson, Step: step, Correct: right, Answer: chosen}
}

func TestBuildShareHoldsExactlyTheConsentedItems(t *testing.T) {
	p := progress(
		learn.Event{Kind: learn.EventNickname, Data: "Real Name Smith"},
		learn.Event{Kind: learn.EventStepShown, Lesson: "scam-messages", Step: "what-is-scam"},
		answer("scam-messages", "bank-call", false, "give-code"),
		answer("scam-messages", "bank-call", false, "ask-name"),
		answer("scam-messages", "bank-call", true, "hang-up"),
		answer("scam-messages", "spelling", false, "true"), // wrong once: not a struggle
		learn.Event{Kind: learn.EventLessonDone, Lesson: "scam-messages"},
		learn.Event{Kind: learn.EventStepShown, Lesson: "register-gp", Step: "intro", Clock: at(day0.AddDate(0, 0, 3))},
		learn.Event{Kind: learn.EventMilestoneDone, Target: "gp", Correct: true, Data: "2026-01-15"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "sealed note about my doctor"},
		learn.Event{Kind: learn.EventMilestoneShare, Target: "gp", Correct: true},
		learn.Event{Kind: learn.EventMilestoneDone, Target: "bank", Correct: true}, // not shared
		learn.Event{Kind: learn.EventMilestoneAdded, Target: "own-1", Data: "Visit my sister"},
		learn.Event{Kind: learn.EventMilestoneDone, Target: "own-1", Correct: true},
		learn.Event{Kind: learn.EventMilestoneShare, Target: "own-1", Correct: true}, // custom: never shared
	)
	s := group.BuildShare(p, "Sunflower", time.UTC)
	want := group.Share{
		Consent:    1,
		Nickname:   "Sunflower",
		Done:       []group.LessonDay{{Lesson: "scam-messages", Day: "2026-03-02"}},
		InProgress: []group.LessonDay{{Lesson: "register-gp", Day: "2026-03-05"}},
		Struggled:  []group.Struggle{{Lesson: "scam-messages", Step: "bank-call", Wrong: 2, Right: true}},
		Milestones: []group.MilestoneDay{{ID: "gp", Day: "2026-03-02"}},
		LastActive: "2026-03-05",
	}
	got, _ := json.Marshal(s)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(got, wantJSON) {
		t.Errorf("share:\n got %s\nwant %s", got, wantJSON)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("a built share does not validate: %v", err)
	}
}

// TestAttackShareCarriesNothingElse reads a sealed share's plaintext, as
// the trainer's key opens it, for everything the consent does not list:
// notes, answers' content, the app's own nickname, a dated milestone's
// date, a milestone of the learner's own, one not shared.
func TestAttackShareCarriesNothingElse(t *testing.T) {
	p := progress(
		learn.Event{Kind: learn.EventNickname, Data: "Amina Real-Surname"},
		answer("scam-messages", "bank-call", false, "give-code-canary"),
		answer("scam-messages", "bank-call", false, "ask-name-canary"),
		learn.Event{Kind: learn.EventMilestoneDone, Target: "gp", Correct: true, Data: "2025-12-25"},
		learn.Event{Kind: learn.EventMilestoneNote, Target: "gp", Data: "note-canary"},
		learn.Event{Kind: learn.EventMilestoneShare, Target: "gp", Correct: true},
		learn.Event{Kind: learn.EventMilestoneDone, Target: "bank", Correct: true},
		learn.Event{Kind: learn.EventMilestoneAdded, Target: "own-canary", Data: "title-canary"},
		learn.Event{Kind: learn.EventMilestoneShare, Target: "own-canary", Correct: true},
	)
	priv := group.NewKey()
	blob, err := group.BuildShare(p, "Sunflower", time.UTC).Seal(priv.Public(), "g1", "m1")
	if err != nil {
		t.Fatal(err)
	}
	plain := openPlain(t, priv, blob)
	for _, canary := range []string{"Amina", "Real-Surname", "canary", "2025-12-25", "bank\"", "own-"} {
		if strings.Contains(plain, canary) {
			t.Errorf("the share carries %q: %s", canary, plain)
		}
	}
	var keys map[string]json.RawMessage
	json.Unmarshal([]byte(plain), &keys)
	for k := range keys {
		if !slices.Contains([]string{"v", "n", "done", "prog", "hard", "ms", "last"}, k) {
			t.Errorf("the share has a field the consent does not list: %q", k)
		}
	}
}

// openPlain opens a share and returns its JSON, as a curious trainer's
// code would.
func openPlain(t *testing.T, priv group.PrivateKey, blob []byte) string {
	t.Helper()
	s, err := group.OpenShare(priv, "g1", "m1", blob)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	enc := s.Encode()
	j, err := io.ReadAll(flate.NewReader(bytes.NewReader(enc[1:])))
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

// TestAttackMovedOrForeignShare: a server (or another learner) that moves
// a share to another member or group, or seals one to another key, or
// changes a byte, gets nothing the trainer's app accepts.
func TestAttackMovedOrForeignShare(t *testing.T) {
	priv := group.NewKey()
	s := group.Share{Consent: 1, Nickname: "Sunflower", LastActive: "2026-03-01"}
	blob, err := s.Seal(priv.Public(), "g1", "m1")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := group.OpenShare(priv, "g1", "m1", blob); err != nil || got.Nickname != "Sunflower" {
		t.Fatalf("the real share does not open: %v %+v", err, got)
	}
	other := group.NewKey()
	foreign, _ := s.Seal(other.Public(), "g1", "m1")
	flipped := slices.Clone(blob)
	flipped[len(flipped)-3] ^= 1
	for name, try := range map[string]func() error{
		"moved to another member": func() error { _, err := group.OpenShare(priv, "g1", "m2", blob); return err },
		"moved to another group":  func() error { _, err := group.OpenShare(priv, "g2", "m1", blob); return err },
		"sealed to another key":   func() error { _, err := group.OpenShare(priv, "g1", "m1", foreign); return err },
		"a byte changed":          func() error { _, err := group.OpenShare(priv, "g1", "m1", flipped); return err },
		"cut short":               func() error { _, err := group.OpenShare(priv, "g1", "m1", blob[:20]); return err },
		"another trainer's key":   func() error { _, err := group.OpenShare(other, "g1", "m1", blob); return err },
	} {
		if err := try(); !errors.Is(err, group.ErrSeal) {
			t.Errorf("%s: got %v, want ErrSeal", name, err)
		}
	}
}

func TestShareValidateRefusesWhatConsentDoesNotCover(t *testing.T) {
	ok := group.Share{Consent: 1, Nickname: "Sun", Done: []group.LessonDay{{Lesson: "a", Day: "2026-03-01"}}}
	for name, mutate := range map[string]func(*group.Share){
		"a later consent":       func(s *group.Share) { s.Consent = 2 },
		"no nickname":           func(s *group.Share) { s.Nickname = " " },
		"a long nickname":       func(s *group.Share) { s.Nickname = strings.Repeat("x", 31) },
		"a bad day":             func(s *group.Share) { s.Done[0].Day = "yesterday" },
		"a custom milestone":    func(s *group.Share) { s.Milestones = []group.MilestoneDay{{ID: "own-1", Day: "2026-03-01"}} },
		"a one-off wrong":       func(s *group.Share) { s.Struggled = []group.Struggle{{Lesson: "a", Step: "q", Wrong: 1}} },
		"an empty lesson id":    func(s *group.Share) { s.Done[0].Lesson = "" },
		"a control in the name": func(s *group.Share) { s.Nickname = "a\x00b" },
	} {
		s := ok
		s.Done = slices.Clone(ok.Done)
		mutate(&s)
		if err := s.Validate(); !errors.Is(err, group.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("a good share: %v", err)
	}
}

func TestCodesSealTheGroupAndNothingCrosses(t *testing.T) {
	code := group.NewCode()
	if len(code) != 19 || code[4] != '-' {
		t.Fatalf("code %q is not XXXX-XXXX-XXXX-XXXX", code)
	}
	k, err := group.Derive(group.Join, code)
	if err != nil {
		t.Fatal(err)
	}
	// Typed again, in lower case without hyphens, it derives the same.
	k2, err := group.Derive(group.Join, strings.ToLower(strings.ReplaceAll(code, "-", " ")))
	if err != nil || k2 != k {
		t.Fatalf("the typed code derives other keys: %v", err)
	}
	if k.Lookup != strings.ReplaceAll(code, "-", "")[:6] {
		t.Errorf("lookup %q is not the code's first 6 characters", k.Lookup)
	}
	priv := group.NewKey()
	info := group.Info{ID: "g1", Name: "Tuesday group", Public: priv.Public()}
	blob := k.SealInfo(info)
	if got, err := k2.OpenInfo(blob); err != nil || got != info {
		t.Fatalf("open info: %v %+v", err, got)
	}
	// A code for a co-trainer never opens a join blob, nor the reverse.
	kc, _ := group.Derive(group.CoTrainer, code)
	if kc.Proof == k.Proof || kc.Key == k.Key {
		t.Error("the two purposes derive the same keys")
	}
	if _, err := kc.OpenInfo(blob); !errors.Is(err, group.ErrSeal) {
		t.Errorf("a co-trainer code opens a join blob: %v", err)
	}
	keyed := group.Keyed{ID: "g1", Name: "Tuesday group", Private: priv}
	if got, err := kc.OpenKeyed(kc.SealKeyed(keyed)); err != nil || got != keyed {
		t.Errorf("open keyed: %v", err)
	}
	if _, err := group.Derive(group.Join, "ABCD-EFGH"); !errors.Is(err, group.ErrInvalid) {
		t.Errorf("a short code: %v", err)
	}
}

// TestAttackServerSwapsGroupKey: a server that does not know the code's
// secret hands a learner a blob of its own (its own public key, so that it
// could read what the learner shares): the learner's device refuses it.
func TestAttackServerSwapsGroupKey(t *testing.T) {
	code := group.NewCode()
	k, _ := group.Derive(group.Join, code)
	serverKey := group.NewKey()
	// The server knows the lookup (it is sent to it) and makes its own
	// secret under that lookup.
	forged, _ := group.Derive(group.Join, k.Lookup+"0000000000")
	blob := forged.SealInfo(group.Info{ID: "g1", Name: "Tuesday group", Public: serverKey.Public()})
	if _, err := k.OpenInfo(blob); !errors.Is(err, group.ErrSeal) {
		t.Fatalf("the learner's device accepts the server's key: %v", err)
	}
}

func TestNicknames(t *testing.T) {
	for in, want := range map[string]string{"  Sun  flower ": "Sun flower", "نرگس": "نرگس", "ሰላም": "ሰላም"} {
		if got, err := group.CleanNickname(in); err != nil || got != want {
			t.Errorf("CleanNickname(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", strings.Repeat("é", 31), "tab\there\x07"} {
		if _, err := group.CleanNickname(bad); err == nil {
			t.Errorf("CleanNickname(%q) accepted", bad)
		}
	}
}
