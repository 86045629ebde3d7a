package syncclient_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/sqlite"
	"github.com/waymark-app/waymark/internal/syncclient"
)

// serviceDevice is a device running the sync service, as the app does.
type serviceDevice struct {
	db      *sqlite.DB
	svc     *syncclient.Service
	status  chan learn.SyncStatus
	applied chan []learn.Event
}

func newServiceDevice(t *testing.T, label string) *serviceDevice {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "waymark.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Unlock(ctx, lockbox.NewBox(lockbox.NewKey())); err != nil {
		t.Fatal(err)
	}
	d := &serviceDevice{db: db, status: make(chan learn.SyncStatus, 100), applied: make(chan []learn.Event, 100)}
	d.svc = &syncclient.Service{Store: db, Clock: db.Clock(), Label: label, Backoff: 20 * time.Millisecond,
		Changed: func(s learn.SyncStatus) { d.status <- s },
		Applied: func(e []learn.Event) { d.applied <- e }}
	if err := d.svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.svc.Stop()
		db.Close()
	})
	return d
}

// settled waits until a sync has finished (Running false) and returns the
// status then.
func (d *serviceDevice) settled(t *testing.T) learn.SyncStatus {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case s := <-d.status:
			if !s.Running && (s.Problem != learn.SyncOK || !s.LastSuccess.IsZero()) {
				return s
			}
		case <-timeout:
			t.Fatalf("no sync finished; status now %+v", d.svc.Status())
		}
	}
}

