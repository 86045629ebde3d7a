-- Journey events carry a milestone and a value (a date, or a sealed note
-- or title: never plain text).
ALTER TABLE events ADD COLUMN target TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN data   TEXT NOT NULL DEFAULT '';

-- A milestone's state, derived from its events (JSON of learn.MilestoneState).
CREATE TABLE journey_state (
	id    TEXT PRIMARY KEY,
	state TEXT NOT NULL
) WITHOUT ROWID;
