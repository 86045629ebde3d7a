package roomserver_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/roomserver"
	"github.com/waymark-app/waymark/locales"
)

func catalog(t testing.TB) (roomserver.Words, []roomserver.Language) {
	t.Helper()
	cat, ps := l10n.Load(locales.FS)
	if len(ps) > 0 {
		t.Fatalf("locales: %v", ps)
	}
	return roomserver.FromCatalog(cat)
}

func lesson() *learn.Lesson {
	l := &learn.Lesson{ID: "spot-scams", Steps: []learn.Step{
		{ID: "intro", Kind: learn.KindRead},
		{ID: "q1", Kind: learn.KindChoice, Options: []string{"a", "b"}, Correct: []string{"b"}},
		{ID: "q2", Kind: learn.KindTrueFalse, Options: []string{"true", "false"}, Correct: []string{"false"}},
		{ID: "sim", Kind: learn.KindOrder, Items: []string{"x", "y"}},
	}}
	for _, kv := range [][3]string{
		{"en", "step.intro.title", "Scam messages"},
		{"en", "step.intro.text", "A scam asks for **money** fast.\n\n- It says *urgent*\n- It has a [link](https://example.org)\n\nCall {fact:helpline}."},
		{"en", "step.q1.question", "Which is safe?"},
		{"en", "step.q1.option.a.text", "Click the link"},
		{"en", "step.q1.option.b.text", "Delete it"},
		{"en", "step.q2.statement", "Banks ask for PINs by text."},
		{"ar", "step.q1.question", "أيّها آمن؟"},
	} {
		l.Text.Set(kv[0], kv[1], kv[2])
	}
	return l
}

type fixture struct {
	t    *testing.T
	srv  *roomserver.Server
	http *httptest.Server
	room *room.Room
}

func newFixture(t *testing.T, opt roomserver.Options) *fixture {
	t.Helper()
	opt.Words, opt.Languages = catalog(t)
	opt.Facts = map[string]learn.Fact{"helpline": {Key: "helpline", Kind: learn.FactPhone, Value: "08000 121 700"}}
	if opt.Poll == 0 {
		opt.Poll = 2 * time.Second
	}
	s := roomserver.New(opt)
	f := &fixture{t: t, srv: s, http: httptest.NewServer(s)}
	t.Cleanup(func() { s.Close(); f.http.Close() })
	f.room = room.New(room.Options{Lesson: lesson(), Code: "7K2M"})
	s.SetRoom(f.room)
	return f
}

// call posts JSON and decodes the answer into out (when 2xx), returning
// the status and the raw body.
func (f *fixture) call(path string, in, out any) (int, []byte) {
	f.t.Helper()
	b, _ := json.Marshal(in)
	resp, err := http.Post(f.http.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		f.t.Fatalf("%s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 == 2 && out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			f.t.Fatalf("%s: %v in %s", path, err, body)
		}
	}
	return resp.StatusCode, body
}

func (f *fixture) join(tok room.Token, lang string) roomserver.Joined {
	f.t.Helper()
	var j roomserver.Joined
	if st, body := f.call(roomserver.PathJoin, roomserver.JoinRequest{Code: "7k2m", Token: tok, Lang: lang}, &j); st != 200 {
		f.t.Fatalf("join: %d %s", st, body)
	}
	return j
}

