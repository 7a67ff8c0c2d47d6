-- Which bodies of cloudify-logs-events a manager reads, so an agent may publish a batch of lines as one message only
-- when every live manager can read it (a manager older than this change drops a JSON array as "not a JSON object").
-- event_wire: 0 = one JSON object per message (Cloudify's shape, and all an older manager reads: its heartbeat does
-- not name the column, so its rows keep the default); 1 = also a JSON array of such objects. event_wire_started_at is
-- the started_at of the run that wrote event_wire: the level holds only while the two are equal, so an older manager
-- restarted under the same id (a rollback) rewrites started_at and falls back to 0 without knowing the columns.
ALTER TABLE managers ADD COLUMN event_wire INTEGER NOT NULL DEFAULT 0;
ALTER TABLE managers ADD COLUMN event_wire_started_at TEXT;
