-- Lines say what they bill, so that a settlement can sum what was invoiced
-- of each kind: "fee", "work", "manual", "population", "activities",
-- "surplus", "settlement". Lines recorded before this migration have ''.
ALTER TABLE lines ADD COLUMN kind TEXT NOT NULL DEFAULT '';

-- A document's role says what it does to a payer's cycle: '' an invoice of a
-- regular run; 'credit' a credit note crediting an invoice in full;
-- 'replacement' an invoice replacing a credited one; 'difference' an
-- invoice or credit note for the difference only; 'surplus' and
-- 'settlement' a settlement's. refers is the invoice a correction's
-- document corrects.
ALTER TABLE documents ADD COLUMN role TEXT NOT NULL DEFAULT ''
	CHECK (role IN ('', 'credit', 'replacement', 'difference', 'surplus', 'settlement'));
ALTER TABLE documents ADD COLUMN refers TEXT REFERENCES documents (number);

-- A year (or period) is settled once.
CREATE UNIQUE INDEX runs_settlement ON runs (scheme, cycle) WHERE kind = 'settlement';
