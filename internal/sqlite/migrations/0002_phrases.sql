-- The learner's English phrase review deck, derived from phrase events.
CREATE TABLE phrase_state (
	lesson  TEXT    NOT NULL,
	step    TEXT    NOT NULL,
	phrase  TEXT    NOT NULL,
	box     INTEGER NOT NULL,
	due     INTEGER NOT NULL, -- Unix milliseconds
	reviews INTEGER NOT NULL,
	last    INTEGER NOT NULL, -- clock of the latest event applied
	PRIMARY KEY (lesson, step, phrase)
) WITHOUT ROWID;
