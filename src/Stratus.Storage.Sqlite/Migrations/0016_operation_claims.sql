-- An agent claims an operation attempt before running it (PATCH /operations/{id} with state started and the
-- attempt): the attempt it claimed, an id of the claiming agent process, and when. A second delivery of the same
-- attempt finds it claimed and is dropped, so an operation runs once however often the broker delivers it. A claim
-- by a manager's own agent (manager_name set) may be taken over once that manager is gone. 0014 belongs to a parallel
-- change.
ALTER TABLE operations ADD COLUMN claimed_attempt INTEGER;
ALTER TABLE operations ADD COLUMN claimed_by TEXT;
ALTER TABLE operations ADD COLUMN claimed_at TEXT;
