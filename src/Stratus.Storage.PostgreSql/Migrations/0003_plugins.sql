-- Uploaded plugins. Ids are unique across tenants because the files live in plugins/<id>/ (not per tenant).
-- 0002 is left to the deployments change that claimed it in parallel.
CREATE TABLE plugins (
    id text NOT NULL PRIMARY KEY,
    tenant text NOT NULL,
    created_by text NOT NULL,
    visibility text NOT NULL,
    uploaded_at timestamptz NOT NULL,
    package_name text NOT NULL,
    package_version text,
    package_source text,
    archive_name text NOT NULL,
    distribution text,
    distribution_version text,
    distribution_release text,
    supported_platform json,
    supported_py_versions json,
    wheels json,
    excluded_wheels json,
    title text,
    blueprint_labels json,
    labels json,
    resource_tags json,
    yaml_files json NOT NULL
);

-- Cloudify's plugins_name_version__tenant_id_idx; a missing value counts as a value, so two wagons of the same
-- package without distribution metadata still collide.
CREATE UNIQUE INDEX ux_plugins_package ON plugins (
    tenant, package_name, COALESCE(package_version, ''), COALESCE(distribution, ''),
    COALESCE(distribution_release, ''), COALESCE(distribution_version, ''));

CREATE INDEX ix_plugins_name ON plugins (package_name, archive_name);
CREATE INDEX ix_plugins_tenant ON plugins (tenant, uploaded_at);
