package hub_test

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/waymark-app/waymark/internal/hub"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// app is a learner's app following the session: a device (store and sync
// service) and a real Follower, recording what the app's player records.
type app struct {
	*device
	sync   bool   // sync is on: it has its own server and a courier
	claim  string // a group membership claim, or ""
	via    *proxy // the app's Wi-Fi to the hub, when the test cuts it
	f      *syncclient.Follower
	lesson string

	mu   sync.Mutex
	view room.View
	seen map[string]bool
	stop context.CancelFunc
	done chan struct{}
}

func (a *app) View() room.View {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.view
}

// follow runs the app's follow loop, as the app's follow screen does,
// recording each step shown as the player does.
func (a *app) follow(t testing.TB, first room.View) {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop, a.done, a.seen = cancel, make(chan struct{}), map[string]bool{}
	go func() {
		defer close(a.done)
		a.f.Run(ctx, first, func(v room.View) {
			a.mu.Lock()
			a.view = v
			fresh := !a.seen[v.Step] && v.Phase == room.PhaseLive
			a.seen[v.Step] = true
			a.mu.Unlock()
			if fresh {
				a.record(t, learn.Event{Kind: learn.EventStepShown, Lesson: a.lesson, Step: v.Step})
			}
		}, func(string) {})
	}()
}

// answer answers the step showing, in the room and in the learner's own
// record, as the player does.
func (a *app) answer(t testing.TB, l *learn.Lesson, ids ...string) {
	t.Helper()
	step := a.View().Step
	s := l.Steps[l.StepIndex(step)]
	v, err := learn.Grade(s, ids)
	if err != nil {
		t.Fatal(err)
	}
	a.record(t, learn.Event{Kind: learn.EventAnswered, Lesson: l.ID, Step: step, Answer: ids, Correct: v.Correct})
	if _, err := a.f.Answer(context.Background(), step, ids); err != nil {
		t.Errorf("app answer: %v", err)
	}
}

// tally keeps every follower's last answer to each step: what the
// projector must count.
type tally map[string]map[string][]string // step → follower → answer

func (ta tally) set(step, who string, ids ...string) {
	if ta[step] == nil {
		ta[step] = map[string][]string{}
	}
	ta[step][who] = ids
}

func (ta tally) counts(step string) map[string]int {
	out := map[string]int{}
	for _, ids := range ta[step] {
		for _, id := range ids {
			out[id]++
		}
	}
	return out
}

