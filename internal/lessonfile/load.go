// Package lessonfile reads Waymark's lesson files (see lessons/README.md)
// into the learn types, and reports every problem it finds with the file,
// line and field, so that an author can fix them all in one pass.
package lessonfile

import (
	"bytes"
	"errors"
	"image"
	_ "image/jpeg" // lesson images may be JPEG
	_ "image/png"  // or PNG
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/tomldoc"
)

// File names inside a content folder.
const (
	TracksDir   = "tracks"      // tracks/tracks.toml and tracks/<lang>.toml
	TracksFile  = "tracks.toml" // the tracks and their lessons, in order
	FactsFile   = "facts.toml"  // the facts registry
	LessonFile  = "lesson.toml" // a lesson's structure, in its own folder
	textFileExt = ".toml"
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	// badRef catches a fact reference that is mistyped, such as {fact scam}.
	badRef = regexp.MustCompile(`\{\s*fact\b[^}]*\}?`)
)

// config says what a load reads and checks.
type config struct {
	// only, if not nil, limits the translations read to these languages
	// (English is always read): the app reads the learner's language only.
	only map[string]bool
	// lint runs the checks that change nothing the learner sees: numbers
	// and addresses typed into text, digits other than 0-9, facts not
	// checked for a year.
	lint bool
}

func (c config) wants(lang string) bool {
	return c.only == nil || c.only[lang] || lang == learn.DefaultLanguage
}

// Load reads all content from fsys: tracks, facts and every lesson with
// its texts in every language, and runs every check (this is what
// waymark-lessons check does). It loads everything it can: a lesson whose
// structure or English text is broken is left out and reported, a broken
// translation string falls back to English. The course is never nil.
func Load(fsys fs.FS) (*learn.Course, tomldoc.Problems) {
	return load(fsys, config{lint: true})
}

// Library is content read as the app needs it: the tracks and facts at
// once, each lesson the first time it is asked for, and each language's
// texts only once the learner uses that language. Start-up then reads the
// same few files however many lessons there are. A Library, like its
// Course, is used from one goroutine.
type Library struct {
	// Course is the content read so far; Course.Lesson reads a lesson
	// when it is first needed.
	Course *learn.Course

	fsys    fs.FS
	cfg     config
	inTrack map[string]string
	report  func(tomldoc.Problems)
}

// Open reads what the app's first screen needs from fsys: the tracks,
// their texts in English and the facts. Lessons are read later, with
// their texts in English and every language AddLanguage has added; the
// problems found then are passed to report (which may be nil). Open
// checks what the app relies on; the checks that change nothing a learner
// sees are left to Load and waymark-lessons check.
func Open(fsys fs.FS, report func(tomldoc.Problems)) (*Library, tomldoc.Problems) {
	var ps tomldoc.Problems
	lib := &Library{fsys: fsys, cfg: config{only: map[string]bool{}}, inTrack: map[string]string{}, report: report}
	c := &learn.Course{Lessons: map[string]*learn.Lesson{}, Facts: loadFacts(fsys, &ps, lib.cfg)}
	langs := map[string]bool{learn.DefaultLanguage: true}
	c.Tracks, _ = loadTracks(fsys, &ps, langs, lib.cfg)
	for _, t := range c.Tracks {
		for _, id := range t.Lessons {
			lib.inTrack[id] = t.ID
		}
	}
	for l := range langs {
		c.Languages = append(c.Languages, l)
	}
	slices.Sort(c.Languages)
	c.Load = lib.lesson
	lib.Course = c
	ps.Sort()
	return lib, ps
}

// LoadLesson reads one lesson, with its texts in every language, apart
// from any Library: a copy of its own that a trainer's hub serves to
// phones in any language from goroutines of its own, while the app's
// course stays on the interface's goroutine. It returns nil, with the
// problems, when the lesson does not load.
func LoadLesson(fsys fs.FS, id string, facts map[string]learn.Fact) (*learn.Lesson, tomldoc.Problems) {
	var ps tomldoc.Problems
	if _, err := fs.Stat(fsys, path.Join(id, LessonFile)); err != nil {
		return nil, tomldoc.Problems{{File: path.Join(id, LessonFile), Message: "there is no lesson " + id}}
	}
	l := loadLesson(fsys, id, facts, &ps, map[string]bool{}, config{})
	ps.Sort()
	return l, ps
}

