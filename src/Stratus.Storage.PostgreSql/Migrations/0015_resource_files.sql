-- Uploaded files live in the database (issue 5): managers with different data folders serve the same blueprints and
-- plugins, and a failed upload leaves nothing because the files are written in the transaction of the resource's row.
-- One row per file (its tree: tenant, kind, owner id; its path; size and SHA-256; the generation of the upload, which
-- changes with each upload of an id so a manager's local copy of an older upload is known to be stale) and its
-- content in 1 MiB chunks, so a wagon of hundreds of MB never travels as one value. The local resources folder is a
-- cache of these rows. 0012-0014 belong to parallel changes.
CREATE TABLE resource_files (
    id text PRIMARY KEY,
    tenant text NOT NULL,
    kind text NOT NULL,
    owner_id text NOT NULL,
    generation text NOT NULL,
    path text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_resource_files_path ON resource_files (kind, owner_id, tenant, path);

CREATE TABLE resource_file_chunks (
    file_id text NOT NULL REFERENCES resource_files (id) ON DELETE CASCADE,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (file_id, seq)
);

-- Values every manager of one database must agree on, recorded by the first one to start (the encryption key's
-- check value: an HMAC of a fixed label under the key, never the key).
CREATE TABLE cluster_settings (
    name text PRIMARY KEY,
    value text NOT NULL
);

-- Wagons and archives are already compressed: keep chunks out of line without a second compression pass.
ALTER TABLE resource_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