// TestEndToEndSession: a hub, 20 apps (real sync service and follower on
// real stores) and 10 browsers (9 at the HTTP level, 1 a real headless
// Chromium) follow a trainer through a lesson with two questions and
// answer. The projector's counts are exactly the answers; attendance lists
// exactly the consenting members; apps with sync on sync their progress
// to the hub; a client whose Wi-Fi drops comes back at the current step
// and counts once; then the hub passes everything on to the learners'
// server, which ends with each event exactly once, and the hub keeps
// nothing it passed on.
func TestEndToEndSession(t *testing.T) {
	ctx := context.Background()
	lesson, facts := demoLesson(t)
	chrome := newChromium(t)
	srv := startCentral(t)
	roster := room.StaticRoster{}
	for i := range 12 {
		roster["claim-"+strconv.Itoa(i)] = "member-" + strconv.Itoa(i)
	}
	hubKey := lockbox.NewKey()
	h, hubStore := startHub(t, facts, roster, &hubKey)

	// Twenty apps: 15 with sync on, 5 off; claims of 12 consenting
	// members, 3 claims the roster refuses, 5 with none.
	apps := make([]*app, 20)
	var wg sync.WaitGroup
	for i := range apps {
		a := &app{device: newDevice(t), sync: i < 15, lesson: lesson.ID}
		switch {
		case i < 12:
			a.claim = "claim-" + strconv.Itoa(i)
		case i < 15:
			a.claim = "claim-not-consented-" + strconv.Itoa(i)
		}
		apps[i] = a
		if !a.sync {
			a.record(t, learn.Event{Kind: learn.EventLessonDone, Lesson: "before-the-session"})
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.record(t, learn.Event{Kind: learn.EventLessonDone, Lesson: "before-the-session"})
			if err := a.svc.Join(ctx, srv.url, srv.pin, ""); err != nil {
				t.Errorf("join the learners' server: %v", err)
			}
		}()
	}
	wg.Wait()
	for i, a := range apps[:15] {
		waitFor(t, fmt.Sprintf("app %d's first sync and courier", i), func() bool { return a.hasCourier(t) })
	}

	sess, err := h.Begin(ctx, lesson)
	if err != nil {
		t.Fatal(err)
	}
	reach := h.Reach()
	if reach.AppCode == "" || reach.RoomCode == "" || reach.AppCode[:4] != reach.RoomCode {
		t.Fatalf("reach: %+v", reach)
	}
	appAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.AppPort))
	pageURL := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.PagePort))
	// App 5, one browser and the Chromium reach the hub through a Wi-Fi
	// the test cuts.
	apps[5].via = newProxy(t, appAddr)
	pageProxy := newProxy(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.PagePort)))
	chromeProxy := newProxy(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(reach.PagePort)))

	for i, a := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := appAddr
			if a.via != nil {
				addr = a.via.addr
			}
			f, first, err := syncclient.Follow(ctx, syncclient.FollowConfig{Address: addr, Code: reach.AppCode, Claim: a.claim})
			if err != nil {
				t.Errorf("app %d follows: %v", i, err)
				return
			}
			a.f = f
			a.follow(t, first)
			u, _ := syncclient.HubURL(addr)
			_, fp, _ := room.SplitAppCode(reach.AppCode)
			err = a.svc.JoinHub(ctx, u, fp, reach.AppCode)
			switch {
			case a.sync && err != nil:
				t.Errorf("app %d syncs with the hub: %v", i, err)
			case !a.sync && err != syncclient.ErrNotLinked:
				t.Errorf("app %d without sync joined the hub's sync: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	browsers := make([]*browser, 9)
	for i := range browsers {
		base := pageURL
		if i == 0 {
			base = "http://" + pageProxy.addr
		}
		b := newBrowser(t, base, reach.RoomCode, []string{"en", "ar", "fa", "ti", "so", "sq", "ro", "vi", "en"}[i])
		b.open()
		b.join()
		browsers[i] = b
	}
	chromeURL := "http://" + chromeProxy.addr + "/?l=ar#" + reach.RoomCode
	if err := chromedp.Do(chrome, chromedp.Navigate(chromeURL)); err != nil {
		t.Fatal(err)
	}
	title := func(step, lang string) string { return lesson.Text.Get(lang, learn.StepKey(step, learn.FieldTitle)) }

	// everyone waits until all 30 followers show step.
	everyone := func(step string, skip ...any) {
		t.Helper()
		for i, a := range apps {
			if slices.Contains(skip, any(a)) {
				continue
			}
			waitFor(t, fmt.Sprintf("app %d at %s", i, step), func() bool { return a.View().Step == step && a.View().Phase == room.PhaseLive })
		}
		for i, b := range browsers {
			if slices.Contains(skip, any(b)) {
				continue
			}
			waitFor(t, fmt.Sprintf("browser %d at %s", i, step), func() bool { return b.State().Step == step })
		}
		if !slices.Contains(skip, any(chrome)) {
			waitPage(t, chrome, title(step, "ar"))
		}
	}
	everyone("intro")
	if p := sess.Projection(); p.Following != 30 {
		t.Errorf("the projector counts %d following, want 30", p.Following)
	}
	shot(t, chrome, "join-following-ar.png")

	want := tally{}
	// Question 1: a choice.
	sess.Next()
	everyone("pick")
	opts := []string{"reply", "delete", "click"}
	for i, a := range apps {
		a.answer(t, lesson, opts[i%3])
		want.set("pick", "app"+strconv.Itoa(i), opts[i%3])
	}
	for i, b := range browsers {
		if i == 1 { // changes their mind: counted once, as the last
			b.answer("reply")
		}
		ans := opts[1+i%2]
		b.answer(ans)
		want.set("pick", "browser"+strconv.Itoa(i), ans)
	}
	if err := chromedp.Do(chrome, chromedp.Click(chromedp.CSS(`button[data-id="delete"]`))); err != nil {
		t.Fatal(err)
	}
	want.set("pick", "chromium", "delete")
	waitFor(t, "30 answers to pick", func() bool { return sess.Projection().Answered >= 30 })
	if p := sess.Projection(); p.Revealed || p.Counts != nil {
		t.Errorf("counts before the trainer revealed them: %+v", p)
	}
	sess.Reveal()
	checkCounts(t, sess, want.counts("pick"))
	shot(t, chrome, "join-answered-ar.png")

	// The Wi-Fi drops for app 5, browser 0 and the Chromium.
	sess.Next()
	everyone("why")
	apps[5].via.cut()
	browsers[0].drop()
	pageProxy.cut()
	chromeProxy.cut()
	// Question 2: true or false, while they are away.
	sess.Next()
	everyone("bank", apps[5], browsers[0], chrome)
	for i, a := range apps {
		if i == 5 {
			continue
		}
		ans := []string{"true", "false"}[min(i%4, 1)]
		a.answer(t, lesson, ans)
		want.set("bank", "app"+strconv.Itoa(i), ans)
	}
	for i, b := range browsers[1:] {
		ans := []string{"true", "false"}[min(i%3, 1)]
		b.answer(ans)
		want.set("bank", "browser"+strconv.Itoa(i+1), ans)
	}
	// They come back: at the current step, and each counts once however
	// often it answers.
	apps[5].via.restore(t)
	pageProxy.restore(t)
	chromeProxy.restore(t)
	browsers[0].join()
	everyone("bank")
	apps[5].answer(t, lesson, "false")
	apps[5].answer(t, lesson, "false")
	want.set("bank", "app5", "false")
	browsers[0].answer("true")
	browsers[0].answer("false")
	want.set("bank", "browser0", "false")
	// Browser 0 drops again after answering and comes back: same
	// follower, its answer still there.
	tok := browsers[0].token()
	browsers[0].drop()
	browsers[0].join()
	if browsers[0].token() != tok || !slices.Equal(browsers[0].State().Mine, []string{"false"}) {
		t.Errorf("browser 0 came back as %q with %v", browsers[0].token(), browsers[0].State().Mine)
	}
	if err := chromedp.Do(chrome, chromedp.Click(chromedp.CSS(`button[data-id="false"]`))); err != nil {
		t.Fatal(err)
	}
	want.set("bank", "chromium", "false")
	waitFor(t, "30 answers to bank", func() bool { return sess.Projection().Answered >= 30 })
	sess.Reveal()
	checkCounts(t, sess, want.counts("bank"))
	if p := sess.Projection(); p.Following != 30 {
		t.Errorf("after the drop the projector counts %d following, want 30", p.Following)
	}
	// Going back shows question 1's counts as they were.
	sess.Back()
	sess.Back()
	checkCounts(t, sess, want.counts("pick"))
	sess.Next()
	sess.Next()
	sess.Next()
	everyone("end")

	// The trainer ends the session: attendance is the consenting members.
	summary, _ := h.End()
	var members []string
	for i := range 12 {
		members = append(members, "member-"+strconv.Itoa(i))
	}
	slices.Sort(members)
	if !slices.Equal(summary.Attendees, members) || summary.Followers != 30 {
		t.Errorf("attendance %v of %d followers, want %v of 30", summary.Attendees, summary.Followers, members)
	}
	waitPage(t, chrome, "انتهت الجلسة")
	for i, a := range apps {
		waitFor(t, fmt.Sprintf("app %d told of the end", i), func() bool { return a.View().Phase == room.PhaseEnded })
		a.record(t, learn.Event{Kind: learn.EventLessonDone, Lesson: lesson.ID})
		if err := a.svc.LeaveHub(ctx, 30*time.Second); err != nil && a.sync {
			t.Errorf("app %d's last sync with the hub: %v", i, err)
		}
		<-a.done
	}

	// What the apps with sync on recorded is on the hub, sealed; nothing
	// of the apps with sync off is.
	held, err := hubStore.Learners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	withChunks := 0
	for _, n := range held {
		if n > 0 {
			withChunks++
		}
	}
	if withChunks != 15 {
		t.Errorf("the hub holds chunks of %d learners, want the 15 with sync on", withChunks)
	}
	for i, a := range apps[:15] {
		if n, _ := a.db.Waiting(ctx); n != 0 {
			t.Errorf("app %d has %d events not on the hub", i, n)
		}
	}

	// The laptop reaches the internet: the hub passes everything on.
	fw, err := h.Forward(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fw.Learners != 15 || fw.Kept != 0 || fw.Unreachable != 0 || fw.Dropped != 0 {
		t.Errorf("forward: %+v", fw)
	}
	for i, a := range apps[:15] {
		own := a.ownEvents(t)
		got := a.onServer(t, srv.store)
		for id := range own {
			if got[id] != 1 {
				t.Errorf("app %d: event %v is on the server %d times, want once", i, id, got[id])
			}
		}
		for id := range got {
			if !own[id] {
				t.Errorf("app %d: the server holds an event the device never recorded: %v", i, id)
			}
		}
		if len(own) < 8 {
			t.Errorf("app %d recorded only %d events", i, len(own))
		}
	}
	// The hub keeps nothing it passed on, nor anyone it holds nothing of.
	if w, _ := h.Waiting(ctx); w.Chunks != 0 {
		t.Errorf("the hub still holds %+v", w)
	}
	if ls, _ := hubStore.Learners(ctx); len(ls) != 0 {
		t.Errorf("the hub still knows %d learners", len(ls))
	}
	if ups, _ := hubStore.Upstreams(ctx); len(ups) != 0 {
		t.Errorf("the hub still holds %d couriers", len(ups))
	}
	again, err := h.Forward(ctx)
	if err != nil || again != (hub.Forwarded{}) {
		t.Errorf("a second forward: %+v, %v", again, err)
	}
}

func checkCounts(t *testing.T, r *room.Room, want map[string]int) {
	t.Helper()
	p := r.Projection()
	got := map[string]int{}
	total := 0
	for _, c := range p.Counts {
		got[c.Choice] = c.N
		total += c.N
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: the projector shows %v, want %v", p.Step, got, want)
			break
		}
	}
	if wantTotal := sum(maps.Values(want)); total != wantTotal {
		t.Errorf("%s: the projector counts %d answers, want %d", p.Step, total, wantTotal)
	}
}

func sum(vs func(func(int) bool)) int {
	n := 0
	for v := range vs {
		n += v
	}
	return n
}