// lesson reads one lesson of a track, or returns nil when it cannot.
func (lib *Library) lesson(id string) *learn.Lesson {
	track, ok := lib.inTrack[id]
	if !ok {
		return nil
	}
	var ps tomldoc.Problems
	if _, err := fs.Stat(lib.fsys, path.Join(id, LessonFile)); err != nil {
		ps = append(ps, tomldoc.Problem{File: path.Join(TracksDir, TracksFile), Message: "track " + track + " lists lesson " + id + ", but there is no folder " + id + " with a " + LessonFile})
	}
	var l *learn.Lesson
	if len(ps) == 0 {
		l = loadLesson(lib.fsys, id, lib.Course.Facts, &ps, map[string]bool{}, lib.cfg)
	}
	if len(ps) > 0 && lib.report != nil {
		ps.Sort()
		lib.report(ps)
	}
	if l == nil {
		return nil
	}
	l.Track = track
	return l
}

// AddLanguage reads lang's texts for the tracks and the lessons read so
// far, and for every lesson read from now on. Adding a language twice, or
// English, does no harm.
func (lib *Library) AddLanguage(lang string) {
	if lang == learn.DefaultLanguage || lib.cfg.only[lang] || !langPattern.MatchString(lang) {
		return
	}
	lib.cfg.only[lang] = true
	if ps := loadLanguage(lib.Course, lib.fsys, lang); len(ps) > 0 && lib.report != nil {
		lib.report(ps)
	}
}

// loadLanguage reads one more language's texts into the tracks and the
// lessons c holds.
func loadLanguage(c *learn.Course, fsys fs.FS, lang string) tomldoc.Problems {
	var ps tomldoc.Problems
	cfg := config{only: map[string]bool{lang: true}}
	seen := map[string]bool{}
	trackFields := map[string]bool{}
	for _, t := range c.Tracks {
		trackFields[t.ID+"."+learn.KeyTitle] = true
		trackFields[t.ID+"."+learn.KeySummary] = true
	}
	loadTexts(fsys, TracksDir, TracksFile, trackFields, nil, &ps, seen, cfg, func(l, key, value string) {
		id, field, _ := strings.Cut(key, ".")
		if t := c.Track(id); t != nil && l == lang {
			t.Text.Set(l, field, value)
		}
	}, func(l string, d bool) {
		for _, t := range c.Tracks {
			if l == lang {
				t.Text.SetDraft(l, d)
			}
		}
	})
	for _, l := range c.Lessons {
		fields := map[string]bool{}
		for _, f := range learn.LessonFields(l) {
			fields[f.Key] = true
		}
		loadTexts(fsys, l.Dir, LessonFile, fields, c.Facts, &ps, seen, cfg, func(tag, key, value string) {
			if tag == lang {
				l.Text.Set(tag, key, value)
			}
		}, func(tag string, d bool) {
			if tag == lang {
				l.Text.SetDraft(tag, d)
			}
		})
	}
	return ps
}

func load(fsys fs.FS, cfg config) (*learn.Course, tomldoc.Problems) {
	var ps tomldoc.Problems
	c := &learn.Course{Lessons: map[string]*learn.Lesson{}, Facts: loadFacts(fsys, &ps, cfg)}
	langs := map[string]bool{learn.DefaultLanguage: true}

	tracks, trackLines := loadTracks(fsys, &ps, langs, cfg)
	inTrack := map[string]string{}
	for _, t := range tracks {
		for _, id := range t.Lessons {
			inTrack[id] = t.ID
		}
	}

	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		ps = append(ps, tomldoc.Problem{File: ".", Message: "cannot list the content folder: " + err.Error()})
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == TracksDir {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(d.Name(), LessonFile)); err != nil {
			continue // not a lesson folder (an images folder, say)
		}
		l := loadLesson(fsys, d.Name(), c.Facts, &ps, langs, cfg)
		if l == nil {
			continue
		}
		tr, ok := inTrack[l.ID]
		if !ok {
			ps = append(ps, tomldoc.Problem{File: path.Join(TracksDir, TracksFile), Message: "lesson " + l.ID + " is not in any track; add it to a track's lessons"})
			continue
		}
		l.Track = tr
		c.Lessons[l.ID] = l
	}
	for _, t := range tracks {
		for _, id := range t.Lessons {
			if c.Lessons[id] == nil && !slices.ContainsFunc(ps, func(p tomldoc.Problem) bool { return strings.HasPrefix(p.File, id+"/") }) {
				ps = append(ps, tomldoc.Problem{File: path.Join(TracksDir, TracksFile), Line: trackLines[t.ID], Message: "track " + t.ID + " lists lesson " + id + ", but there is no folder " + id + " with a " + LessonFile})
			}
		}
	}
	c.Tracks = tracks
	for l := range langs {
		c.Languages = append(c.Languages, l)
	}
	slices.Sort(c.Languages)
	ps.Sort()
	return c, ps
}

