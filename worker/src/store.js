// D1 storage (schema: worker/migrations). One row per event, unique per
// (provider, dedupe_key): a repeated delivery inserts nothing and is reported
// as a duplicate, however many copies arrive at once.

/**
 * Stores a verified event. Returns `{ id, duplicate }`; `id` is null for a duplicate.
 * @param {D1Database} db
 * @param {{ provider: string, key: string, kind: string, payload: unknown, fetched?: string }} event
 *   `fetched`: for an event made from a follow-up's answer (PayEx), that answer.
 */
export async function insertEvent(db, { provider, key, kind, payload, fetched = null }) {
  const now = new Date().toISOString();
  const row = await db
    .prepare(
      `INSERT INTO events (provider, dedupe_key, kind, payload, received_at, fetched, fetched_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (provider, dedupe_key) DO NOTHING
       RETURNING id`,
    )
    .bind(provider, key, kind, JSON.stringify(payload), now, fetched, fetched === null ? null : now)
    .first();
  return row ? { id: row.id, duplicate: false } : { id: null, duplicate: true };
}

/** Undoes an insert whose follow-up could not be queued, so that the provider's retry stores it again. */
export async function deleteEvent(db, id) {
  await db.prepare('DELETE FROM events WHERE id = ?1').bind(id).run();
}

/** Stores what a follow-up fetched (idempotent: a retried message overwrites). */
export async function saveFetched(db, { provider, key }, fetched) {
  await db
    .prepare(
      `UPDATE events SET fetched = ?3, fetched_at = ?4, fetch_error = NULL
       WHERE provider = ?1 AND dedupe_key = ?2`,
    )
    .bind(provider, key, fetched, new Date().toISOString())
    .run();
}

/** Notes a failed follow-up attempt (the message is retried; this is for GET /events). */
export async function saveFetchError(db, { provider, key }, error) {
  await db
    .prepare('UPDATE events SET fetch_error = ?3 WHERE provider = ?1 AND dedupe_key = ?2')
    .bind(provider, key, error)
    .run();
}

/** Newest first; `before` (an id or null): only older events. */
export async function listEvents(db, { provider, limit, before = null }) {
  const { results } = await db
    .prepare(
      `SELECT id, provider, dedupe_key, kind, payload, received_at, fetched, fetched_at, fetch_error
       FROM events WHERE (?1 IS NULL OR provider = ?1) AND (?3 IS NULL OR id < ?3)
       ORDER BY id DESC LIMIT ?2`,
    )
    .bind(provider, limit, before)
    .all();
  return results.map((r) => ({
    id: r.id,
    provider: r.provider,
    key: r.dedupe_key,
    kind: r.kind,
    receivedAt: r.received_at,
    payload: JSON.parse(r.payload),
    fetched: r.fetched === null ? null : parseMaybeJson(r.fetched),
    fetchedAt: r.fetched_at,
    fetchError: r.fetch_error,
  }));
}

function parseMaybeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
