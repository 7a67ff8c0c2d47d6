-- Uploaded plugins. Ids are unique across tenants because the files live in plugins/<id>/ (not per tenant).
-- 0002 is left to the deployments change that claimed it in parallel.
CREATE TABLE plugins (
    id TEXT NOT NULL PRIMARY KEY,
    tenant TEXT NOT NULL,
    created_by TEXT NOT NULL,
    visibility TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    package_name TEXT NOT NULL,
    package_version TEXT,
    package_source TEXT,
    archive_name TEXT NOT NULL,
    distribution TEXT,
    distribution_version TEXT,
    distribution_release TEXT,
    supported_platform TEXT,
    supported_py_versions TEXT,
    wheels TEXT,
    excluded_wheels TEXT,
    title TEXT,
    blueprint_labels TEXT,
    labels TEXT,
    resource_tags TEXT,
    yaml_files TEXT NOT NULL
);

-- Cloudify's plugins_name_version__tenant_id_idx; a missing value counts as a value, so two wagons of the same
-- package without distribution metadata still collide.
CREATE UNIQUE INDEX ux_plugins_package ON plugins (
    tenant, package_name, COALESCE(package_version, ''), COALESCE(distribution, ''),
    COALESCE(distribution_release, ''), COALESCE(distribution_version, ''));

CREATE INDEX ix_plugins_name ON plugins (package_name, archive_name);
CREATE INDEX ix_plugins_tenant ON plugins (tenant, uploaded_at);