// loadTracks reads the tracks and their texts. It also returns the line
// each track lists its lessons on, for problems found later.
func loadTracks(fsys fs.FS, ps *tomldoc.Problems, langs map[string]bool, cfg config) ([]*learn.Track, map[string]int) {
	name := path.Join(TracksDir, TracksFile)
	r := &tomldoc.Report{File: name, Out: ps}
	lines := map[string]int{}
	d := tomldoc.Read(fsys, name, r)
	if d == nil {
		return nil, lines
	}
	var tracks []*learn.Track
	seen := map[string]bool{}
	lessonTrack := map[string]string{}
	for i := 0; ; i++ {
		prefix := "track." + strconv.Itoa(i)
		if !d.HasTable(prefix) {
			break
		}
		t := &learn.Track{}
		t.ID, _ = d.Str(r, prefix+".id")
		ln := d.LineOf(prefix)
		switch {
		case t.ID == "":
			r.Errorf(ln, prefix+".id", "every track needs an id")
			continue
		case !idPattern.MatchString(t.ID):
			r.Errorf(d.LineOf(prefix+".id"), prefix+".id", "%q: use lower-case letters, digits and dashes", t.ID)
			continue
		case seen[t.ID]:
			r.Errorf(d.LineOf(prefix+".id"), prefix+".id", "track %q is defined twice", t.ID)
			continue
		}
		seen[t.ID] = true
		t.Icon, _ = d.Str(r, prefix+".icon")
		t.Lessons, _ = d.Strs(r, prefix+".lessons")
		lines[t.ID] = d.LineOf(prefix + ".lessons")
		for _, id := range t.Lessons {
			if other, dup := lessonTrack[id]; dup {
				r.Errorf(d.LineOf(prefix+".lessons"), prefix+".lessons", "lesson %q is already in track %q; a lesson belongs to one track", id, other)
			}
			lessonTrack[id] = t.ID
		}
		tracks = append(tracks, t)
	}
	d.Unused(r, "", "; a track has id, icon and lessons")
	if len(tracks) == 0 && r.Errs() == 0 {
		r.Errorf(0, "track", "no tracks: add at least one [[track]]")
	}

	fields := map[string]bool{}
	for _, t := range tracks {
		fields[t.ID+"."+learn.KeyTitle] = true
		fields[t.ID+"."+learn.KeySummary] = true
	}
	set := func(lang, key, value string) {
		id, field, _ := strings.Cut(key, ".")
		for _, t := range tracks {
			if t.ID == id {
				t.Text.Set(lang, field, value)
			}
		}
	}
	draft := func(lang string, isDraft bool) {
		for _, t := range tracks {
			t.Text.SetDraft(lang, isDraft)
		}
	}
	loadTexts(fsys, TracksDir, TracksFile, fields, nil, ps, langs, cfg, set, draft)
	return tracks, lines
}

func loadFacts(fsys fs.FS, ps *tomldoc.Problems, cfg config) map[string]learn.Fact {
	facts := map[string]learn.Fact{}
	r := &tomldoc.Report{File: FactsFile, Out: ps}
	if _, err := fs.Stat(fsys, FactsFile); errors.Is(err, fs.ErrNotExist) {
		return facts
	}
	d := tomldoc.Read(fsys, FactsFile, r)
	if d == nil {
		return facts
	}
	for _, e := range d.Entries {
		key, field, ok := cutLast(e.Key)
		if !ok || field != "value" {
			continue
		}
		f := learn.Fact{Key: key}
		f.Value, _ = d.Str(r, key+".value")
		kind, _ := d.Str(r, key+".kind")
		f.Kind = learn.FactKind(kind)
		if !f.Kind.Valid() {
			r.Errorf(d.LineOf(key+".kind"), key+".kind", "%q: use phone, sms, email, web or text", kind)
			continue
		}
		f.Source, _ = d.Str(r, key+".source")
		if f.Source == "" {
			r.Errorf(d.LineOf(key), key+".source", "every fact needs the source it was checked against")
		}
		verified, _ := d.Get(key + ".verified")
		date, _ := verified.Value.(string)
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			r.Errorf(d.LineOf(key+".verified"), key+".verified", "needs the date it was last checked, such as 2026-11-01")
			continue
		}
		f.Verified = t
		if cfg.lint && f.Stale(time.Now()) {
			r.Warnf(d.LineOf(key+".verified"), key+".verified", "last checked over 12 months ago: check it again")
		}
		facts[key] = f
	}
	d.Unused(r, "", "; a fact has kind, value, source and verified")
	return facts
}

