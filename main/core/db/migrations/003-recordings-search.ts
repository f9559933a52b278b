import type { Migration } from '../migration.ts';

/**
 * Full-text search over the identifiers and words a compliance officer types: remote, session,
 * call and user ids, the provider's file name, phone numbers, notes and tags.
 *
 * Trigram tokenizer: ids (rec_…, call_<uuid>) and phone numbers are searched by any fragment,
 * not only by word prefix, which is what search-as-you-type needs; it is case- and
 * diacritic-insensitive. Phone numbers are indexed both as given and as digits only, so
 * "555-123-4567" finds "+15551234567". Contentless (the values live in recordings) with
 * contentless_delete so triggers can delete by rowid without replaying the old values.
 */
export const recordingsSearchMigration: Migration = {
  version: 3,
  name: 'recordings-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE recordings_fts USING fts5 (
        ids, file_name, phones, notes, tags,
        content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
      );
    `);
    // The FTS document of the row being written, in recordings_fts column order.
    const newDocument = `
      new.id,
      concat_ws(' ', new.remote_id, new.session_id, new.call_id, new.user_id),
      coalesce(new.provider_file_name, ''),
      (SELECT coalesce(group_concat(value || ' ' || ${digitsOnly('value')}, ' '), '')
         FROM json_each(new.phone_numbers)),
      new.notes,
      (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.tags))`;
    db.exec(`
      CREATE TRIGGER recordings_fts_insert AFTER INSERT ON recordings BEGIN
        INSERT INTO recordings_fts (rowid, ids, file_name, phones, notes, tags)
        VALUES (${newDocument});
      END;

      CREATE TRIGGER recordings_fts_update
      AFTER UPDATE OF remote_id, session_id, call_id, user_id, provider_file_name,
                      phone_numbers, notes, tags ON recordings
      -- Discovery rewrites these columns with the same values; skip the FTS churn then.
      WHEN old.remote_id IS NOT new.remote_id OR old.session_id IS NOT new.session_id
        OR old.call_id IS NOT new.call_id OR old.user_id IS NOT new.user_id
        OR old.provider_file_name IS NOT new.provider_file_name
        OR old.phone_numbers IS NOT new.phone_numbers OR old.notes IS NOT new.notes
        OR old.tags IS NOT new.tags
      BEGIN
        DELETE FROM recordings_fts WHERE rowid = old.id;
        INSERT INTO recordings_fts (rowid, ids, file_name, phones, notes, tags)
        VALUES (${newDocument});
      END;

      CREATE TRIGGER recordings_fts_delete AFTER DELETE ON recordings BEGIN
        DELETE FROM recordings_fts WHERE rowid = old.id;
      END;
    `);
  },
};

/** SQL expression stripping the separators people type in phone numbers. */
function digitsOnly(expression: string): string {
  let sql = expression;
  for (const separator of ['+', ' ', '-', '(', ')', '.', '/']) {
    sql = `replace(${sql}, '${separator}', '')`;
  }
  return sql;
}
