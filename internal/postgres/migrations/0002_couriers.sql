-- Couriers (docs/sync-protocol.md, "Hubs"): a device of a learner may make
-- one courier, a token that may only push the learner's chunks, for a hub
-- to pass on what the device synced with it. owner is the device that made
-- it (NULL for the learner's own devices); a courier goes with its owner.
ALTER TABLE devices ADD COLUMN owner bytea REFERENCES devices (id) ON DELETE CASCADE;
CREATE INDEX devices_owner ON devices (owner);