func loadLesson(fsys fs.FS, dir string, facts map[string]learn.Fact, ps *tomldoc.Problems, langs map[string]bool, cfg config) *learn.Lesson {
	name := path.Join(dir, LessonFile)
	r := &tomldoc.Report{File: name, Out: ps}
	if !idPattern.MatchString(dir) {
		r.Errorf(0, "", "folder name %q is the lesson id: use lower-case letters, digits and dashes", dir)
		return nil
	}
	d := tomldoc.Read(fsys, name, r)
	if d == nil {
		return nil
	}
	l := &learn.Lesson{ID: dir, Dir: dir}
	if n, ok := d.Int(r, "minutes"); !ok || n < 1 || n > 60 {
		r.Errorf(d.LineOf("minutes"), "minutes", "give the minutes a lesson takes, from 1 to 60")
	} else {
		l.Minutes = int(n)
		if n < 5 || n > 10 {
			r.Warnf(d.LineOf("minutes"), "minutes", "lessons are meant to take 5 to 10 minutes")
		}
	}
	areas, _ := d.Strs(r, "areas")
	if len(areas) == 0 {
		r.Errorf(d.LineOf("areas"), "areas", "tag the lesson with its Essential Digital Skills areas, such as [\"being-safe\"]")
	}
	for _, a := range areas {
		if !learn.Area(a).Valid() {
			r.Errorf(d.LineOf("areas"), "areas", "%q is not a skill area; use one of %s", a, list(learn.Areas))
		}
		l.Areas = append(l.Areas, learn.Area(a))
	}
	level, _ := d.Str(r, "level")
	l.Level = learn.Level(level)
	if !l.Level.Valid() {
		r.Errorf(d.LineOf("level"), "level", "%q: use \"entry\" or \"level-1\"", level)
	}
	l.ContentNote, _ = d.Bool(r, "content_note")
	l.Skills, _ = d.Strs(r, "skills")
	if len(l.Skills) == 0 {
		r.Errorf(d.LineOf("skills"), "skills", "list the skills the lesson practises, such as [\"strong-pin\"]; their words go in the text files")
	}
	for i, sk := range l.Skills {
		if !idPattern.MatchString(sk) || slices.Contains(l.Skills[:i], sk) {
			r.Errorf(d.LineOf("skills"), "skills", "%q: skill ids are lower-case letters, digits and dashes, each listed once", sk)
		}
	}

	seen := map[string]bool{}
	for i := 0; ; i++ {
		prefix := "step." + strconv.Itoa(i)
		if !d.HasTable(prefix) {
			break
		}
		s, ok := loadStep(fsys, d, r, dir, prefix)
		if !ok {
			continue
		}
		if seen[s.ID] {
			r.Errorf(d.LineOf(prefix+".id"), prefix+".id", "step id %q is used twice", s.ID)
			continue
		}
		seen[s.ID] = true
		l.Steps = append(l.Steps, s)
	}
	if len(l.Steps) == 0 && r.Errs() == 0 {
		r.Errorf(0, "step", "a lesson needs at least one [[step]]")
	}
	d.Unused(r, "", "")
	if r.Errs() > 0 {
		return nil
	}

	fields := map[string]bool{}
	required := map[string]bool{}
	for _, f := range learn.LessonFields(l) {
		fields[f.Key] = true
		if f.Required {
			required[f.Key] = true
		}
	}
	enOK, enFound := loadTexts(fsys, dir, LessonFile, fields, facts, ps, langs, cfg, func(lang, key, value string) {
		l.Text.Set(lang, key, value)
	}, l.Text.SetDraft)
	if !enFound {
		return nil
	}
	en := &tomldoc.Report{File: path.Join(dir, learn.DefaultLanguage+textFileExt), Out: ps}
	for _, f := range learn.LessonFields(l) {
		if required[f.Key] && !l.Text.Has(learn.DefaultLanguage, f.Key) {
			en.Errorf(0, f.Key, "missing: English needs this text")
		}
	}
	if !enOK || en.Errs() > 0 {
		return nil
	}
	return l
}

