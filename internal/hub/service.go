package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/waymark-app/waymark/internal/l10n"
	"github.com/waymark-app/waymark/internal/learn"
	"github.com/waymark-app/waymark/internal/lockbox"
	"github.com/waymark-app/waymark/internal/room"
	"github.com/waymark-app/waymark/internal/roomserver"
)

// Service is the hub as the trainer's app uses it: opened when the
// trainer opens the session screens, with a key from their passphrase
// (which seals the couriers the hub keeps), and stopped when they leave
// them. Its files live in a folder of their own in the app's data.
type Service struct {
	// Dir is the hub's folder (its store and certificate).
	Dir string
	// OpenStore opens the hub's store at path (sqlite.OpenRelay).
	OpenStore func(ctx context.Context, path string) (Store, error)
	// Lesson loads a lesson by id, with every language, as a copy of its
	// own (lessonfile.LoadLesson).
	Lesson func(id string) (*learn.Lesson, error)
	Facts  map[string]learn.Fact
	// Catalog gives the join page its words.
	Catalog *l10n.Catalog
	// Roster says who attends (room.NoRoster if nil: until trainer groups
	// are wired, no one's attendance is recorded).
	Roster room.Roster
	// AppAddr and PageAddr are where to listen ("" for the usual ports).
	AppAddr, PageAddr string
	Log               *slog.Logger

	mu  sync.Mutex
	hub *Hub
}

// ErrClosed means the hub is not open.
var ErrClosed = errors.New("hub: not open")

// Open opens the hub and listens on the local network. key seals the
// couriers' tokens. Opening an open hub does nothing.
func (s *Service) Open(key lockbox.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hub != nil {
		return nil
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	store, err := s.OpenStore(context.Background(), filepath.Join(s.Dir, "hub.db"))
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	words, langs := roomserver.FromCatalog(s.Catalog)
	k := key
	h, err := Open(Options{Store: store, Dir: s.Dir, AppAddr: s.AppAddr, PageAddr: s.PageAddr, Facts: s.Facts,
		Words: words, Languages: langs, Roster: s.Roster, Key: &k, Log: s.Log})
	if err != nil {
		store.Close()
		return err
	}
	if err := h.Listen(); err != nil {
		h.Close()
		return err
	}
	s.hub = h
	return nil
}

func (s *Service) open() (*Hub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hub == nil {
		return nil, ErrClosed
	}
	return s.hub, nil
}

// Reach says how devices reach the hub (zero when it is not open).
func (s *Service) Reach() room.Reach {
	h, err := s.open()
	if err != nil {
		return room.Reach{}
	}
	return h.Reach()
}

// Begin starts a session on the lesson with the given id.
func (s *Service) Begin(ctx context.Context, lessonID string) (*room.Room, error) {
	h, err := s.open()
	if err != nil {
		return nil, err
	}
	l, err := s.Lesson(lessonID)
	if err != nil {
		return nil, err
	}
	return h.Begin(ctx, l)
}

// End ends the session running and returns its summary.
func (s *Service) End() (room.Summary, bool) {
	h, err := s.open()
	if err != nil {
		return room.Summary{}, false
	}
	return h.End()
}

// Waiting counts the learners whose progress waits on the hub to be
// passed on.
func (s *Service) Waiting(ctx context.Context) (int, error) {
	h, err := s.open()
	if err != nil {
		return 0, err
	}
	w, err := h.Waiting(ctx)
	return w.Learners, err
}

// Forward passes on what the hub holds (see Hub.Forward) and says for how
// many learners it went, and for how many it still waits.
func (s *Service) Forward(ctx context.Context) (passed, left int, err error) {
	h, err := s.open()
	if err != nil {
		return 0, 0, err
	}
	f, err := h.Forward(ctx)
	if err != nil {
		return f.Learners, 0, err
	}
	w, err := h.Waiting(ctx)
	return f.Learners, w.Learners, err
}

// Stop ends the session running, stops listening and closes the store.
func (s *Service) Stop() {
	s.mu.Lock()
	h := s.hub
	s.hub = nil
	s.mu.Unlock()
	if h != nil {
		h.End()
		h.Close()
	}
}
