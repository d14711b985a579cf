-- migrate:up
CREATE TABLE notes (id integer PRIMARY KEY, body no_such_type);
-- migrate:down
DROP TABLE notes;