// stepFields says which structure fields each step kind takes.
var stepFields = map[learn.StepKind][]string{
	learn.KindRead:      {"image"},
	learn.KindChoice:    {"image", "options", "correct"},
	learn.KindMulti:     {"image", "options", "correct"},
	learn.KindTrueFalse: {"image", "answer"},
	learn.KindOrder:     {"image", "items"},
	learn.KindSpot:      {"parts", "signs"},
	learn.KindInbox:     {"messages", "scams"},
	learn.KindAdvert:    {"image", "flags", "present"},
	learn.KindFlow:      {"style", "screen"},
	learn.KindEmail:     {"to", "subject", "attachments", "attach"},
	learn.KindPasscode:  {"mode", "goal"},
	learn.KindPrivacy:   {"settings", "safe_on"},
	learn.KindPhrases:   {"image", "phrases"},
	learn.KindForm:      {"style", "field"},
	learn.KindCV:        {"parts", "long", "optional", "leave_off"},
	learn.KindTrip:      {"cards", "clash"},
	learn.KindPayee:     {"payment"},
	learn.KindRecovery:  {"devices", "current", "code"},
}

// flowStyles are the looks a flow's mock screens can have.
var flowStyles = []string{"nhs", "phone", "plain"}

// exampleEmail matches an address on a domain reserved for examples
// (RFC 2606), which can never reach a real person.
var exampleEmail = regexp.MustCompile(`^[a-z0-9._%+-]+@([a-z0-9-]+\.)*(example|test|example\.(com|org|net))$`)

