package app_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/waymark-app/waymark/app"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// testProfiles are a shared laptop's learners as main.go wires them:
// sqlite.Profiles beside the harness's database, switching h.db.
type testProfiles struct {
	*sqlite.Profiles
	h       *harness
	current string
}

func (p *testProfiles) Current() string { return p.current }

func (p *testProfiles) Switch(ctx context.Context, id string) (app.Store, error) {
	path, err := p.Path(id)
	if err != nil {
		return nil, err
	}
	if p.h.db != nil {
		p.h.db.Close()
	}
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	p.h.db, p.current = db, id
	return flakyStore{db, p.h}, nil
}

// sharedLaptop is a harness on a laptop shared by learners, with the
// owner's record locked by a PIN.
func sharedLaptop(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.now = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	h.profiles = &testProfiles{Profiles: &sqlite.Profiles{Main: h.path}}
	h.follow = follow{&syncclient.Service{}}
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1"})
	if err := h.profiles.SetShared(true); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.mustShow("Who is learning now?")
	return h
}

// newLearner adds a learner from the chooser and opens their home.
func (h *harness) newLearner(nick, pin string) {
	h.t.Helper()
	h.tap("I am new here")
	h.typeInto(0, nick)
	h.typeInto(1, pin)
	h.typeInto(2, pin)
	h.tap("Start")
	h.waitFor("Hello, " + nick)
}

// signIn picks a learner on the chooser and types their PIN.
func (h *harness) signIn(nick, pin string) {
	h.t.Helper()
	h.tap(nick)
	h.mustShow("Type your PIN")
	h.typePIN(pin)
	h.waitFor("Hello, " + nick)
}

// everyScreen visits every screen a signed-in learner reaches (home, each
// track, joining a session, progress, the journey, settings, help, a
// lesson where it resumes)
// and returns what each shows, by screen.
func (h *harness) everyScreen() map[string][]string {
	h.t.Helper()
	out := map[string][]string{}
	look := func(name string) { h.drain(); out[name] = h.texts() }
	h.tap("Home")
	look("home")
	for _, track := range []string{"Stay safe online", "Everyday life online"} {
		h.tap(track)
		look("track " + track)
		h.tap("Back")
	}
	h.tap("Join a group session")
	look("join a session")
	for i, e := range h.entries() {
		out["join a session"] = append(out["join a session"], "entry "+strconv.Itoa(i)+": "+e.Text)
	}
	h.tap("Back")
	h.tap("Progress")
	look("progress")
	h.tap("My journey")
	look("journey")
	h.tap("Settings")
	look("settings")
	h.tapHelp()
	look("help")
	h.tap("Back")
	h.tap("Home")
	// Last, as opening a lesson puts it in progress.
	h.tap("Lock your phone")
	look("lesson")
	h.tap("Pause")
	return out
}

// TestSharedLaptopShowsNothingOfTheLastLearner: two learners share a
// laptop, each with a nickname and a PIN, switching in two taps (sign
// out, then their name). After a switch, no screen shows anything of the
// learner before: every screen of the second learner shows exactly what
// a brand-new learner's does. The first learner's progress is there when
// they come back; a quiet laptop signs its learner out.
func TestSharedLaptopShowsNothingOfTheLastLearner(t *testing.T) {
	h := sharedLaptop(t)
	h.newLearner("Amira", "583920")
	// Amira learns and keeps a private note.
	h.tap("Start")
	h.tap("Next")
	h.tap("Next")
	h.tap("730591")
	h.tap("Pause")
	h.tap("My journey")
	h.tap("Add your own step")
	test.Type(h.entries()[0], "canary step 7731")
	h.tap("Save")
	test.Type(h.entries()[len(h.entries())-1], "canary note 7731")
	h.tap("Save")
	h.tap("Back")
	h.tap("Home")
	h.mustShow("Continue where you left off")
	amira := h.everyScreen()

	// Two taps to hand over: Sign out, then the next learner's name.
	// Amira typed a session's address and code (the session was not
	// there): the next learner must not find them.
	h.tap("Join a group session")
	h.typeInto(0, "canary 7731")
	h.typeInto(1, "AAAA-BBBB-CCCC-7731")
	h.tap("Join")
	h.waitFor("Check the address.")
	h.tap("Back")
	h.tap("Sign out")
	h.mustShow("You are signed out. Your progress is saved and locked.")
	h.mustShow("Amira")
	h.newLearner("Bo", "692048")
	bo := h.everyScreen()
	h.tap("Sign out")
	h.newLearner("Cy", "740369")
	fresh := h.everyScreen()

	for name, texts := range bo {
		all := strings.Join(texts, "\n")
		for _, leak := range []string{"Amira", "canary", "7731", "Continue where you left off", "In progress"} {
			if strings.Contains(all, leak) {
				t.Errorf("%s of the next learner shows %q of the last:\n%s", name, leak, all)
			}
		}
		want := strings.ReplaceAll(strings.Join(fresh[name], "\n"), "Cy", "Bo")
		if all != want {
			t.Errorf("%s of the next learner differs from a new learner's:\n%s\n--- a new learner's:\n%s", name, all, want)
		}
	}
	if !slices.ContainsFunc(amira["journey"], func(s string) bool { return strings.Contains(s, "canary step 7731") }) {
		t.Fatal("the test sees nothing: Amira's journey does not show her step")
	}

	// Amira comes back: her record is as she left it.
	h.tap("Sign out")
	h.signIn("Amira", "583920")
	h.mustShow("Continue where you left off")
	h.tap("My journey")
	h.mustShow("canary step 7731")

	// Left alone, the laptop signs her out.
	h.advance(6 * time.Minute)
	h.waitFor("The last person was signed out after a quiet while.")
	h.mustNotShow("canary")
}

