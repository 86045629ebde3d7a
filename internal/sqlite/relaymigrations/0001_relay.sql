-- The sync server's store (relay.Store): learners, devices, sealed chunks,
-- invites and pairing offers. Times are Unix milliseconds. Chunk bodies are
-- sealed by the learner's devices; nothing here is readable learner data.

CREATE TABLE learners (
	id       BLOB PRIMARY KEY,
	created  INTEGER NOT NULL,
	-- last_pos is the last position given to a chunk of the learner:
	-- positions are gap-free and in commit order because they are taken
	-- from this row in the inserting (write) transaction.
	last_pos INTEGER NOT NULL DEFAULT 0,
	-- bytes is the size of the learner's stored chunk bodies (quota).
	bytes    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE devices (
	id         BLOB PRIMARY KEY,
	learner    BLOB NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	created    INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	label      BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX devices_learner ON devices (learner);

CREATE TABLE chunks (
	learner  BLOB NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	pos      INTEGER NOT NULL,
	device   BLOB NOT NULL,
	epoch    BLOB NOT NULL,
	from_seq INTEGER NOT NULL,
	to_seq   INTEGER NOT NULL,
	received INTEGER NOT NULL,
	body     BLOB NOT NULL,
	UNIQUE (learner, pos)
);
CREATE UNIQUE INDEX chunks_stream ON chunks (learner, device, epoch, from_seq);

CREATE TABLE invites (
	hash    BLOB PRIMARY KEY,
	uses    INTEGER NOT NULL,
	expires INTEGER NOT NULL,
	created INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE pairings (
	lookup   TEXT PRIMARY KEY,
	learner  BLOB NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	verifier BLOB NOT NULL,
	blob     BLOB NOT NULL,
	expires  INTEGER NOT NULL,
	tries    INTEGER NOT NULL DEFAULT 0,
	created  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX pairings_learner ON pairings (learner);
