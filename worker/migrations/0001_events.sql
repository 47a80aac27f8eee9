-- One row per verified event. A provider's repeated delivery has the same
-- dedupe_key and is not stored again (INSERT ... ON CONFLICT DO NOTHING).
-- The keys (worker/README.md, "Routes", has the full table):
--   provider        dedupe_key
--   hitpay          "<payment_id>:<status>" (each signed state of a payment)
--   hitpay-event    the object id and SHA-256 of the signed body ("<id>:<sha256>")
--   hapi            the issued URL's cbid (one event per issued URL)
--   smart-router    the Smart Router event id
--   payex-callback  SHA-256 of the order reference and body (a recorded callback)
--   payex           what the follow-up GET confirmed: "transaction:<number>:order:<ref>", …
CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  provider    TEXT NOT NULL,
  dedupe_key  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,   -- JSON: what was verified and parsed
  received_at TEXT NOT NULL,   -- ISO 8601, UTC
  fetched     TEXT,            -- the follow-up GET's answer (Smart Router, PayEx), once fetched
  fetched_at  TEXT,
  fetch_error TEXT,            -- the last failed follow-up attempt, until one succeeds
  UNIQUE (provider, dedupe_key)
);