// TestSharedLaptopSignsOutWhenTheSessionEnds: a learner following a group
// session on a shared laptop is signed out when the trainer ends it.
func TestSharedLaptopSignsOutWhenTheSessionEnds(t *testing.T) {
	lesson, facts := basicLesson(t, "passcodes")
	hb := openHub(t, facts)
	r, err := hb.Begin(context.Background(), lesson)
	if err != nil {
		t.Fatal(err)
	}
	reach := hb.Reach()
	h := newHarness(t)
	h.follow = follow{&syncclient.Service{}}
	h.profiles = &testProfiles{Profiles: &sqlite.Profiles{Main: h.path}}
	h.presetPrefs(map[string]string{"lang": "en", "welcomed": "1"})
	h.profiles.SetShared(true)
	h.start()
	h.newLearner("Amira", "583920")
	h.tap("Join a group session")
	h.typeInto(0, reach.Address())
	h.typeInto(1, reach.AppCode)
	h.tap("Join")
	h.waitFor("You are following the trainer.")
	r.End()
	h.waitFor("The session has ended, so you are signed out.")
	h.mustShow("Who is learning now?")
	h.mustNotShow("Why lock your phone?")
}

// TestAttackSharedLaptopLearnerReadsAnother: one learner of a shared
// laptop cannot read another's record: each is a file of its own, sealed
// under a key of its own (the other's words are in neither file in plain
// text), and one learner's PIN does not open another's.
func TestAttackSharedLaptopLearnerReadsAnother(t *testing.T) {
	h := sharedLaptop(t)
	h.newLearner("Amira", "583920")
	h.tap("My journey")
	h.tap("Add your own step")
	test.Type(h.entries()[0], "canary step 9042")
	h.tap("Save")
	h.tap("Back")
	h.tap("Home")
	h.tap("Sign out")
	h.newLearner("Bo", "692048")
	h.tap("Sign out")
	h.ui.Flush()

	list, _ := h.profiles.List()
	if len(list) != 2 {
		t.Fatalf("learners: %+v", list)
	}
	for _, p := range list {
		path, _ := h.profiles.Path(p.ID)
		if found := filesContain(t, filepath.Dir(path), "canary step 9042", "Amira"); len(found) > 0 {
			t.Errorf("the learners' files hold another's words in plain text: %v", found)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s has no record of their own: %v", p.Nickname, err)
		}
	}
	// Bo's PIN on Amira's lock screen.
	h.tap("Amira")
	h.typePIN("692048")
	h.waitFor("That is not right")
	h.mustNotShow("canary")
	h.mustNotShow("Hello, Amira")
}

// TestSharedLaptopLearnerDeletesTheirRecord: a learner's "Delete
// everything" deletes their own record and takes them off the list; the
// other learners' records stay; the laptop asks who is learning next.
func TestSharedLaptopLearnerDeletesTheirRecord(t *testing.T) {
	h := sharedLaptop(t)
	h.newLearner("Amira", "583920")
	h.tap("Sign out")
	h.newLearner("Bo", "692048")
	bo := h.profiles.current
	boPath, _ := h.profiles.Path(bo)
	h.tap("Settings")
	h.tap("Delete everything")
	h.tap("Yes, delete everything")
	h.waitFor("Who is learning now?")
	h.mustNotShow("Bo")
	h.mustShow("Amira")
	if _, err := os.Stat(boPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Bo's record is still on the laptop: %v", err)
	}
	h.signIn("Amira", "583920")
}
