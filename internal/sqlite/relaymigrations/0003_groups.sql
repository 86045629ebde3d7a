-- Trainers' groups (issue 11): groups, their trainers, join codes and
-- co-trainer offers, learners' memberships with their latest share (a blob
-- sealed to the group's key, which this server never holds), the
-- organisation's anonymised aggregates, and admin tokens (hashes only).
-- No group name, nickname, lesson id or key is stored here.

ALTER TABLE learners ADD COLUMN trainer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invites ADD COLUMN trainer INTEGER NOT NULL DEFAULT 0;

CREATE TABLE groups (
	id       BLOB PRIMARY KEY,
	created  INTEGER NOT NULL,
	-- last_pos is the last position given to a share of the group, taken
	-- in the writing transaction: gap-free and in commit order.
	last_pos INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE group_trainers (
	group_id BLOB NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	learner  BLOB NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	added    INTEGER NOT NULL,
	PRIMARY KEY (group_id, learner)
) WITHOUT ROWID;
CREATE INDEX group_trainers_learner ON group_trainers (learner);

CREATE TABLE join_codes (
	lookup   TEXT PRIMARY KEY,
	group_id BLOB NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	verifier BLOB NOT NULL,
	blob     BLOB NOT NULL,
	expires  INTEGER NOT NULL,
	revoked  INTEGER NOT NULL DEFAULT 0,
	tries    INTEGER NOT NULL DEFAULT 0,
	created  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX join_codes_group ON join_codes (group_id);

CREATE TABLE members (
	group_id BLOB NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	id       BLOB NOT NULL,
	learner  BLOB NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
	joined   INTEGER NOT NULL,
	-- pos is the group position of the member's latest share (0: none).
	pos      INTEGER NOT NULL DEFAULT 0,
	share    BLOB NOT NULL DEFAULT x'',
	PRIMARY KEY (group_id, id),
	UNIQUE (group_id, learner)
) WITHOUT ROWID;
CREATE INDEX members_learner ON members (learner);
CREATE INDEX members_pos ON members (group_id, pos);

CREATE TABLE trainer_offers (
	lookup   TEXT PRIMARY KEY,
	group_id BLOB NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	verifier BLOB NOT NULL,
	blob     BLOB NOT NULL,
	expires  INTEGER NOT NULL,
	tries    INTEGER NOT NULL DEFAULT 0,
	created  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX trainer_offers_group ON trainer_offers (group_id);

-- No foreign key: aggregates are the organisation's anonymised history and
-- outlive their group.
CREATE TABLE aggregates (
	period   TEXT NOT NULL,
	group_id BLOB NOT NULL,
	body     BLOB NOT NULL,
	updated  INTEGER NOT NULL,
	PRIMARY KEY (period, group_id)
) WITHOUT ROWID;

CREATE TABLE admin_tokens (
	hash    BLOB PRIMARY KEY,
	created INTEGER NOT NULL
) WITHOUT ROWID;