func loadStep(fsys fs.FS, d *tomldoc.Doc, r *tomldoc.Report, dir, prefix string) (learn.Step, bool) {
	errs := r.Errs()
	s := learn.Step{}
	s.ID, _ = d.Str(r, prefix+".id")
	kind, _ := d.Str(r, prefix+".kind")
	s.Kind = learn.StepKind(kind)
	// Problems name a step by its id, as the text files do: step.q1.correct.
	name := "step #" + strings.TrimPrefix(prefix, "step.")
	if idPattern.MatchString(s.ID) {
		name = "step." + s.ID
	}
	field := func(f string) string { return name + "." + f }
	ln := func(f string) int { return d.LineOf(prefix + "." + f) }
	if !idPattern.MatchString(s.ID) {
		r.Errorf(ln("id"), field("id"), "every step needs an id of lower-case letters, digits and dashes, such as \"intro\"")
	}
	if !s.Kind.Valid() {
		r.Errorf(ln("kind"), field("kind"), "%q: use one of %s", kind, list(learn.StepKinds))
		return s, false
	}
	for _, e := range d.Entries {
		f, ok := strings.CutPrefix(e.Key, prefix+".")
		top, _, _ := strings.Cut(f, ".")
		if ok && f != "id" && f != "kind" && !slices.Contains(stepFields[s.Kind], top) {
			d.MarkUsed(e.Key)
			r.Errorf(e.Line, field(f), "a %s step has no %q; it takes %s", s.Kind, f, strings.Join(stepFields[s.Kind], ", "))
		}
	}
	if img, ok := d.Str(r, prefix+".image"); ok {
		s.Image = img
		checkImage(fsys, r, dir, img, ln("image"), field("image"))
	}
	ids := func(f string, min int) []string {
		v, ok := d.Strs(r, prefix+"."+f)
		if !ok {
			r.Errorf(ln(f), field(f), "missing: a %s step needs %s", s.Kind, f)
			return nil
		}
		if len(v) < min {
			r.Errorf(ln(f), field(f), "needs at least %d", min)
		}
		for i, id := range v {
			if !idPattern.MatchString(id) {
				r.Errorf(ln(f), field(f), "%q: ids are lower-case letters, digits and dashes", id)
			}
			if slices.Contains(v[:i], id) {
				r.Errorf(ln(f), field(f), "%q is listed twice", id)
			}
		}
		return v
	}
	subset := func(f string, v, of []string, ofName string) {
		for _, id := range v {
			if !slices.Contains(of, id) {
				r.Errorf(ln(f), field(f), "%q is not one of the %s (%s)", id, ofName, strings.Join(of, ", "))
			}
		}
	}
	switch s.Kind {
	case learn.KindChoice, learn.KindMulti:
		s.Options = ids("options", 2)
		s.Correct = oneOrMore(d, r, prefix+".correct")
		if len(s.Correct) == 0 {
			r.Errorf(ln("correct"), field("correct"), "say which option is right")
		}
		if s.Kind == learn.KindChoice && len(s.Correct) > 1 {
			r.Errorf(ln("correct"), field("correct"), "a choice step has one right option; use kind = \"multi\" for several")
		}
		subset("correct", s.Correct, s.Options, "options")
	case learn.KindTrueFalse:
		s.Options = []string{learn.OptionTrue, learn.OptionFalse}
		ans, ok := d.Bool(r, prefix+".answer")
		if !ok {
			r.Errorf(ln("answer"), field("answer"), "say whether the statement is true: answer = true or answer = false")
		}
		s.Correct = []string{learn.OptionFalse}
		if ans {
			s.Correct = []string{learn.OptionTrue}
		}
	case learn.KindOrder:
		s.Items = ids("items", 2)
	case learn.KindSpot:
		s.Parts = ids("parts", 2)
		s.Signs = oneOrMore(d, r, prefix+".signs")
		if len(s.Signs) == 0 {
			r.Errorf(ln("signs"), field("signs"), "say which parts are warning signs")
		}
		subset("signs", s.Signs, s.Parts, "parts")
	case learn.KindInbox:
		s.Options = ids("messages", 2)
		s.Correct, _ = d.Strs(r, prefix+".scams")
		if !d.Has(prefix + ".scams") {
			r.Errorf(ln("scams"), field("scams"), "say which messages are scams (scams = [] if none)")
		}
		subset("scams", s.Correct, s.Options, "messages")
	case learn.KindAdvert:
		s.Options = ids("flags", 2)
		s.Correct, _ = d.Strs(r, prefix+".present")
		if len(s.Correct) == 0 {
			r.Errorf(ln("present"), field("present"), "say which red flags the advert shows")
		}
		subset("present", s.Correct, s.Options, "flags")
	case learn.KindPrivacy:
		s.Options = ids("settings", 1)
		s.Correct, _ = d.Strs(r, prefix+".safe_on")
		if !d.Has(prefix + ".safe_on") {
			r.Errorf(ln("safe_on"), field("safe_on"), "say which settings are safe to leave on (safe_on = [] if none)")
		}
		subset("safe_on", s.Correct, s.Options, "settings")
	case learn.KindPhrases:
		s.Phrases = ids("phrases", 1)
	case learn.KindPasscode:
		s.Mode, _ = d.Str(r, prefix+".mode")
		if s.Mode != "pin" && s.Mode != "password" {
			r.Errorf(ln("mode"), field("mode"), "%q: use \"pin\" or \"password\"", s.Mode)
		}
		goal, _ := d.Str(r, prefix+".goal")
		s.Goal = learn.Strength(goal)
		if goal == "" {
			s.Goal = learn.Strong
		} else if !s.Goal.Valid() {
			r.Errorf(ln("goal"), field("goal"), "%q: use \"fair\" or \"strong\"", goal)
		}
	case learn.KindEmail:
		s.To, _ = d.Str(r, prefix+".to")
		if !exampleEmail.MatchString(s.To) {
			r.Errorf(ln("to"), field("to"), "%q: the address to write to must be a made-up one on a domain kept for examples, such as jobs@greenleaf.example", s.To)
		}
		s.NeedSubject, _ = d.Bool(r, prefix+".subject")
		if d.Has(prefix + ".attachments") {
			s.Attachments = ids("attachments", 1)
		}
		s.Attach, _ = d.Str(r, prefix+".attach")
		if s.Attach != "" {
			subset("attach", []string{s.Attach}, s.Attachments, "attachments")
		}
	case learn.KindFlow:
		s.Style, _ = d.Str(r, prefix+".style")
		if !slices.Contains(flowStyles, s.Style) {
			r.Errorf(ln("style"), field("style"), "%q: use one of %s", s.Style, strings.Join(flowStyles, ", "))
		}
		s.Screens = loadScreens(d, r, prefix, field)
	case learn.KindForm:
		s.Style = "govuk"
		if d.Has(prefix + ".style") {
			s.Style, _ = d.Str(r, prefix+".style")
		}
		if !slices.Contains(formStyles, s.Style) {
			r.Errorf(ln("style"), field("style"), "%q: use one of %s", s.Style, strings.Join(formStyles, ", "))
		}
		s.Fields = loadFormFields(d, r, prefix, field)
	case learn.KindCV:
		s.Fields = loadCVParts(ids, subset, d, r, prefix, field, ln)
	case learn.KindTrip:
		s.Cards = ids("cards", 2)
		if d.Has(prefix + ".clash") {
			s.Clash = ids("clash", 1)
		}
		subset("clash", s.Clash, s.Cards, "cards")
		if len(s.Cards) > 0 && len(s.Clash) >= len(s.Cards) {
			r.Errorf(ln("clash"), field("clash"), "at least one card must be a card alone, that the reader takes")
		}
	case learn.KindPayee:
		s.Payments = loadPayments(d, r, prefix, field)
	case learn.KindRecovery:
		s.Devices = ids("devices", 2)
		s.Current, _ = d.Str(r, prefix+".current")
		if !slices.Contains(s.Devices, s.Current) {
			r.Errorf(ln("current"), field("current"), "%q: say which of the devices (%s) is the learner's own, in their hand", s.Current, strings.Join(s.Devices, ", "))
		}
		s.Code, _ = d.Str(r, prefix+".code")
		checkCode(r, s.Code, ln("code"), field("code"))
	}
	return s, r.Errs() == errs
}

