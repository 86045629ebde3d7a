package sqlite

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/waymark-app/waymark/internal/learn"
)

// Profiles are the learners who share one device (a donated laptop in a
// community room): each has a record of their own, a database of its own
// (learners/<id>.db beside the device's own), sealed under a keyring of
// its own and locked with their own PIN, so that nothing of one learner's
// can be read while another's is open. learners.json lists them, with
// the nicknames they chose and whether the device is shared: it is plain,
// as the list is what the device shows to whoever picks it up.
type Profiles struct {
	// Main is the path of the device's own database.
	Main string

	mu sync.Mutex
}

// profileFile is learners.json.
type profileFile struct {
	Shared   bool            `json:"shared"`
	Learners []learn.Profile `json:"learners"`
}

// MaxNickname bounds a nickname, in characters.
const MaxNickname = 40

func (p *Profiles) dir() string  { return filepath.Dir(p.Main) }
func (p *Profiles) file() string { return filepath.Join(p.dir(), "learners.json") }

func (p *Profiles) read() (profileFile, error) {
	var f profileFile
	b, err := os.ReadFile(p.file())
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read learners: %w", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("read learners: %w", learn.ErrDamaged)
	}
	return f, nil
}

func (p *Profiles) write(f profileFile) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	tmp := p.file() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write learners: %w", err)
	}
	if err := os.Rename(tmp, p.file()); err != nil {
		return fmt.Errorf("write learners: %w", err)
	}
	return nil
}

// Shared reports whether the device is shared by several learners.
func (p *Profiles) Shared() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, _ := p.read()
	return f.Shared
}

// SetShared makes the device shared, or its own learner's again (the
// learners' records stay until each is deleted).
func (p *Profiles) SetShared(on bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := p.read()
	if err != nil {
		return err
	}
	f.Shared = on
	return p.write(f)
}

// List returns the learners, in the order they were added.
func (p *Profiles) List() ([]learn.Profile, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := p.read()
	return f.Learners, err
}

// Create adds a learner with a nickname and returns their id. Their
// database is made when it is first opened.
func (p *Profiles) Create(nickname string) (string, error) {
	nickname = strings.TrimSpace(nickname)
	if nickname == "" || utf8.RuneCountInString(nickname) > MaxNickname {
		return "", fmt.Errorf("create learner: nickname: %w", learn.ErrInvalid)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := p.read()
	if err != nil {
		return "", err
	}
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	f.Learners = append(f.Learners, learn.Profile{ID: id, Nickname: nickname})
	if err := os.MkdirAll(filepath.Join(p.dir(), "learners"), 0o700); err != nil {
		return "", fmt.Errorf("create learner: %w", err)
	}
	return id, p.write(f)
}

// Remove takes a learner off the list (their database is erased apart,
// by DB.Erase).
func (p *Profiles) Remove(id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := p.read()
	if err != nil {
		return err
	}
	f.Learners = slicesDelete(f.Learners, id)
	return p.write(f)
}

func slicesDelete(ps []learn.Profile, id string) []learn.Profile {
	out := ps[:0]
	for _, x := range ps {
		if x.ID != id {
			out = append(out, x)
		}
	}
	return out
}

// Path returns the database of learner id ("" is the device's own).
func (p *Profiles) Path(id string) (string, error) {
	if id == "" {
		return p.Main, nil
	}
	list, err := p.List()
	if err != nil {
		return "", err
	}
	for _, x := range list {
		if x.ID == id {
			return filepath.Join(p.dir(), "learners", id+".db"), nil
		}
	}
	return "", fmt.Errorf("learner: %w", learn.ErrNotFound)
}

// Erase deletes every learner of a shared device: each one's database
// (overwritten, with the damaged copies moved aside beside it), their
// folder and the list. The device's own database is not touched (DB.Erase
// is its own).
func (p *Profiles) Erase() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	f, err := p.read()
	errs = append(errs, err)
	dir := filepath.Join(p.dir(), "learners")
	for _, l := range f.Learners {
		db := filepath.Join(dir, l.ID+".db")
		for _, path := range append([]string{db}, Aside(db)...) {
			errs = append(errs, Shred(path))
		}
	}
	errs = append(errs, os.RemoveAll(dir))
	if err := os.Remove(p.file()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
