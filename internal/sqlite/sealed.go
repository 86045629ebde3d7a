package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/waymark-app/waymark/internal/learn"
)

// Unlock gives the store the data key's sealer: from now on it can read
// and write the learner's record. A file that still holds a 0.1 log is
// opened with Upgrade instead: Unlock gives learn.ErrLocked for it.
func (db *DB) Unlock(ctx context.Context, box learn.Sealer) error {
	has, err := db.Legacy(ctx)
	if err != nil {
		return err
	}
	if has {
		return fmt.Errorf("unlock: a 0.1 log needs Upgrade: %w", learn.ErrLocked)
	}
	db.mu.Lock()
	db.box = box
	db.mu.Unlock()
	return nil
}

// Lock forgets the sealer: nothing of the learner's record can be read or
// written until Unlock.
func (db *DB) Lock() {
	db.mu.Lock()
	db.box = nil
	db.mu.Unlock()
}

func (db *DB) sealer() (learn.Sealer, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.erased {
		return nil, fmt.Errorf("store: %w: erased", learn.ErrLocked)
	}
	if db.box == nil {
		return nil, learn.ErrLocked
	}
	return db.box, nil
}

// Record appends events recorded on this device to the log and updates
// the state derived from them, all in one transaction: after a crash
// either all of them and their state are there, or none. It gives each
// event its id; an event's clock is kept if set (the interface stamps
// events from this store's Clock, so that the state it shows is the state
// stored), else taken from the clock. It returns the stored events. An
// invalid event changes nothing.
func (db *DB) Record(ctx context.Context, events ...learn.Event) ([]learn.Event, error) {
	box, err := db.sealer()
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("record %s: %w", e.Kind, err)
		}
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	defer tx.Rollback()

	var id learn.EventID
	var clock int64
	if err := tx.QueryRowContext(ctx, `SELECT id, epoch, next_seq, clock FROM device`).Scan(&id.Device, &id.Epoch, &id.Seq, &clock); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	last := learn.HLC(clock)
	st := &stateTx{tx: tx, box: box}
	out := make([]learn.Event, len(events))
	for i, e := range events {
		e.ID = id
		if e.Clock == 0 {
			e.Clock = db.clock.Tick()
		} else {
			db.clock.Restore(e.Clock)
		}
		last = max(last, e.Clock)
		id.Seq++
		if _, err := st.insert(ctx, e, learn.EncodeEvent(e)); err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		if err := st.unsent(ctx, e.ID); err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		if err := st.apply(ctx, e); err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		out[i] = e
	}
	if _, err := tx.ExecContext(ctx, `UPDATE device SET next_seq = ?, clock = ?`, id.Seq, int64(last)); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	return out, nil
}

