-- migrate:up
CREATE TABLE tenants (id text PRIMARY KEY);
-- migrate:down
DROP TABLE tenants;
