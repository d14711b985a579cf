-- migrate:up
CREATE TABLE tenants (id text PRIMARY KEY);
COMMENT ON TABLE tenants IS '${greeting}';
-- migrate:down
DROP TABLE tenants;
