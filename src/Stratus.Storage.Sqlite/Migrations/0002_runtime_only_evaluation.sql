-- Cloudify's deployments.runtime_only_evaluation: functions stay raw in the stored nodes and are evaluated on read.
ALTER TABLE deployments ADD COLUMN runtime_only_evaluation INTEGER NOT NULL DEFAULT 0;
