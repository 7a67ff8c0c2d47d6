-- An agent's own REST credential (issue 5, agents installed over SSH): PUT /agents/{name} with create_rest_token
-- answers once with a random token; only its SHA-256 is kept here. It authenticates the agent's own registration
-- and heartbeat calls only, and is cleared when the agent is marked deleted (the row goes with its host instance).
ALTER TABLE agents ADD COLUMN token_hash TEXT;
CREATE UNIQUE INDEX ux_agents_token_hash ON agents (token_hash) WHERE token_hash IS NOT NULL;