func TestFollowAnswerAndRejoin(t *testing.T) {
	f := newFixture(t, roomserver.Options{Poll: time.Minute})
	if st, body := f.call(roomserver.PathJoin, roomserver.JoinRequest{Code: "7K2N"}, nil); st != http.StatusForbidden || !strings.Contains(string(body), `"room_code"`) {
		t.Errorf("wrong code: %d %s", st, body)
	}
	j := f.join("", "en")
	c := j.State.Content
	if c == nil || c.Title != "Scam messages" {
		t.Fatalf("first step: %+v", j.State)
	}
	want := []string{"A scam asks for money fast.", "• It says urgent\n• It has a link", "Call \u2066" + "08000\u00a0121\u00a0700" + "\u2069."}
	if !slices.Equal(c.Text, want) {
		t.Errorf("text %q, want %q", c.Text, want)
	}
	// The next step reaches the waiting follower at once.
	got := make(chan roomserver.State, 1)
	go func() {
		var s roomserver.State
		f.call(roomserver.PathState, roomserver.StateRequest{Token: j.Token, Version: j.State.Version, Lang: "ar"}, &s)
		got <- s
	}()
	time.Sleep(50 * time.Millisecond)
	f.room.Next()
	var s roomserver.State
	select {
	case s = <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("the waiting follower was not told of the next step (its wait is a minute long)")
	}
	if s.Step != "q1" || s.Content.Kind != "one" || s.Content.Question != "أيّها آمن؟" || len(s.Content.Options) != 2 || s.Content.Options[0].Text != "Click the link" {
		t.Errorf("q1 in Arabic (English where Arabic has no text): %+v", s.Content)
	}
	var a roomserver.State
	if st, body := f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: j.Token, Step: "q1", Answer: []string{"b"}}, &a); st != 200 || !slices.Equal(a.Mine, []string{"b"}) {
		t.Errorf("answer: %d %s", st, body)
	}
	// Lost Wi-Fi: the follower comes back with its token, at the current
	// step, with its answer, and answers again: counted once.
	f.room.Next()
	f.room.Back()
	back := f.join(j.Token, "en")
	if back.Token != j.Token || back.State.Step != "q1" || !slices.Equal(back.State.Mine, []string{"b"}) {
		t.Errorf("rejoined as %+v", back)
	}
	f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: j.Token, Step: "q1", Answer: []string{"b"}}, nil)
	f.room.Reveal()
	if p := f.room.Projection(); p.Answered != 1 || p.Counts[1].N != 1 {
		t.Errorf("projection after a rejoin: %+v", p)
	}
	f.room.Next()
	var tf roomserver.State
	f.call(roomserver.PathState, roomserver.StateRequest{Token: j.Token, Lang: "fa"}, &tf)
	if tf.Content.Kind != "one" || tf.Content.Options[0].Text == "True" || tf.Content.Options[0].Text == "" {
		t.Errorf("true/false words not in Farsi: %+v", tf.Content.Options)
	}
	f.room.Next()
	var sim roomserver.State
	f.call(roomserver.PathState, roomserver.StateRequest{Token: j.Token, Lang: "en"}, &sim)
	if sim.Content.Kind != "none" {
		t.Errorf("a simulation on the page: %+v", sim.Content)
	}
	if st, _ := f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: j.Token, Step: "q1", Answer: []string{"a"}}, nil); st != http.StatusConflict {
		t.Errorf("an answer to a past step: %d, want 409", st)
	}
	f.room.End()
	if st, _ := f.call(roomserver.PathState, roomserver.StateRequest{Token: j.Token}, nil); st != 200 {
		t.Errorf("state after the end: %d", st)
	}
	if st, _ := f.call(roomserver.PathJoin, roomserver.JoinRequest{Code: "7K2M"}, nil); st != http.StatusGone {
		t.Errorf("join after the end: %d, want 410", st)
	}
}

