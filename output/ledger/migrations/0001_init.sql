-- The first schema of the ledger. Money is INTEGER cents, decimals are TEXT
-- ("25.5"), dates are TEXT YYYY-MM-DD, times are TEXT RFC 3339 in UTC.

-- runs are the committed runs; id is the run number, 1, 2, 3… across the
-- whole ledger. folder is the run's output folder relative to the output
-- root, slash-separated.
CREATE TABLE runs (
	id         INTEGER PRIMARY KEY CHECK (id >= 1),
	scheme     TEXT NOT NULL CHECK (scheme <> ''),
	cycle      TEXT NOT NULL CHECK (cycle <> ''),
	kind       TEXT NOT NULL CHECK (kind IN ('regular', 'correction', 'settlement')),
	issue_date TEXT NOT NULL CHECK (issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	created    TEXT NOT NULL CHECK (created GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
	folder     TEXT NOT NULL CHECK (folder <> '')
) STRICT;

-- A cycle is invoiced once: a second regular run of it cannot be recorded.
CREATE UNIQUE INDEX runs_regular_cycle ON runs (scheme, cycle) WHERE kind = 'regular';

-- run_inputs are the files a run read, with their SHA-256s.
CREATE TABLE run_inputs (
	run      INTEGER NOT NULL REFERENCES runs (id),
	position INTEGER NOT NULL CHECK (position >= 1),
	role     TEXT NOT NULL,
	path     TEXT NOT NULL,
	sha256   TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
	PRIMARY KEY (run, position)
) STRICT;

-- series holds the last sequence number used in each scheme's series of a
-- calendar year.
CREATE TABLE series (
	scheme TEXT NOT NULL,
	year   INTEGER NOT NULL CHECK (year BETWEEN 1000 AND 9999),
	last   INTEGER NOT NULL CHECK (last BETWEEN 1 AND 999999),
	PRIMARY KEY (scheme, year)
) STRICT;

-- documents are the invoices and credit notes, numbered PREFIX-YYYY-NNNNNN.
CREATE TABLE documents (
	number      TEXT PRIMARY KEY CHECK (substr(number, -12) = printf('-%04d-%06d', year, seq)),
	scheme      TEXT NOT NULL,
	year        INTEGER NOT NULL CHECK (year BETWEEN 1000 AND 9999),
	seq         INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 999999),
	run         INTEGER NOT NULL REFERENCES runs (id),
	type        TEXT NOT NULL CHECK (type IN ('invoice', 'credit_note')),
	payer       TEXT NOT NULL,
	payer_name  TEXT NOT NULL,
	lang        TEXT NOT NULL,
	issue_date  TEXT NOT NULL CHECK (issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND substr(issue_date, 1, 4) = printf('%04d', year)),
	due_date    TEXT CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	period_from TEXT NOT NULL CHECK (period_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	period_to   TEXT NOT NULL CHECK (period_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	reference   TEXT NOT NULL CHECK (reference <> '' AND reference NOT GLOB '*[^0-9]*'),
	credits     TEXT REFERENCES documents (number),
	reason      TEXT NOT NULL,
	net         INTEGER NOT NULL,
	vat         INTEGER NOT NULL,
	total       INTEGER NOT NULL,
	pdf         TEXT NOT NULL,
	UNIQUE (scheme, year, seq),
	CHECK (total = net + vat),
	CHECK ((type = 'invoice') = (due_date IS NOT NULL)),
	CHECK (credits IS NULL OR type = 'credit_note')
) STRICT;

-- A credit note carries the reference of the invoice it credits, so
-- references are unique among invoices only (across all schemes).
CREATE UNIQUE INDEX documents_invoice_reference ON documents (reference) WHERE type = 'invoice';
CREATE INDEX documents_run ON documents (run);
CREATE INDEX documents_credits ON documents (credits) WHERE credits IS NOT NULL;

-- lines are a document's lines, in order.
CREATE TABLE lines (
	document    TEXT NOT NULL REFERENCES documents (number),
	position    INTEGER NOT NULL CHECK (position >= 1),
	description TEXT NOT NULL,
	basis       TEXT NOT NULL,
	quantity    TEXT NOT NULL,
	unit        TEXT NOT NULL,
	unit_price  INTEGER NOT NULL,
	vat_rate    TEXT NOT NULL,
	net         INTEGER NOT NULL,
	PRIMARY KEY (document, position)
) STRICT;