// Apply stores events that came from other devices (or this device's
// earlier epochs), keeping their ids and clocks: an event already stored
// is skipped, so applying a batch twice changes nothing, and the state is
// derived from the events actually inserted, which Apply returns. The
// clock observes each (within learn.MaxDrift). sealed, if not nil, is
// stored in the same transaction as SaveSealed would (sync's cursor), so an
// interrupted sync resumes where it stopped. An event of a kind this
// version does not know is kept, to be read by a newer version; an invalid
// one changes nothing.
func (db *DB) Apply(ctx context.Context, events []learn.Event, sealed map[string]any) ([]learn.Event, error) {
	box, err := db.sealer()
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	for _, e := range events {
		if err := e.ValidateRemote(); err != nil {
			return nil, fmt.Errorf("apply: %w", err)
		}
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	defer tx.Rollback()
	st := &stateTx{tx: tx, box: box}
	var inserted []learn.Event
	for _, e := range events {
		e, ok, err := st.insertRemote(ctx, e)
		if err != nil {
			return nil, fmt.Errorf("apply: %w", err)
		}
		if !ok {
			continue
		}
		if err := st.apply(ctx, e); err != nil {
			return nil, fmt.Errorf("apply: %w", err)
		}
		inserted = append(inserted, e)
	}
	for name, v := range sealed {
		if err := st.put(ctx, kindSealed, name, v); err != nil {
			return nil, fmt.Errorf("apply: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	for _, e := range inserted {
		db.clock.Observe(e.Clock)
	}
	return inserted, nil
}

// LoadSealed reads a value SaveSealed (or Apply) stored under name into v,
// reporting whether there was one. Sync keeps its server, token and cursor
// so: sealed, like the record.
func (db *DB) LoadSealed(ctx context.Context, name string, v any) (bool, error) {
	box, err := db.sealer()
	if err != nil {
		return false, fmt.Errorf("load sealed: %w", err)
	}
	id := box.ID(kindSealed, name)
	var sealed []byte
	err = db.read.QueryRowContext(ctx, `SELECT body FROM sealed_state WHERE id = ?`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load sealed: %w", err)
	}
	row, err := openState(box, id, sealed)
	if err != nil {
		return false, fmt.Errorf("load sealed: %w", err)
	}
	if err := json.Unmarshal(row.Value, v); err != nil {
		return false, fmt.Errorf("load sealed: %w: %w", learn.ErrDamaged, err)
	}
	return true, nil
}

// SaveSealed stores v (as JSON) under name, sealed; nil deletes it.
func (db *DB) SaveSealed(ctx context.Context, name string, v any) error {
	box, err := db.sealer()
	if err != nil {
		return fmt.Errorf("save sealed: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save sealed: %w", err)
	}
	defer tx.Rollback()
	if v == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM sealed_state WHERE id = ?`, box.ID(kindSealed, name))
	} else {
		err = (&stateTx{tx: tx, box: box}).put(ctx, kindSealed, name, v)
	}
	if err != nil {
		return fmt.Errorf("save sealed: %w", err)
	}
	return tx.Commit()
}

// stateTx reads and writes sealed rows inside one transaction.
type stateTx struct {
	tx  *sql.Tx
	box learn.Sealer
}

// insert adds an event's sealed body under its id; it reports whether the
// id was new.
func (st *stateTx) insert(ctx context.Context, e learn.Event, body []byte) (bool, error) {
	res, err := st.tx.ExecContext(ctx, `INSERT INTO sealed_events (device, epoch, seq, body) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, e.ID.Device, e.ID.Epoch, e.ID.Seq, st.box.Seal(body, e.ID.AD()))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// unsent notes one of this device's events as not yet sealed for sync.
func (st *stateTx) unsent(ctx context.Context, id learn.EventID) error {
	_, err := st.tx.ExecContext(ctx, `INSERT INTO unsent (epoch, seq) VALUES (?, ?) ON CONFLICT DO NOTHING`, id.Epoch, id.Seq)
	return err
}

// insertRemote inserts an event from elsewhere and returns it as stored:
// its payload blanked if its milestone was already removed (erasure
// reaches events that arrive after the tombstone, too).
func (st *stateTx) insertRemote(ctx context.Context, e learn.Event) (learn.Event, bool, error) {
	if e.Kind.IsJourney() && e.Data != "" {
		var m learn.MilestoneState
		found, err := st.get(ctx, kindMilestone, e.Target, &m)
		if err != nil {
			return e, false, err
		}
		if found && m.IsRemoved() {
			e.Data = ""
		}
	}
	ok, err := st.insert(ctx, e, learn.EncodeEvent(e))
	return e, ok, err
}

// The kinds of state rows (the "t" of a sealed state body).
const (
	kindLesson    = "l"
	kindStep      = "s"
	kindPhrase    = "p"
	kindMilestone = "m"
	kindNickname  = "n"
	kindSealed    = "x" // values stored with SaveSealed
)

// stateRow is a state row's plain body: its kind and name (so it can be
// named again under a new key) and its value.
type stateRow struct {
	Kind  string          `json:"t"`
	Name  string          `json:"n"`
	Value json.RawMessage `json:"v"`
}

func joinName(parts ...string) string { return strings.Join(parts, "\x00") }

// get reads the state row of kind and name into v; found is false if
// there is none.
func (st *stateTx) get(ctx context.Context, kind, name string, v any) (found bool, err error) {
	id := st.box.ID(kind, name)
	var sealed []byte
	err = st.tx.QueryRowContext(ctx, `SELECT body FROM sealed_state WHERE id = ?`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	row, err := openState(st.box, id, sealed)
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(row.Value, v); err != nil {
		return false, fmt.Errorf("%w: state row: %w", learn.ErrDamaged, err)
	}
	return true, nil
}

// put writes the state row of kind and name.
func (st *stateTx) put(ctx context.Context, kind, name string, v any) error {
	value, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return putRow(ctx, st.tx, st.box, stateRow{Kind: kind, Name: name, Value: value})
}

func putRow(ctx context.Context, tx *sql.Tx, box learn.Sealer, row stateRow) error {
	plain, err := json.Marshal(row)
	if err != nil {
		return err
	}
	id := box.ID(row.Kind, row.Name)
	_, err = tx.ExecContext(ctx, `INSERT INTO sealed_state (id, body) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body`, id, box.Seal(plain, id))
	return err
}

func openState(box learn.Sealer, id, sealed []byte) (stateRow, error) {
	plain, err := box.Open(sealed, id)
	if err != nil {
		return stateRow{}, fmt.Errorf("%w: a state row does not open", learn.ErrDamaged)
	}
	var row stateRow
	if err := json.Unmarshal(plain, &row); err != nil {
		return stateRow{}, fmt.Errorf("%w: state row: %w", learn.ErrDamaged, err)
	}
	return row, nil
}

// apply folds one event into the derived state rows, with the domain's
// rules (learn.Progress.Apply does the same in memory).
func (st *stateTx) apply(ctx context.Context, e learn.Event) error {
	switch {
	case !e.Kind.Valid():
		return nil // kept for a newer version; no state this one knows
	case e.Kind == learn.EventNickname:
		var r learn.Register
		if _, err := st.get(ctx, kindNickname, "", &r); err != nil {
			return err
		}
		p := learn.Progress{Nickname: r}
		p.Apply(e)
		return st.put(ctx, kindNickname, "", p.Nickname)
	case e.Kind == learn.EventPhrasesAdded || e.Kind == learn.EventPhraseReviewed:
		for _, id := range e.Answer {
			ref := learn.PhraseRef{Lesson: e.Lesson, Step: e.Step, Phrase: id}
			name := joinName(ref.Lesson, ref.Step, ref.Phrase)
			var s learn.PhraseState
			if _, err := st.get(ctx, kindPhrase, name, &s); err != nil {
				return err
			}
			if err := st.put(ctx, kindPhrase, name, s.Apply(ref, e)); err != nil {
				return err
			}
		}
		return nil
	case e.Kind.IsJourney():
		var m learn.MilestoneState
		if _, err := st.get(ctx, kindMilestone, e.Target, &m); err != nil {
			return err
		}
		m = m.Apply(e)
		if err := st.put(ctx, kindMilestone, e.Target, m); err != nil {
			return err
		}
		if e.Kind == learn.EventMilestoneRemoved {
			return st.blank(ctx, e.Target)
		}
		return nil
	}
	var ls learn.LessonState
	if _, err := st.get(ctx, kindLesson, e.Lesson, &ls); err != nil {
		return err
	}
	if err := st.put(ctx, kindLesson, e.Lesson, ls.Apply(e)); err != nil {
		return err
	}
	if e.Kind != learn.EventAnswered {
		return nil
	}
	name := joinName(e.Lesson, e.Step)
	var ss learn.StepState
	if _, err := st.get(ctx, kindStep, name, &ss); err != nil {
		return err
	}
	return st.put(ctx, kindStep, name, ss.Apply(e))
}

// blank erases the payload (title, notes, dates) of every event about a
// removed milestone, leaving the facts and the tombstone. The log is
// sealed, so every event is opened to find them; a removal is rare.
func (st *stateTx) blank(ctx context.Context, target string) error {
	rows, err := st.tx.QueryContext(ctx, `SELECT device, epoch, seq, body FROM sealed_events`)
	if err != nil {
		return err
	}
	var changed []learn.Event
	for rows.Next() {
		e, err := scanEvent(rows, st.box)
		if err != nil {
			rows.Close()
			return err
		}
		if e.Kind.IsJourney() && e.Target == target && e.Data != "" {
			e.Data = ""
			changed = append(changed, e)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, e := range changed {
		if _, err := st.tx.ExecContext(ctx, `UPDATE sealed_events SET body = ? WHERE device = ? AND epoch = ? AND seq = ?`,
			st.box.Seal(learn.EncodeEvent(e), e.ID.AD()), e.ID.Device, e.ID.Epoch, e.ID.Seq); err != nil {
			return err
		}
	}
	return nil
}

func scanEvent(rows interface{ Scan(...any) error }, box learn.Sealer) (learn.Event, error) {
	var id learn.EventID
	var sealed []byte
	if err := rows.Scan(&id.Device, &id.Epoch, &id.Seq, &sealed); err != nil {
		return learn.Event{}, err
	}
	body, err := box.Open(sealed, id.AD())
	if err != nil {
		return learn.Event{}, fmt.Errorf("%w: event %v does not open", learn.ErrDamaged, id)
	}
	return learn.DecodeEvent(id, body)
}

// Progress returns the derived state of every lesson, step, phrase and
// milestone, and the nickname.
func (db *DB) Progress(ctx context.Context) (*learn.Progress, error) {
	box, err := db.sealer()
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, body FROM sealed_state`)
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	defer rows.Close()
	p := learn.NewProgress()
	for rows.Next() {
		var id, sealed []byte
		if err := rows.Scan(&id, &sealed); err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		row, err := openState(box, id, sealed)
		if err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		if err := row.into(p); err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	return p, nil
}

// into puts a state row into p.
func (row stateRow) into(p *learn.Progress) error {
	var err error
	switch row.Kind {
	case kindLesson:
		var s learn.LessonState
		err = json.Unmarshal(row.Value, &s)
		p.Lessons[row.Name] = s
	case kindStep:
		var s learn.StepState
		err = json.Unmarshal(row.Value, &s)
		p.Steps[learn.StepRef{Lesson: s.Lesson, Step: s.Step}] = s
	case kindPhrase:
		var s learn.PhraseState
		err = json.Unmarshal(row.Value, &s)
		p.Phrases[s.PhraseRef] = s
	case kindMilestone:
		var s learn.MilestoneState
		err = json.Unmarshal(row.Value, &s)
		p.Milestones[row.Name] = s
	case kindNickname:
		err = json.Unmarshal(row.Value, &p.Nickname)
	}
	// Other kinds (sync's sealed values) are not progress.
	if err != nil {
		return fmt.Errorf("%w: state row %s: %w", learn.ErrDamaged, row.Kind, err)
	}
	return nil
}

// Events returns up to limit events of the log after the id after, in
// the order of their ids (device, epoch, sequence number): a page of the
// log. The zero id starts at the beginning; limit 0 means no limit.
func (db *DB) Events(ctx context.Context, after learn.EventID, limit int) ([]learn.Event, error) {
	box, err := db.sealer()
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.read.QueryContext(ctx, `SELECT device, epoch, seq, body FROM sealed_events
		WHERE (device, epoch, seq) > (?, ?, ?) ORDER BY device, epoch, seq LIMIT ?`,
		after.Device, after.Epoch, after.Seq, limit)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []learn.Event
	for rows.Next() {
		e, err := scanEvent(rows, box)
		if err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Prefs returns every setting of this device. Settings are plain: the app
// needs them before it is unlocked, so they hold nothing about the
// learner (language, text size, the lock).
func (db *DB) Prefs(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT key, value FROM prefs`)
	if err != nil {
		return nil, fmt.Errorf("prefs: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("prefs: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetPrefs stores several settings in one transaction: all or none. A
// value of "" deletes the setting.
func (db *DB) SetPrefs(ctx context.Context, prefs map[string]string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set prefs: %w", err)
	}
	defer tx.Rollback()
	if err := setPrefs(ctx, tx, prefs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set prefs: %w", err)
	}
	return nil
}

func setPrefs(ctx context.Context, tx *sql.Tx, prefs map[string]string) error {
	for k, v := range prefs {
		if k == "" {
			return fmt.Errorf("set prefs: %w: empty key", learn.ErrInvalid)
		}
		var err error
		if v == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM prefs WHERE key = ?`, k)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO prefs (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v)
		}
		if err != nil {
			// Which setting failed is not said: a setting's name can tell
			// what the learner did.
			return fmt.Errorf("set prefs: %w", err)
		}
	}
	return nil
}

// Rekey seals the whole record again under box, and stores prefs (the
// keyring wrapped anew), all in one transaction: after a crash the file
// holds either the old key and the old seals, or the new ones. Then it
// compacts the file (Compact), so that no page sealed under the old key
// stays in the database or its WAL.
func (db *DB) Rekey(ctx context.Context, box learn.Sealer, prefs map[string]string) error {
	old, err := db.sealer()
	if err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	defer tx.Rollback()
	if err := resealEvents(ctx, tx, old, box); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	if err := resealState(ctx, tx, old, box); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	if err := resealOutbox(ctx, tx, old, box); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	if err := setPrefs(ctx, tx, prefs); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rekey: %w", err)
	}
	db.mu.Lock()
	db.box = box
	db.mu.Unlock()
	return db.Compact(ctx)
}

func resealEvents(ctx context.Context, tx *sql.Tx, old, box learn.Sealer) error {
	rows, err := tx.QueryContext(ctx, `SELECT device, epoch, seq, body FROM sealed_events`)
	if err != nil {
		return err
	}
	type row struct {
		id   learn.EventID
		body []byte
	}
	var all []row
	for rows.Next() {
		var r row
		var sealed []byte
		if err := rows.Scan(&r.id.Device, &r.id.Epoch, &r.id.Seq, &sealed); err != nil {
			rows.Close()
			return err
		}
		// The body is sealed again as it is, byte for byte: an event of a
		// kind this version does not know keeps every field.
		if r.body, err = old.Open(sealed, r.id.AD()); err != nil {
			rows.Close()
			return fmt.Errorf("%w: event %v does not open", learn.ErrDamaged, r.id)
		}
		all = append(all, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, r := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE sealed_events SET body = ? WHERE device = ? AND epoch = ? AND seq = ?`,
			box.Seal(r.body, r.id.AD()), r.id.Device, r.id.Epoch, r.id.Seq); err != nil {
			return err
		}
		clear(r.body)
	}
	return nil
}

func resealState(ctx context.Context, tx *sql.Tx, old, box learn.Sealer) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, body FROM sealed_state`)
	if err != nil {
		return err
	}
	var all []stateRow
	for rows.Next() {
		var id, sealed []byte
		if err := rows.Scan(&id, &sealed); err != nil {
			rows.Close()
			return err
		}
		r, err := openState(old, id, sealed)
		if err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	// Names change with the key: every row is written again under its new
	// name, and the old rows go (zeroed: secure_delete).
	if _, err := tx.ExecContext(ctx, `DELETE FROM sealed_state`); err != nil {
		return err
	}
	for _, r := range all {
		if err := putRow(ctx, tx, box, r); err != nil {
			return err
		}
	}
	return nil
}

// Compact rewrites the database file without free pages and empties its
// WAL: after a change of key (or a removal), no old page holding a value
// sealed under the old key, or the old key itself, stays in either file.
func (db *DB) Compact(ctx context.Context) error {
	if err := db.checkpoint(ctx); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := db.checkpoint(ctx); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	return nil
}

// checkpoint copies the WAL into the database and truncates it to nothing.
// A reader in the middle of a read can hold it up for a moment; it is
// tried again then.
func (db *DB) checkpoint(ctx context.Context) error {
	for try := 0; ; try++ {
		var busy, frames, done int
		if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			return err
		}
		if busy == 0 {
			return nil
		}
		if try == 50 {
			return fmt.Errorf("wal checkpoint: still busy")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