// loadScreens reads a flow's [[step.screen]] tables: every screen but
// the last offers choices, one of which (next) moves on.
func loadScreens(d *tomldoc.Doc, r *tomldoc.Report, prefix string, field func(string) string) []learn.Screen {
	var out []learn.Screen
	seen := map[string]bool{}
	for i := 0; d.HasTable(prefix + ".screen." + strconv.Itoa(i)); i++ {
		p := prefix + ".screen." + strconv.Itoa(i)
		sc := learn.Screen{}
		sc.ID, _ = d.Str(r, p+".id")
		name := field("screen #" + strconv.Itoa(i+1))
		if idPattern.MatchString(sc.ID) {
			name = field("screen." + sc.ID)
		}
		if !idPattern.MatchString(sc.ID) || seen[sc.ID] {
			r.Errorf(d.LineOf(p), name+".id", "every screen needs its own id of lower-case letters, digits and dashes")
		}
		seen[sc.ID] = true
		if d.Has(p + ".choices") {
			sc.Choices, _ = d.Strs(r, p+".choices")
		}
		sc.Next, _ = d.Str(r, p+".next")
		for _, e := range d.Entries {
			if f, ok := strings.CutPrefix(e.Key, p+"."); ok && f != "id" && f != "choices" && f != "next" {
				d.MarkUsed(e.Key)
				r.Errorf(e.Line, name+"."+f, "a screen has id, choices and next")
			}
		}
		switch {
		case len(sc.Choices) == 0 && sc.Next != "":
			r.Errorf(d.LineOf(p+".next"), name+".next", "a screen with no choices is the last one; it has no next")
		case len(sc.Choices) > 0 && !slices.Contains(sc.Choices, sc.Next):
			r.Errorf(d.LineOf(p+".next"), name+".next", "%q: next must be one of the screen's choices (%s)", sc.Next, strings.Join(sc.Choices, ", "))
		}
		for _, c := range sc.Choices {
			if !idPattern.MatchString(c) {
				r.Errorf(d.LineOf(p+".choices"), name+".choices", "%q: ids are lower-case letters, digits and dashes", c)
			}
		}
		out = append(out, sc)
	}
	if len(out) < 2 {
		r.Errorf(d.LineOf(prefix), field("screen"), "a flow needs at least two [[step.screen]]: a screen to act on and the outcome")
	} else if last := out[len(out)-1]; len(last.Choices) > 0 {
		r.Errorf(d.LineOf(prefix), field("screen"), "the last screen shows the outcome: it has no choices")
	}
	for i, sc := range out[:max(0, len(out)-1)] {
		if len(sc.Choices) == 0 {
			r.Errorf(d.LineOf(prefix+".screen."+strconv.Itoa(i)), field("screen."+sc.ID), "only the last screen may have no choices")
		}
	}
	return out
}

// oneOrMore reads a field that may be one id ("b") or a list (["a", "c"]).
func oneOrMore(d *tomldoc.Doc, r *tomldoc.Report, key string) []string {
	if e, ok := d.Get(key); ok {
		if s, isStr := e.Value.(string); isStr {
			return []string{s}
		}
	}
	v, _ := d.Strs(r, key)
	return v
}

func checkImage(fsys fs.FS, r *tomldoc.Report, dir, img string, line int, field string) {
	p := path.Join(dir, img)
	if !fs.ValidPath(p) || strings.HasPrefix(path.Clean(img), "..") {
		r.Errorf(line, field, "%q must be a path inside the lesson folder", img)
		return
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		r.Errorf(line, field, "image %q not found in %s/", img, dir)
		return
	}
	switch strings.ToLower(path.Ext(img)) {
	case ".svg":
		if !bytes.Contains(data[:min(len(data), 512)], []byte("<svg")) {
			r.Errorf(line, field, "%q is not an SVG image", img)
		}
	case ".png", ".jpg", ".jpeg":
		if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
			r.Errorf(line, field, "%q cannot be read as an image: %v", img, err)
		}
	default:
		r.Errorf(line, field, "%q: use a .svg, .png or .jpg image", img)
	}
}