// TestAttackFollowerReadsOthers: nothing a follower can get holds another
// follower's answer, token, a count or a name, however it asks.
func TestAttackFollowerReadsOthers(t *testing.T) {
	f := newFixture(t, roomserver.Options{})
	f.room = room.New(room.Options{Lesson: lesson(), Code: "7K2M", Roster: room.StaticRoster{"claim-1": "Amira"}})
	f.srv.SetRoom(f.room)
	var toks []room.Token
	for i := range 6 {
		claim := ""
		if i == 0 {
			claim = "claim-1"
		}
		var j roomserver.Joined
		f.call(roomserver.PathJoin, roomserver.JoinRequest{Code: "7K2M", Claim: claim}, &j)
		toks = append(toks, j.Token)
	}
	f.room.Next()
	for i, tok := range toks[1:] {
		f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: tok, Step: "q1", Answer: []string{[]string{"a", "b"}[i%2]}}, nil)
	}
	f.room.Reveal()
	allowed := []string{"c", "i", "lesson", "mine", "n", "p", "step", "v"}
	spy := toks[0]
	for _, call := range []struct {
		path string
		body any
	}{
		{roomserver.PathState, roomserver.StateRequest{Token: spy, Lang: "en"}},
		{roomserver.PathState, roomserver.StateRequest{Token: toks[1], Lang: "en"}},
		{roomserver.PathJoin, roomserver.JoinRequest{Code: "7K2M", Token: spy, Lang: "en"}},
		{roomserver.PathAnswer, roomserver.AnswerRequest{Token: spy, Step: "q1", Answer: []string{"a"}, Lang: "en"}},
	} {
		_, body := f.call(call.path, call.body, nil)
		var m map[string]json.RawMessage
		json.Unmarshal(body, &m)
		if s, ok := m["s"]; ok { // a join's answer wraps the state
			m = nil
			json.Unmarshal(s, &m)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !slices.Contains(allowed, k) {
				t.Errorf("%s answers with %q: %s", call.path, k, body)
			}
		}
		for _, other := range toks[2:] {
			if bytes.Contains(body, []byte(other)) {
				t.Errorf("%s holds another follower's token", call.path)
			}
		}
		if bytes.Contains(body, []byte("Amira")) || bytes.Contains(body, []byte("claim-1")) {
			t.Errorf("%s holds a member's name or claim: %s", call.path, body)
		}
	}
	// No path gives counts, the projection or the attendance.
	for _, path := range []string{"/r/counts", "/r/projection", "/r/attendance", "/r/summary", "/r/", "/r/state/all"} {
		if st, body := f.call(path, map[string]string{"t": string(spy)}, nil); st < 400 {
			t.Errorf("POST %s: %d %s", path, st, body)
		}
	}
	// Answering for another follower needs their token, which no answer
	// carries; a forged one is refused.
	if st, _ := f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: "AAAAAAAAAAAAAAAAAAAAAA", Step: "q1", Answer: []string{"a"}}, nil); st != http.StatusUnauthorized {
		t.Errorf("a forged token answered: %d", st)
	}
}

// TestAttackBallotStuffing: one phone cannot answer many times: its
// answers replace each other, and joining again and again to get new
// tokens is limited per address.
func TestAttackBallotStuffing(t *testing.T) {
	f := newFixture(t, roomserver.Options{JoinRate: 10})
	joined := 0
	var toks []room.Token
	for range 40 {
		var j roomserver.Joined
		if st, _ := f.call(roomserver.PathJoin, roomserver.JoinRequest{Code: "7K2M"}, &j); st == 200 {
			joined++
			toks = append(toks, j.Token)
		} else if st != http.StatusTooManyRequests {
			t.Fatalf("join: %d", st)
		}
	}
	if joined > 6 {
		t.Errorf("%d joins from one address in a burst; the limit allows 5", joined)
	}
	f.room.Next()
	for range 50 {
		f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: toks[0], Step: "q1", Answer: []string{"a"}}, nil)
	}
	f.call(roomserver.PathAnswer, roomserver.AnswerRequest{Token: toks[0], Step: "q1", Answer: []string{"a", "a", "b"}}, nil)
	f.room.Reveal()
	if p := f.room.Projection(); p.Answered != 1 || p.Counts[0].N != 1 {
		t.Errorf("fifty answers from one follower counted as %+v", p.Counts)
	}
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t, roomserver.Options{})
	post := func(path, ct string, body []byte) (int, string) {
		resp, err := http.Post(f.http.URL+path, ct, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e roomserver.Error
		json.NewDecoder(resp.Body).Decode(&e)
		if e.Message == "" {
			t.Errorf("%s: %d without a sentence", path, resp.StatusCode)
		}
		return resp.StatusCode, string(e.Code)
	}
	for _, tc := range []struct {
		name, path, ct string
		body           []byte
		status         int
		code           string
	}{
		{"a form post from another site", roomserver.PathJoin, "application/x-www-form-urlencoded", []byte("code=7K2M"), 415, "unsupported_media"},
		{"not JSON", roomserver.PathJoin, "application/json", []byte("{"), 400, "bad_request"},
		{"too large", roomserver.PathAnswer, "application/json", bytes.Repeat([]byte("a"), 5000), 413, "too_large"},
		{"an unknown path", "/r/elsewhere", "application/json", []byte("{}"), 405, "method_not_allowed"},
	} {
		if st, code := post(tc.path, tc.ct, tc.body); st != tc.status || code != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, st, code, tc.status, tc.code)
		}
	}
	f.srv.SetRoom(nil)
	if st, code := post(roomserver.PathJoin, "application/json", []byte(`{"code":"7K2M"}`)); st != 409 || code != "no_session" {
		t.Errorf("with no session: %d %s", st, code)
	}
}

