package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/waymark-app/waymark/app/xwidget"
	"github.com/waymark-app/waymark/internal/learn"
)

// Syncer is what the interface needs from sync (internal/syncclient's
// Service): off until the learner sets it up; then it runs while the
// record is open.
type Syncer interface {
	// SetHandlers says what to call when a sync brought events and when
	// the status changed (off the interface goroutine).
	SetHandlers(applied func([]learn.Event), changed func(learn.SyncStatus))
	// Start runs sync while the record is open; Stop ends it.
	Start(ctx context.Context) error
	Stop()
	Status() learn.SyncStatus
	// Nudge asks for an automatic sync; SyncNow for one the learner
	// asked for.
	Nudge()
	SyncNow()
	SetLimit(ctx context.Context, bytes int64) error
	// Join sets sync up on a first device; Pair links another one with a
	// code from a linked device; Offer makes such a code.
	Join(ctx context.Context, server, pin, invite string) error
	Pair(ctx context.Context, server, pin, code string) error
	Offer(ctx context.Context) (code string, expires time.Time, err error)
	Devices(ctx context.Context) ([]learn.LinkedDevice, error)
	Unlink(ctx context.Context, device string) error
	TurnOff(ctx context.Context) error
	// Erase deletes the learner's data on the server (or keeps the
	// request until the next start, offline), then stops.
	Erase(ctx context.Context) error
}

// startSync runs sync while the real record is open.
func (u *UI) startSync() {
	if u.d.Sync == nil || u.sec.safeMode || !u.sec.open {
		return
	}
	if err := u.d.Sync.Start(context.Background()); err != nil {
		u.d.Log.Error("sync could not start", "err", err)
	}
}

// stopSync ends sync (on lock, or before erasing).
func (u *UI) stopSync() {
	if u.d.Sync != nil {
		u.d.Sync.Stop()
	}
}

// nudgeSync asks for a sync after a lesson, once what it recorded is
// written.
func (u *UI) nudgeSync() {
	if u.d.Sync == nil || !u.sec.open || u.sec.safeMode {
		return
	}
	sy := u.d.Sync
	u.rec.do("after a lesson", func(context.Context) error { sy.Nudge(); return nil })
}

// syncApplied shows what a sync brought: the events are applied to the
// state in memory as the store applied them, and the screen is built
// again if it shows progress.
func (u *UI) syncApplied(events []learn.Event) {
	u.do(func() {
		if !u.sec.open || u.sec.safeMode {
			return
		}
		for _, e := range events {
			u.progress.Apply(e)
		}
		if u.rebuild != nil && u.showsProgress {
			u.rebuild()
		}
	})
}

// syncChanged refreshes the sync screen when it is showing.
func (u *UI) syncChanged(learn.SyncStatus) {
	u.do(func() {
		if u.syncScreen != nil && u.rebuild != nil {
			u.rebuild()
		}
	})
}

// syncScreen is the Sync section: off until the learner sets it up, with
// plain words on what is sent and who can read it; then an honest status,
// the data used, a monthly limit, linking and unlinking devices.
type syncScreen struct {
	u   *UI
	msg *xwidget.Text
}

func (u *UI) showSync() {
	s := &syncScreen{u: u}
	u.showScreen(nil, s.build)
	u.syncScreen = s
}

// leaveSync goes back to Settings.
func (u *UI) leaveSync() {
	u.syncScreen = nil
	u.showSettings()
}

func (s *syncScreen) build() fyne.CanvasObject {
	u := s.u
	s.msg = para("")
	st := u.syncStatus()
	var objs []fyne.CanvasObject
	if !st.On {
		objs = s.off()
	} else {
		objs = s.on(st)
	}
	objs = append(objs, s.msg)
	back := xwidget.NewButton(u.loc.T("player.back"), backIcon(), u.leaveSync)
	return container.NewBorder(u.topBar(u.loc.T("sync.title"), back), nil, nil, nil, page(objs...))
}

// syncStatus is the status, or what the safe profile shows: off.
func (u *UI) syncStatus() learn.SyncStatus {
	if u.d.Sync == nil || u.sec.safeMode {
		return learn.SyncStatus{}
	}
	return u.d.Sync.Status()
}

func (s *syncScreen) off() []fyne.CanvasObject {
	u := s.u
	point := func(ic fyne.Resource, key string) fyne.CanvasObject {
		return sides(container.NewCenter(widget.NewIcon(ic)), nil, para(u.loc.T(key)))
	}
	return []fyne.CanvasObject{
		para(u.loc.T("sync.intro")),
		point(theme.UploadIcon(), "sync.what_sent"),
		point(theme.VisibilityOffIcon(), "sync.who_reads"),
		point(theme.InfoIcon(), "sync.data_use"),
		strong(u.loc.T("sync.nothing_yet")),
		widget.NewSeparator(),
		tall(button(u.loc.T("sync.setup_first"), theme.ContentAddIcon(), true, func() { u.showSyncSetup(false) })),
		caption(u.loc.T("sync.setup_first_hint")),
		tall(button(u.loc.T("sync.link_device"), theme.ComputerIcon(), false, func() { u.showSyncSetup(true) })),
		caption(u.loc.T("sync.link_device_hint")),
	}
}

