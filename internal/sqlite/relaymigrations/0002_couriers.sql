-- Couriers (docs/sync-protocol.md, "Hubs"): a device of a learner may make
-- one courier, a token that may only push the learner's chunks, for a hub
-- to pass on what the device synced with it. owner is the device that made
-- it (NULL for the learner's own devices); a courier goes with its owner.
ALTER TABLE devices ADD COLUMN owner BLOB REFERENCES devices (id) ON DELETE CASCADE;
CREATE INDEX devices_owner ON devices (owner);

-- On a hub: where to pass each learner's chunks on, and with what: the
-- learner's server, its pin, and the courier token their device handed
-- over, sealed by the hub. A central server leaves this table empty.
CREATE TABLE upstreams (
	learner BLOB PRIMARY KEY REFERENCES learners (id) ON DELETE CASCADE,
	server  TEXT NOT NULL,
	pin     TEXT NOT NULL,
	token   BLOB NOT NULL,
	created INTEGER NOT NULL
) WITHOUT ROWID;
