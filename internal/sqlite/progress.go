package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/waymark-app/waymark/internal/learn"
)

// Record appends events to the log and updates the state derived from
// them, all in one transaction: after a crash either all of them and their
// state are there, or none. It fills in each event's id and clock and
// returns the stored events. An invalid event changes nothing.
func (db *DB) Record(ctx context.Context, events ...learn.Event) ([]learn.Event, error) {
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
	if err := tx.QueryRowContext(ctx, `SELECT id, epoch, next_seq FROM device`).Scan(&id.Device, &id.Epoch, &id.Seq); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	out := make([]learn.Event, len(events))
	var last learn.HLC
	for i, e := range events {
		e.ID = id
		e.Clock = db.clock.Tick()
		last = e.Clock
		id.Seq++
		if err := insertEvent(ctx, tx, e); err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		if err := applyState(ctx, tx, e); err != nil {
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

func insertEvent(ctx context.Context, tx *sql.Tx, e learn.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO events (device, epoch, seq, clock, kind, lesson, step, answer, correct, target, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID.Device, e.ID.Epoch, e.ID.Seq, int64(e.Clock), string(e.Kind), e.Lesson, e.Step, strings.Join(e.Answer, " "), e.Correct, e.Target, e.Data)
	return err
}

// applyState folds one event into the derived state tables using the
// domain's rules.
func applyState(ctx context.Context, tx *sql.Tx, e learn.Event) error {
	if e.Kind == learn.EventPhrasesAdded || e.Kind == learn.EventPhraseReviewed {
		return applyPhrases(ctx, tx, e)
	}
	if e.Kind.IsJourney() {
		return applyJourney(ctx, tx, e)
	}
	ls, err := scanLessonState(tx.QueryRowContext(ctx, lessonStateQuery+` WHERE lesson = ?`, e.Lesson))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ls = ls.Apply(e)
	_, err = tx.ExecContext(ctx, `INSERT INTO lesson_state (lesson, step, step_clock, step_device, started, updated, completed)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (lesson) DO UPDATE SET step = excluded.step, step_clock = excluded.step_clock, step_device = excluded.step_device,
			started = excluded.started, updated = excluded.updated, completed = excluded.completed`,
		ls.Lesson, ls.Step, int64(ls.StepClock), ls.StepDevice, int64(ls.Started), int64(ls.Updated), int64(ls.Completed))
	if err != nil || e.Kind != learn.EventAnswered {
		return err
	}
	ss, err := scanStepState(tx.QueryRowContext(ctx, stepStateQuery+` WHERE lesson = ? AND step = ?`, e.Lesson, e.Step))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ss = ss.Apply(e)
	_, err = tx.ExecContext(ctx, `INSERT INTO step_state (lesson, step, attempts, correct, first_try, first_clock, first_device)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (lesson, step) DO UPDATE SET attempts = excluded.attempts, correct = excluded.correct,
			first_try = excluded.first_try, first_clock = excluded.first_clock, first_device = excluded.first_device`,
		ss.Lesson, ss.Step, ss.Attempts, ss.Correct, ss.FirstTry, int64(ss.FirstClock), ss.FirstDevice)
	return err
}

func applyPhrases(ctx context.Context, tx *sql.Tx, e learn.Event) error {
	for _, id := range e.Answer {
		ref := learn.PhraseRef{Lesson: e.Lesson, Step: e.Step, Phrase: id}
		s, err := scanPhraseState(tx.QueryRowContext(ctx, phraseStateQuery+` WHERE lesson = ? AND step = ? AND phrase = ?`, ref.Lesson, ref.Step, ref.Phrase))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		s = s.Apply(ref, e)
		_, err = tx.ExecContext(ctx, `INSERT INTO phrase_state (lesson, step, phrase, box, due, reviews, last) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (lesson, step, phrase) DO UPDATE SET box = excluded.box, due = excluded.due, reviews = excluded.reviews, last = excluded.last`,
			s.Lesson, s.Step, s.Phrase, s.Box, s.Due, s.Reviews, int64(s.Last))
		if err != nil {
			return err
		}
	}
	return nil
}

func applyJourney(ctx context.Context, tx *sql.Tx, e learn.Event) error {
	var m learn.MilestoneState
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT state FROM journey_state WHERE id = ?`, e.Target).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return fmt.Errorf("milestone %s: %w", e.Target, err)
		}
	}
	m = m.Apply(e)
	state, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO journey_state (id, state) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state`, e.Target, string(state)); err != nil {
		return err
	}
	if e.Kind == learn.EventMilestoneRemoved {
		// Erasure blanks the payload of every earlier event about the
		// milestone (its title and notes) and leaves the tombstone.
		_, err = tx.ExecContext(ctx, `UPDATE events SET data = '' WHERE target = ? AND clock <= ?`, e.Target, int64(e.Clock))
	}
	return err
}

const phraseStateQuery = `SELECT lesson, step, phrase, box, due, reviews, last FROM phrase_state`

func scanPhraseState(row interface{ Scan(...any) error }) (learn.PhraseState, error) {
	var s learn.PhraseState
	var last int64
	err := row.Scan(&s.Lesson, &s.Step, &s.Phrase, &s.Box, &s.Due, &s.Reviews, &last)
	s.Last = learn.HLC(last)
	return s, err
}

const lessonStateQuery = `SELECT lesson, step, step_clock, step_device, started, updated, completed FROM lesson_state`

func scanLessonState(row interface{ Scan(...any) error }) (learn.LessonState, error) {
	var s learn.LessonState
	var stepClock, started, updated, completed int64
	err := row.Scan(&s.Lesson, &s.Step, &stepClock, &s.StepDevice, &started, &updated, &completed)
	s.StepClock, s.Started, s.Updated, s.Completed = learn.HLC(stepClock), learn.HLC(started), learn.HLC(updated), learn.HLC(completed)
	return s, err
}

const stepStateQuery = `SELECT lesson, step, attempts, correct, first_try, first_clock, first_device FROM step_state`

func scanStepState(row interface{ Scan(...any) error }) (learn.StepState, error) {
	var s learn.StepState
	var firstClock int64
	err := row.Scan(&s.Lesson, &s.Step, &s.Attempts, &s.Correct, &s.FirstTry, &firstClock, &s.FirstDevice)
	s.FirstClock = learn.HLC(firstClock)
	return s, err
}

// Progress returns the derived state of every lesson and step.
func (db *DB) Progress(ctx context.Context) (*learn.Progress, error) {
	p := learn.NewProgress()
	rows, err := db.read.QueryContext(ctx, lessonStateQuery)
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanLessonState(rows)
		if err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		p.Lessons[s.Lesson] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	rows, err = db.read.QueryContext(ctx, stepStateQuery)
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanStepState(rows)
		if err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		p.Steps[learn.StepRef{Lesson: s.Lesson, Step: s.Step}] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	rows, err = db.read.QueryContext(ctx, `SELECT state FROM journey_state`)
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		var m learn.MilestoneState
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, fmt.Errorf("progress: milestone: %w", err)
		}
		p.Milestones[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	rows, err = db.read.QueryContext(ctx, phraseStateQuery)
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanPhraseState(rows)
		if err != nil {
			return nil, fmt.Errorf("progress: %w", err)
		}
		p.Phrases[s.PhraseRef] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	return p, nil
}

// Events returns the whole log in the order it was written: by device,
// epoch and sequence number.
func (db *DB) Events(ctx context.Context) ([]learn.Event, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT device, epoch, seq, clock, kind, lesson, step, answer, correct, target, data
		FROM events ORDER BY device, epoch, seq`)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []learn.Event
	for rows.Next() {
		var e learn.Event
		var clock int64
		var kind, answer string
		if err := rows.Scan(&e.ID.Device, &e.ID.Epoch, &e.ID.Seq, &clock, &kind, &e.Lesson, &e.Step, &answer, &e.Correct, &e.Target, &e.Data); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		e.Clock, e.Kind, e.Answer = learn.HLC(clock), learn.EventKind(kind), strings.Fields(answer)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Prefs returns every setting of this device.
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
	for k, v := range prefs {
		if k == "" {
			return fmt.Errorf("set prefs: %w: empty key", learn.ErrInvalid)
		}
		if v == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM prefs WHERE key = ?`, k)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO prefs (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v)
		}
		if err != nil {
			return fmt.Errorf("set prefs %s: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set prefs: %w", err)
	}
	return nil
}

// SetPref stores one setting.
func (db *DB) SetPref(ctx context.Context, key, value string) error {
	if key == "" {
		return fmt.Errorf("set pref: %w: empty key", learn.ErrInvalid)
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO prefs (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set pref %s: %w", key, err)
	}
	return nil
}
