-- The sync server's store (relay.Store): learners, devices, sealed chunks,
-- invites and pairing offers. Times are Unix milliseconds. Chunk bodies are
-- sealed by the learner's devices; nothing here is readable learner data.

CREATE TABLE learners (
	id       bytea PRIMARY KEY,
	created  bigint NOT NULL,
	-- last_pos is the last position given to a chunk of the learner. A
	-- push locks this row and takes positions from it in its own
	-- transaction, so positions are gap-free and in commit order per
	-- learner even with several server processes (a sequence is not).
	last_pos bigint NOT NULL DEFAULT 0,
	-- bytes is the size of the learner's stored chunk bodies (quota).
	bytes    bigint NOT NULL DEFAULT 0
);

CREATE TABLE devices (
	id         bytea PRIMARY KEY,
	learner    bytea NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	token_hash bytea NOT NULL UNIQUE,
	created    bigint NOT NULL,
	last_seen  bigint NOT NULL,
	label      bytea NOT NULL
);
CREATE INDEX devices_learner ON devices (learner);

CREATE TABLE chunks (
	learner  bytea NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	pos      bigint NOT NULL,
	device   bytea NOT NULL,
	epoch    bytea NOT NULL,
	from_seq bigint NOT NULL,
	to_seq   bigint NOT NULL,
	received bigint NOT NULL,
	body     bytea NOT NULL,
	PRIMARY KEY (learner, pos)
);
CREATE UNIQUE INDEX chunks_stream ON chunks (learner, device, epoch, from_seq);

CREATE TABLE invites (
	hash    bytea PRIMARY KEY,
	uses    integer NOT NULL,
	expires bigint NOT NULL,
	created bigint NOT NULL
);

CREATE TABLE pairings (
	lookup   text PRIMARY KEY,
	learner  bytea NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	verifier bytea NOT NULL,
	blob     bytea NOT NULL,
	expires  bigint NOT NULL,
	tries    integer NOT NULL DEFAULT 0,
	created  bigint NOT NULL
);
CREATE INDEX pairings_learner ON pairings (learner);
