-- The device's identity and counters: one row.
CREATE TABLE device (
	singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
	id         TEXT    NOT NULL, -- random, made when the database is created
	epoch      TEXT    NOT NULL, -- random, made again when the file is restored or cloned
	next_seq   INTEGER NOT NULL, -- the seq the next event of this epoch gets
	clock      INTEGER NOT NULL, -- the latest hybrid logical clock reading handed out
	file_id    TEXT    NOT NULL  -- which file the epoch belongs to (see fileID)
);

-- The append-only progress log. Rows are never updated or deleted.
CREATE TABLE events (
	device  TEXT    NOT NULL,
	epoch   TEXT    NOT NULL,
	seq     INTEGER NOT NULL,
	clock   INTEGER NOT NULL,
	kind    TEXT    NOT NULL,
	lesson  TEXT    NOT NULL,
	step    TEXT    NOT NULL DEFAULT '',
	answer  TEXT    NOT NULL DEFAULT '', -- chosen ids, space separated
	correct INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (device, epoch, seq)
) WITHOUT ROWID;

-- State derived from the log, written in the same transaction as the events.
CREATE TABLE lesson_state (
	lesson      TEXT    PRIMARY KEY,
	step        TEXT    NOT NULL,
	step_clock  INTEGER NOT NULL,
	step_device TEXT    NOT NULL,
	started     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	completed   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE step_state (
	lesson       TEXT    NOT NULL,
	step         TEXT    NOT NULL,
	attempts     INTEGER NOT NULL,
	correct      INTEGER NOT NULL,
	first_try    INTEGER NOT NULL,
	first_clock  INTEGER NOT NULL,
	first_device TEXT    NOT NULL,
	PRIMARY KEY (lesson, step)
) WITHOUT ROWID;

-- Settings of this device (language, text size, theme). Not synced: they
-- suit the screen they were chosen on.
CREATE TABLE prefs (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
