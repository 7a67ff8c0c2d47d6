-- The attempt an operation row's state belongs to. Every write of a state carries its attempt and is a compare-and-set
-- (a later attempt replaces the row; the same attempt only moves forward and never leaves an end), so the engine's
-- batched "sent" cannot overwrite an agent's "started", and a claim of an attempt whose end the engine recorded is
-- refused. Rows written before this change get the attempt their claim implies (a row pending or sending after a claim
-- waits for the next attempt).
ALTER TABLE operations ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
UPDATE operations SET attempt = claimed_attempt + CASE WHEN state IN ('pending', 'sending') THEN 1 ELSE 0 END
WHERE claimed_attempt IS NOT NULL;
