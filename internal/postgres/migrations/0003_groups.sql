-- Trainers' groups (issue 11): groups, their trainers, join codes and
-- co-trainer offers, learners' memberships with their latest share (a blob
-- sealed to the group's key, which this server never holds), the
-- organisation's anonymised aggregates, and admin tokens (hashes only).
-- No group name, nickname, lesson id or key is stored here.

ALTER TABLE learners ADD COLUMN trainer boolean NOT NULL DEFAULT false;
ALTER TABLE invites ADD COLUMN trainer boolean NOT NULL DEFAULT false;

CREATE TABLE groups (
	id       bytea PRIMARY KEY,
	created  bigint NOT NULL,
	-- last_pos is the last position given to a share of the group: a
	-- share's transaction locks this row and takes the next, so positions
	-- are gap-free and in commit order even with several processes.
	last_pos bigint NOT NULL DEFAULT 0
);

CREATE TABLE group_trainers (
	group_id bytea NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	learner  bytea NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	added    bigint NOT NULL,
	PRIMARY KEY (group_id, learner)
);
CREATE INDEX group_trainers_learner ON group_trainers (learner);

CREATE TABLE join_codes (
	lookup   text PRIMARY KEY,
	group_id bytea NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	verifier bytea NOT NULL,
	blob     bytea NOT NULL,
	expires  bigint NOT NULL,
	revoked  boolean NOT NULL DEFAULT false,
	tries    integer NOT NULL DEFAULT 0,
	created  bigint NOT NULL
);
CREATE INDEX join_codes_group ON join_codes (group_id);

CREATE TABLE members (
	group_id bytea NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	id       bytea NOT NULL,
	learner  bytea NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	joined   bigint NOT NULL,
	pos      bigint NOT NULL DEFAULT 0,
	share    bytea NOT NULL DEFAULT '\x'::bytea,
	PRIMARY KEY (group_id, id),
	UNIQUE (group_id, learner)
);
CREATE INDEX members_learner ON members (learner);
CREATE INDEX members_pos ON members (group_id, pos);

CREATE TABLE trainer_offers (
	lookup   text PRIMARY KEY,
	group_id bytea NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	verifier bytea NOT NULL,
	blob     bytea NOT NULL,
	expires  bigint NOT NULL,
	tries    integer NOT NULL DEFAULT 0,
	created  bigint NOT NULL
);
CREATE INDEX trainer_offers_group ON trainer_offers (group_id);

-- No foreign key: aggregates are the organisation's anonymised history and
-- outlive their group.
CREATE TABLE aggregates (
	period   text NOT NULL,
	group_id bytea NOT NULL,
	body     bytea NOT NULL,
	updated  bigint NOT NULL,
	PRIMARY KEY (period, group_id)
);

CREATE TABLE admin_tokens (
	hash    bytea PRIMARY KEY,
	created bigint NOT NULL
);
