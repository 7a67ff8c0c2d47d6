-- Evidence of a manager's unbroken contact with the database: each heartbeat promises the next one (next_beat_by);
-- contact_since is when the current unbroken chain of beats began (reset by a late beat or a restart). A manager judges
-- another manager's agent gone (and takes over the attempt it claimed) only while its own chain reaches back over the
-- whole silence it judges, so a silence caused by a database outage is never mistaken for a death. 0014 belongs to a
-- parallel change.
ALTER TABLE managers ADD COLUMN next_beat_by TEXT;
ALTER TABLE managers ADD COLUMN contact_since TEXT;