func TestServiceJoinPairAndMeter(t *testing.T) {
	srv := testServer(t)
	ctx := context.Background()
	phone := newServiceDevice(t, "Phone")
	if st := phone.svc.Status(); st.On {
		t.Fatal("sync is on before the learner set it up")
	}
	phone.db.Record(ctx, learn.Event{Kind: learn.EventLessonDone, Lesson: "passcodes"})
	if err := phone.svc.Join(ctx, srv.URL, "", ""); err != nil {
		t.Fatal(err)
	}
	st := phone.settled(t)
	if st.Problem != learn.SyncOK || st.Waiting != 0 || st.LastSent == 0 || st.LastReceived == 0 || st.MonthSent < st.LastSent {
		t.Fatalf("after joining: %+v", st)
	}

	code, _, err := phone.svc.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	laptop := newServiceDevice(t, "Laptop")
	if err := laptop.svc.Pair(ctx, srv.URL, "", code); err != nil {
		t.Fatal(err)
	}
	laptop.settled(t)
	select {
	case evs := <-laptop.applied:
		if len(evs) != 1 || evs[0].Kind != learn.EventLessonDone {
			t.Errorf("the laptop was handed %+v", evs)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the laptop got nothing to show")
	}
	devices, err := laptop.svc.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{}
	for _, d := range devices {
		labels[d.Label] = d.This
	}
	if len(devices) != 2 || labels["Laptop"] != true || labels["Phone"] != false {
		t.Errorf("devices: %+v", devices)
	}
	// The code worked once.
	other := newServiceDevice(t, "Stranger")
	if err := other.svc.Pair(ctx, srv.URL, "", code); syncclient.CodeOf(err) == "" {
		t.Errorf("a used pairing code worked again: %v", err)
	}
}

// TestServiceMonthlyLimitAndFailures: automatic syncs pause past the
// monthly limit (sending nothing), a sync the learner asks for still
// runs, and a server out of reach is reported as such, never as success,
// and tried again later.
func TestServiceMonthlyLimitAndFailures(t *testing.T) {
	srv := testServer(t)
	ctx := context.Background()
	phone := newServiceDevice(t, "Phone")
	if err := phone.svc.Join(ctx, srv.URL, "", ""); err != nil {
		t.Fatal(err)
	}
	first := phone.settled(t)
	if err := phone.svc.SetLimit(ctx, 1); err != nil {
		t.Fatal(err)
	}
	phone.db.Record(ctx, learn.Event{Kind: learn.EventLessonDone, Lesson: "a"})
	phone.svc.Nudge()
	st := phone.settled(t)
	if st.Problem != learn.SyncLimit || st.MonthSent != first.MonthSent || !st.Paused() {
		t.Errorf("past the limit an automatic sync ran: %+v", st)
	}
	phone.svc.SyncNow()
	st = phone.settled(t)
	if st.Problem != learn.SyncOK || st.Waiting != 0 {
		t.Errorf("a sync asked for past the limit did not run: %+v", st)
	}
	phone.svc.SetLimit(ctx, 0)

	srv.Close()
	phone.db.Record(ctx, learn.Event{Kind: learn.EventLessonDone, Lesson: "b"})
	phone.svc.SyncNow()
	st = phone.settled(t)
	if st.Problem != learn.SyncOffline || st.Waiting != 1 {
		t.Errorf("a server out of reach: %+v", st)
	}
	if st.LastSuccess.After(first.LastSuccess.Add(time.Minute)) || st.LastSuccess.Before(first.LastSuccess) {
		t.Errorf("a failed sync moved the last success to %v", st.LastSuccess)
	}
	// Tried again, on its own, after a wait.
	select {
	case s := <-phone.status:
		if !s.Running {
			t.Errorf("no retry: %+v", s)
		}
	case <-time.After(5 * time.Second):
		t.Error("a failed sync was not tried again")
	}
}

// TestAttackUnlinkedDeviceReadsNothing: a lost phone, unlinked from the
// laptop, can no longer sync; Delete everything deletes the learner's data
// on the server, or keeps the request for the next connection.
func TestAttackUnlinkedDeviceReadsNothing(t *testing.T) {
	srv := testServer(t)
	ctx := context.Background()
	phone := newServiceDevice(t, "Phone")
	phone.svc.Join(ctx, srv.URL, "", "")
	phone.settled(t)
	code, _, _ := phone.svc.Offer(ctx)
	laptop := newServiceDevice(t, "Laptop")
	if err := laptop.svc.Pair(ctx, srv.URL, "", code); err != nil {
		t.Fatal(err)
	}
	laptop.settled(t)
	devices, _ := laptop.svc.Devices(ctx)
	for _, d := range devices {
		if !d.This {
			if err := laptop.svc.Unlink(ctx, d.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	phone.svc.SyncNow()
	if st := phone.settled(t); st.Problem != learn.SyncUnlinked {
		t.Errorf("the unlinked phone: %+v", st)
	}

	acct, err := laptop.svc.DeleteEverywhere(ctx, 5*time.Second)
	if err != nil || acct != nil {
		t.Fatalf("delete: %v %v", acct, err)
	}
	laptop.svc.SyncNow()
	if st := laptop.settled(t); st.Problem != learn.SyncUnlinked {
		t.Errorf("after deleting the learner the laptop still syncs: %+v", st)
	}

	// Offline: the request waits in a file until the next connection.
	third := newServiceDevice(t, "Phone")
	third.svc.Join(ctx, srv.URL, "", "")
	third.settled(t)
	pending := filepath.Join(t.TempDir(), "waymark.pending")
	acct = &syncclient.Account{Server: "http://127.0.0.1:1", Token: "x"}
	if err := syncclient.SavePending(pending, *acct); err != nil {
		t.Fatal(err)
	}
	if err := syncclient.SendPending(ctx, pending); err == nil {
		t.Error("a pending delete to a server out of reach reported success")
	}
	if _, err := os.Stat(pending); err != nil {
		t.Errorf("the pending delete was lost: %v", err)
	}
	acct2, err := third.svc.DeleteEverywhere(ctx, time.Nanosecond)
	if err == nil || acct2 == nil {
		t.Fatalf("a delete that timed out: %v %v", acct2, err)
	}
	if err := syncclient.SavePending(pending, *acct2); err != nil {
		t.Fatal(err)
	}
	if err := syncclient.SendPending(ctx, pending); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pending); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the pending file stayed after the delete went through: %v", err)
	}
	third.svc.SyncNow()
	if st := third.settled(t); st.Problem != learn.SyncUnlinked {
		t.Errorf("the learner's data is still on the server: %+v", st)
	}
}