func (s *syncScreen) on(st learn.SyncStatus) []fyne.CanvasObject {
	u := s.u
	var status []fyne.CanvasObject
	switch {
	case st.Running:
		status = append(status, strong(u.loc.T("sync.syncing")))
	case st.LastSuccess.IsZero():
		status = append(status, strong(u.loc.T("sync.status_never")))
	default:
		status = append(status, strong(u.loc.T("sync.status_last", map[string]any{"When": u.when(st.LastSuccess)})))
	}
	if st.Waiting > 0 {
		status = append(status, para(u.loc.N("sync.waiting", st.Waiting)))
	} else if !st.LastSuccess.IsZero() && !st.Running && st.Problem == learn.SyncOK {
		status = append(status, para(u.loc.T("sync.status_up_to_date")))
	}
	if st.Problem != learn.SyncOK && !st.Running {
		t := xwidget.NewTile(sides(widget.NewIcon(theme.WarningIcon()), nil, para(u.loc.T("sync.problem_"+string(st.Problem)))), nil)
		t.SetState(xwidget.TileNote)
		status = append(status, t)
	}
	now := button(u.loc.T("sync.now"), theme.ViewRefreshIcon(), true, func() {
		u.d.Sync.SyncNow()
	})
	if st.Running {
		now.Disable()
	}
	objs := []fyne.CanvasObject{
		caption(u.loc.T("sync.server_is", map[string]any{"Server": st.Server})),
		xwidget.NewTile(container.NewVBox(status...), nil),
		tall(now),
		widget.NewSeparator(),
		subheading(u.loc.T("sync.meter")),
		para(u.loc.T("sync.meter_last", map[string]any{"Sent": bytesText(st.LastSent), "Received": bytesText(st.LastReceived)})),
		para(u.loc.T("sync.meter_month", map[string]any{"Total": bytesText(st.MonthSent + st.MonthReceived)})),
		caption(u.loc.T("sync.limit")),
	}
	var limits []fyne.CanvasObject
	for _, l := range []int64{0, 1_000_000, 5_000_000, 20_000_000} {
		text := u.loc.T("sync.limit_none")
		if l > 0 {
			text = bytesText(l)
		}
		limits = append(limits, settingsScreen{u}.choice(text, st.MonthlyLimit == l, func() {
			go func() {
				if err := u.d.Sync.SetLimit(context.Background(), l); err != nil {
					u.d.Log.Error("the data limit could not be saved", "err", err)
				}
				u.do(u.rebuildIfShown)
			}()
		}))
	}
	objs = append(objs, container.NewGridWithColumns(2, limits...), widget.NewSeparator(),
		subheading(u.loc.T("sync.devices")),
		tall(button(u.loc.T("sync.link_another"), theme.ContentAddIcon(), false, u.showPairing)))
	objs = append(objs, s.devices())
	objs = append(objs, widget.NewSeparator(), tall(button(u.loc.T("sync.turn_off"), theme.CancelIcon(), false, func() {
		u.confirm(u.loc.T("sync.turn_off_confirm"), u.loc.T("sync.turn_off"), func() {
			go func() {
				err := u.d.Sync.TurnOff(context.Background())
				u.do(func() {
					u.showSync()
					if err != nil {
						u.showNotice(u.loc.T("error.save"))
					}
				})
			}()
		}, u.showSync)
	})))
	return objs
}

// rebuildIfShown builds the sync screen again if it is showing.
func (u *UI) rebuildIfShown() {
	if u.syncScreen != nil && u.rebuild != nil {
		u.rebuild()
	}
}

// devices lists the learner's devices, fetched in the background: each
// with when it was last seen, and Unlink for the others.
func (s *syncScreen) devices() fyne.CanvasObject {
	u := s.u
	box := container.NewVBox(caption(u.loc.T("sync.working")))
	go func() {
		list, err := u.d.Sync.Devices(context.Background())
		u.do(func() {
			box.Objects = nil
			if err != nil {
				box.Add(caption(u.loc.T("sync.problem_" + string(syncProblemOf(err)))))
				box.Refresh()
				return
			}
			for _, d := range list {
				// Devices name themselves by kind ("phone", "computer"), in
				// no language: each device shows the name in its own.
				name := u.loc.T("sync.device_unnamed")
				if d.Label == "phone" || d.Label == "computer" {
					name = u.loc.T("sync.device_" + d.Label)
				}
				// The server keeps last-seen times to the hour: the day says
				// what matters.
				seen := "–"
				if !d.LastSeen.IsZero() {
					seen = d.LastSeen.Local().Format("2006-01-02")
				}
				lines := xwidget.Lines(strong(name), caption(u.loc.T("sync.device_seen", map[string]any{"When": seen})))
				var end fyne.CanvasObject
				if d.This {
					this := caption(u.loc.T("sync.device_this"))
					this.Wrap = false
					end = container.NewCenter(this)
				} else {
					end = tall(button(u.loc.T("sync.unlink"), theme.DeleteIcon(), false, func() { s.onUnlink(d.ID) }))
				}
				box.Add(xwidget.NewTile(sides(nil, end, lines), nil))
			}
			box.Refresh()
		})
	}()
	return box
}

func (s *syncScreen) onUnlink(id string) {
	u := s.u
	u.confirm(u.loc.T("sync.unlink_confirm"), u.loc.T("sync.unlink"), func() {
		go func() {
			err := u.d.Sync.Unlink(context.Background(), id)
			u.do(func() {
				u.showSync()
				if err != nil {
					u.showNotice(u.loc.T("sync.problem_" + string(syncProblemOf(err))))
				}
			})
		}()
	}, u.showSync)
}

// syncProblemOf says, in the interface's words, why a sync call failed.
func syncProblemOf(err error) learn.SyncProblem {
	var p interface{ Problem() learn.SyncProblem }
	if errors.As(err, &p) {
		return p.Problem()
	}
	return learn.SyncServer
}

// when writes a time the way the journey writes dates, with the time of
// day: the same in every language.
func (u *UI) when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// bytesText writes a number of bytes for people: 850 B, 12.4 KB, 3.1 MB.
func bytesText(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
}
