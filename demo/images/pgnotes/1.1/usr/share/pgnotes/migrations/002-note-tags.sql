-- pgnotes schema 2: every note has a tag. Notes written before get 'untagged' (a constant
-- default: PostgreSQL adds the column without rewriting the table). Idempotent.
SELECT pg_advisory_xact_lock(7264683);

ALTER TABLE notes ADD COLUMN IF NOT EXISTS tag text NOT NULL DEFAULT 'untagged';
UPDATE pgnotes_meta SET value = '2' WHERE key = 'schema_version' AND value::int < 2;
