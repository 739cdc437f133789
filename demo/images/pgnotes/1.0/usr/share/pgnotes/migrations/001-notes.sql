-- pgnotes schema 1: notes and the marker. Idempotent; run in one transaction at every start.
SELECT pg_advisory_xact_lock(7264683);  -- two app tasks starting at once migrate one after the other

CREATE TABLE IF NOT EXISTS notes (
  id         bigserial PRIMARY KEY,
  body       text NOT NULL CHECK (body <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row: the text the recipe-ci marker endpoint keeps.
CREATE TABLE IF NOT EXISTS marker (
  id         int PRIMARY KEY CHECK (id = 1),
  body       text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS pgnotes_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO pgnotes_meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING;
