-- Version 0.2: everything about the learner is sealed at rest (sealed.go).
-- The 0.1 log is kept, renamed, until the app is first unlocked and seals
-- it (legacy.go); the state derived from it is derived again then.
ALTER TABLE events RENAME TO legacy_events;
DROP TABLE lesson_state;
DROP TABLE step_state;
DROP TABLE phrase_state;
DROP TABLE journey_state;

-- The log: each event's body sealed under the device's data key, bound to
-- its id. Ids are random device and epoch ids and a sequence number.
CREATE TABLE sealed_events (
	device TEXT    NOT NULL,
	epoch  TEXT    NOT NULL,
	seq    INTEGER NOT NULL,
	body   BLOB    NOT NULL,
	PRIMARY KEY (device, epoch, seq)
) WITHOUT ROWID;

-- State derived from the log, written in the same transaction as the
-- events: one row per lesson, step, phrase, milestone (and the nickname),
-- named by a keyed hash and sealed, bound to that name.
CREATE TABLE sealed_state (
	id   BLOB PRIMARY KEY,
	body BLOB NOT NULL
) WITHOUT ROWID;

-- This device's events not yet sealed into a chunk for sync: all of them
-- until the learner turns sync on, which then sends the whole record.
CREATE TABLE unsent (
	epoch TEXT    NOT NULL,
	seq   INTEGER NOT NULL,
	PRIMARY KEY (epoch, seq)
) WITHOUT ROWID;

-- Chunks sealed for the sync server and not yet acknowledged. A chunk is
-- sent again byte for byte until it is (sealing it again would give other
-- bytes, which the server takes for a conflict); its sealed bytes are
-- sealed once more under the data key, bound to its range.
CREATE TABLE outbox (
	epoch    TEXT    NOT NULL,
	from_seq INTEGER NOT NULL,
	to_seq   INTEGER NOT NULL,
	body     BLOB    NOT NULL,
	PRIMARY KEY (epoch, from_seq)
) WITHOUT ROWID;