// TestJoinPage: the page is one small response with everything in it,
// in the asked language, right to left in Arabic and Farsi, loading
// nothing from anywhere.
func TestJoinPage(t *testing.T) {
	f := newFixture(t, roomserver.Options{})
	get := func(query, accept string, gz bool) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", f.http.URL+"/"+query, nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	for _, tc := range []struct{ query, accept, lang, dir, word string }{
		{"", "", "en", "ltr", "Type the code from the big screen."},
		{"?l=ar", "", "ar", "rtl", "اكتب الرمز الظاهر على الشاشة الكبيرة."},
		{"", "fa-IR,fa;q=0.9,en;q=0.5", "fa", "rtl", "پیوستن"},
		{"?l=ti", "ar", "ti", "ltr", "ተጸንበሩ"},
		{"?l=xx", "de", "en", "ltr", "Join"},
	} {
		resp, page := get(tc.query, tc.accept, false)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.query, resp.StatusCode)
		}
		if !bytes.Contains(page, []byte(`<html lang="`+tc.lang+`" dir="`+tc.dir+`">`)) {
			t.Errorf("%q %q: not %s %s: %.200s", tc.query, tc.accept, tc.lang, tc.dir, page)
		}
		if !bytes.Contains(page, []byte(tc.word)) {
			t.Errorf("%s: does not say %q", tc.lang, tc.word)
		}
		if len(page) > 30<<10 {
			t.Errorf("%s: the page is %d bytes, over 30 KB", tc.lang, len(page))
		}
		// Nothing loaded from anywhere: no src, no stylesheet link, no
		// address outside the page itself.
		for _, bad := range []string{"src=", "<link", "http://", "https://", "@import", "url("} {
			if bytes.Contains(page, []byte(bad)) {
				t.Errorf("%s: the page holds %q", tc.lang, bad)
			}
		}
		h := resp.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", tc.lang, h)
		}
	}
	// Every language's page is listed, each in its own script.
	_, page := get("", "", false)
	for _, name := range []string{"English", "Shqip", "Tiếng Việt", "Română", "Soomaali", "ትግርኛ", "العربية", "فارسی"} {
		if !bytes.Contains(page, []byte(">"+name+"</a>")) {
			t.Errorf("the page does not offer %s", name)
		}
	}
	resp, gz := get("?l=ar", "", true)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("the page is not sent gzipped to a browser that takes it")
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, f.srv.Page("ar")) {
		t.Error("the gzipped page is not the page")
	}
	// The script is ES5: no arrow functions, let/const, classes, template
	// strings or fetch (an old Android browser has none of them).
	script := regexp.MustCompile(`(?s)<script>(.*)</script>`).FindSubmatch(page)[1]
	for _, modern := range []string{"=>", "let ", "const ", "class ", "`", "fetch(", "Promise", "async ", "await "} {
		if bytes.Contains(script, []byte(modern)) {
			t.Errorf("the script uses %q", modern)
		}
	}
}

func TestLongPollsEndOnClose(t *testing.T) {
	f := newFixture(t, roomserver.Options{Poll: time.Minute})
	j := f.join("", "")
	var wg sync.WaitGroup
	wg.Add(1)
	start := time.Now()
	go func() {
		defer wg.Done()
		f.call(roomserver.PathState, roomserver.StateRequest{Token: j.Token, Version: j.State.Version}, nil)
	}()
	time.Sleep(50 * time.Millisecond)
	f.srv.Close()
	wg.Wait()
	if time.Since(start) > 10*time.Second {
		t.Error("a follower's wait outlived Close")
	}
}
