-- Lines say what they bill, so that a settlement can sum what was invoiced
-- of each kind: "fee", "work", "manual", "population", "activities",
-- "surplus", "settlement". Lines recorded before this migration have ''.
ALTER TABLE lines ADD COLUMN kind TEXT NOT NULL DEFAULT '';

-- A year (or period) is settled once.
CREATE UNIQUE INDEX runs_settlement ON runs (scheme, cycle) WHERE kind = 'settlement';
