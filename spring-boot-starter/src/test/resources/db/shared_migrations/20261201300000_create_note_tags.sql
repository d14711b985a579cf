-- migrate:up
CREATE TABLE note_tags (note_id integer NOT NULL REFERENCES notes, tag text NOT NULL);
-- migrate:down
DROP TABLE note_tags;