// loadTexts reads every <lang>.toml in dir (except skip) into set. fields
// are the keys a text file may have. It reports whether the English file
// loaded without error, and whether it could be read at all: without it,
// the thing it describes cannot be shown.
func loadTexts(fsys fs.FS, dir, skip string, fields map[string]bool, facts map[string]learn.Fact, ps *tomldoc.Problems,
	langs map[string]bool, cfg config, set func(lang, key, value string), setDraft func(lang string, draft bool)) (ok, found bool) {
	entries, _ := fs.ReadDir(fsys, dir)
	enRefs := map[string][]string{}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || n == skip || !strings.HasSuffix(n, textFileExt) {
			continue
		}
		files = append(files, n)
	}
	// English first: translations are checked against it.
	slices.SortFunc(files, func(a, b string) int {
		ae, be := a == learn.DefaultLanguage+textFileExt, b == learn.DefaultLanguage+textFileExt
		switch {
		case ae && !be:
			return -1
		case be && !ae:
			return 1
		}
		return strings.Compare(a, b)
	})
	enOK, enFound := false, false
	for _, n := range files {
		lang := strings.TrimSuffix(n, textFileExt)
		r := &tomldoc.Report{File: path.Join(dir, n), Out: ps}
		if !langPattern.MatchString(lang) {
			r.Errorf(0, "", "text files are named by language code, such as en.toml or sq.toml")
			continue
		}
		langs[lang] = true
		if !cfg.wants(lang) {
			continue // read when the learner picks it
		}
		d := tomldoc.Read(fsys, r.File, r)
		if d == nil {
			continue
		}
		isEN := lang == learn.DefaultLanguage
		if draft, ok := d.Bool(r, "draft"); ok {
			setDraft(lang, draft)
		}
		for _, e := range d.Entries {
			if e.Key == "draft" {
				continue
			}
			if !fields[e.Key] {
				r.Errorf(e.Line, e.Key, "unknown text key; check the spelling against %s%s", learn.DefaultLanguage, textFileExt)
				continue
			}
			v, ok := d.Str(r, e.Key)
			if !ok {
				continue
			}
			// A rejected English text still counts as there (the lesson is
			// left out anyway), so it is not also reported missing; a
			// rejected translation falls back to English.
			if !checkRefs(r, e, v, facts, enRefs, isEN) || (cfg.lint && (!checkContacts(r, e, v, facts) || !checkDigits(r, e, v))) {
				if isEN {
					set(lang, e.Key, v)
				}
				continue
			}
			set(lang, e.Key, v)
		}
		langs[lang] = true
		if isEN {
			enOK, enFound = r.Errs() == 0, true
		}
	}
	if !slices.Contains(files, learn.DefaultLanguage+textFileExt) {
		(&tomldoc.Report{File: path.Join(dir, learn.DefaultLanguage+textFileExt), Out: ps}).Errorf(0, "", "missing: every lesson and the tracks need English text")
	}
	return enOK, enFound
}

// checkRefs checks the fact references in one text: each must name a known
// fact, and a translation must use the same references as English.
func checkRefs(r *tomldoc.Report, e tomldoc.Entry, v string, facts map[string]learn.Fact, enRefs map[string][]string, isEN bool) bool {
	if !strings.Contains(v, "fact") && len(enRefs[e.Key]) == 0 {
		if isEN {
			enRefs[e.Key] = nil
		}
		return true // the common case: no references at all
	}
	refs := learn.FactRefs(v)
	ok := true
	for _, m := range badRef.FindAllString(v, -1) {
		if len(learn.FactRefs(m)) == 0 {
			r.Errorf(e.Line, e.Key, "%q is not a fact reference; write it as {fact:key}", m)
			ok = false
		}
	}
	if facts != nil {
		for _, ref := range refs {
			if _, known := facts[ref]; !known {
				r.Errorf(e.Line, e.Key, "{fact:%s} is not in %s", ref, FactsFile)
				ok = false
			}
		}
	}
	if isEN {
		enRefs[e.Key] = refs
		return ok
	}
	want := slices.Clone(enRefs[e.Key])
	got := slices.Clone(refs)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		r.Errorf(e.Line, e.Key, "fact references differ from English: English has %s, this has %s", refList(want), refList(got))
		ok = false
	}
	return ok
}

func refList(refs []string) string {
	if len(refs) == 0 {
		return "none"
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = "{fact:" + r + "}"
	}
	return strings.Join(out, " ")
}

func cutLast(key string) (string, string, bool) {
	i := strings.LastIndexByte(key, '.')
	if i < 0 {
		return "", "", false
	}
	return key[:i], key[i+1:], true
}

func list[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}
