-- deliveries are the attempts to deliver documents by email (SPEC 6): one
-- row per document and attempt. A row is written with status 'sending'
-- before the message goes out and finished after: a row left 'sending' is
-- an attempt a crash interrupted, which may or may not have arrived.
-- channel 'outbox' is a message written as an .eml file instead of sent.
CREATE TABLE deliveries (
	id         INTEGER PRIMARY KEY,
	document   TEXT NOT NULL REFERENCES documents (number),
	channel    TEXT NOT NULL CHECK (channel IN ('smtp', 'outbox')),
	recipients TEXT NOT NULL CHECK (recipients <> ''),
	message_id TEXT NOT NULL CHECK (message_id <> ''),
	started    TEXT NOT NULL CHECK (started GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
	finished   TEXT CHECK (finished GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
	status     TEXT NOT NULL CHECK (status IN ('sending', 'delivered', 'temporary', 'failed')),
	reply      TEXT NOT NULL DEFAULT '',
	CHECK ((status = 'sending') = (finished IS NULL))
) STRICT;
CREATE INDEX deliveries_document ON deliveries (document, id);
