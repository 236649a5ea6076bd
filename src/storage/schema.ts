/**
 * The versioned schema. `PRAGMA user_version` holds the version; each entry of
 * MIGRATIONS moves a database from version i to i + 1 inside one transaction.
 * Dates are ISO text (`YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS`) so that they
 * sort, range-scan through indexes and read well in `stayaudit query`.
 */
/** The persons' document-number index: an import of mostly new persons builds it afresh. */
export const PERSONS_DOCUMENT_INDEX = 'CREATE INDEX persons_document ON persons(document_no)';

/** The identity columns findings_detail adds to a finding (schema 1 on). */
const PERSON_COLUMNS = ['person_id', 'document_no', 'surname', 'given_names', 'birth_date', 'sex'] as const;

/**
 * Key names of detail texts stored as one control character each in finding_details
 * (schema 7): character i + 1 stands for FINDING_DETAIL_KEYS[i]. JSON.stringify writes
 * every control character inside a string as an escape, so a stored text holds one
 * only where it replaced a key, and decoding gives back the very same text. Appending a
 * key needs a migration (stored texts do not hold it encoded); never reorder.
 */
export const FINDING_DETAIL_KEYS: readonly string[] = ['"deadline":', '"workingDays":', '"notifiedOn":', '"registeredFrom":', '"hostId":', '"hostName":'];

const sqlText = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** SQL that turns a detail text into its stored form. */
function sqlEncodeDetail(column: string): string {
  return FINDING_DETAIL_KEYS.reduce((sql, key, i) => `replace(${sql}, ${sqlText(key)}, char(${i + 1}))`, column);
}

/** SQL that turns a stored detail text back into the text. */
function sqlDecodeDetail(column: string): string {
  return FINDING_DETAIL_KEYS.reduce((sql, key, i) => `replace(${sql}, char(${i + 1}), ${sqlText(key)})`, column);
}

/** persons (schema 1) and persons_recent (schema 8): the same columns and key. */
function personsTable(name: string): string {
  return `CREATE TABLE ${name} (
    person_key    TEXT PRIMARY KEY,
    person_id     TEXT,
    citizenship   TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    surname       TEXT,
    given_names   TEXT,
    birth_date    TEXT,
    sex           TEXT
  ) WITHOUT ROWID`;
}

/** crossings (schema 1) and crossings_recent (schema 8): the same columns and key. */
function crossingsTable(name: string): string {
  return `CREATE TABLE ${name} (
    person_key    TEXT NOT NULL,
    crossed_at    TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('IN', 'OUT')),
    citizenship   TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    checkpoint    TEXT,
    import_id     INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    PRIMARY KEY (person_key, crossed_at, direction)
  ) WITHOUT ROWID`;
}

/** The stays view over `crossings` (a table, or schema 8's union with crossings_recent). */
function staysView(crossings: string): string {
  return `CREATE VIEW stays AS
  SELECT person_key, citizenship, document_no,
         substr(crossed_at, 1, 10) AS entry_date,
         CASE WHEN next_direction = 'OUT' THEN substr(next_at, 1, 10) END AS exit_date,
         checkpoint AS entry_checkpoint,
         CASE WHEN next_direction = 'OUT' THEN next_checkpoint END AS exit_checkpoint
  FROM (
    SELECT c.*,
           lead(direction)  OVER w AS next_direction,
           lead(crossed_at) OVER w AS next_at,
           lead(checkpoint) OVER w AS next_checkpoint
    FROM ${crossings} c
    WINDOW w AS (PARTITION BY person_key ORDER BY crossed_at, direction)
  )
  WHERE direction = 'IN'`;
}

export const MIGRATIONS: readonly string[] = [
  // 0 -> 1: the base schema.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  -- Key of the --mask pseudonyms: stable within this database, useless outside it.
  INSERT INTO meta (key, value) VALUES ('mask_secret', lower(hex(randomblob(16))));

  CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    dataset       TEXT NOT NULL,
    file          TEXT NOT NULL,
    checksum      TEXT NOT NULL,
    bytes         INTEGER NOT NULL DEFAULT 0,
    encoding      TEXT,
    delimiter     TEXT,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    added         INTEGER NOT NULL,
    updated       INTEGER NOT NULL DEFAULT 0,
    duplicate     INTEGER NOT NULL,
    rejected      INTEGER NOT NULL
  );
  CREATE INDEX imports_checksum ON imports(checksum);

  ${personsTable('persons')};
  ${PERSONS_DOCUMENT_INDEX};

  -- Clustered by person and time: the audit reads every timeline in one ordered pass,
  -- and the primary key is also what makes a re-imported crossing a duplicate.
  ${crossingsTable('crossings')};

  -- The other datasets are clustered by person too, for the same ordered audit scan;
  -- content_hash (of all values) in the key is what makes a re-imported row a duplicate.
  CREATE TABLE registrations (
    person_key       TEXT NOT NULL,
    registered_from  TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    person_id        TEXT,
    citizenship      TEXT NOT NULL,
    document_no      TEXT NOT NULL,
    registered_until TEXT,
    notified_on      TEXT,
    address          TEXT,
    host_id          TEXT,
    host_name        TEXT,
    import_id        INTEGER NOT NULL,
    line             INTEGER NOT NULL,
    PRIMARY KEY (person_key, registered_from, content_hash)
  ) WITHOUT ROWID;

  -- A permit is identified by its number and holder: a later export replaces it.
  CREATE TABLE permits (
    person_key    TEXT NOT NULL,
    permit_no     TEXT NOT NULL,
    person_id     TEXT,
    citizenship   TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('trp', 'visa')),
    ground        TEXT,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'annulled')),
    revoked_on    TEXT,
    address       TEXT,
    host_id       TEXT,
    content_hash  TEXT NOT NULL,
    import_id     INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    PRIMARY KEY (person_key, permit_no)
  ) WITHOUT ROWID;

  CREATE TABLE expulsions (
    person_key    TEXT NOT NULL,
    decided_on    TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    person_id     TEXT,
    citizenship   TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    expelled_on   TEXT,
    ban_years     INTEGER,
    reason        TEXT,
    import_id     INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    PRIMARY KEY (person_key, decided_on, content_hash)
  ) WITHOUT ROWID;

  CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    as_of            TEXT NOT NULL,
    ruleset_name     TEXT NOT NULL,
    ruleset_checksum TEXT NOT NULL,
    ruleset_json     TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL,
    persons          INTEGER NOT NULL,
    stays            INTEGER NOT NULL,
    findings         INTEGER NOT NULL,
    counts_json      TEXT NOT NULL
  );

  CREATE TABLE findings (
    run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id               INTEGER NOT NULL,
    person_key       TEXT NOT NULL,
    citizenship      TEXT NOT NULL,
    rule             TEXT NOT NULL,
    regime           TEXT,
    entry_date       TEXT,
    exit_date        TEXT,
    first_day        TEXT,
    last_lawful_day  TEXT,
    days             INTEGER NOT NULL,
    status           TEXT,
    entry_checkpoint TEXT,
    host_id          TEXT,
    detail           TEXT NOT NULL,
    PRIMARY KEY (run_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX findings_person ON findings(person_key, run_id);
  CREATE INDEX findings_rule ON findings(run_id, rule);

  -- Expected departures per run, pre-aggregated by the audit (SPEC §4).
  CREATE TABLE run_departures (
    run_id               INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    citizenship          TEXT NOT NULL,
    checkpoint           TEXT NOT NULL,
    authorised_until     TEXT NOT NULL,
    expected             INTEGER NOT NULL,
    overstays_departed   INTEGER NOT NULL,
    overstays_in_country INTEGER NOT NULL,
    PRIMARY KEY (run_id, citizenship, checkpoint, authorised_until)
  ) WITHOUT ROWID;

  -- Crossings up to the as-of date per day, counted by the audit as it reads them, so
  -- that statistics over any period need no scan of the crossings.
  CREATE TABLE run_crossing_days (
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    citizenship  TEXT NOT NULL,
    checkpoint   TEXT NOT NULL,
    day          TEXT NOT NULL,
    entries      INTEGER NOT NULL,
    exits        INTEGER NOT NULL,
    PRIMARY KEY (run_id, citizenship, checkpoint, day)
  ) WITHOUT ROWID;

  -- Distinct persons with an entry per calendar year ('2024') and month ('2024-03'),
  -- by grouping ('total', 'citizenship', 'checkpoint'): distinct counts do not add up.
  CREATE TABLE run_persons_entered (
    run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    grouping  TEXT NOT NULL,
    key       TEXT NOT NULL,
    persons   INTEGER NOT NULL,
    PRIMARY KEY (run_id, period, grouping, key)
  ) WITHOUT ROWID;

  -- Stays as pairs of crossings (IN then the next OUT), without verdicts: for analysts.
  ${staysView('crossings')};

  -- Findings with the identity of the person, for analysts.
  CREATE VIEW findings_detail AS
  SELECT f.*, p.person_id, p.document_no, p.surname, p.given_names, p.birth_date, p.sex
  FROM findings f LEFT JOIN persons p ON p.person_key = f.person_key;
  `,
  // 1 -> 2: a run's findings by person as (run_id, person_key). The audit writes a run's
  // findings in person-key order, so this index grows at its end; (person_key, run_id)
  // took them all over the index, which made writing a run slower with every run kept
  // (69,000 findings: 0.73 s of inserts and 1.1 s of commit with 17 runs kept).
  `
  DROP INDEX IF EXISTS findings_person;
  CREATE INDEX IF NOT EXISTS findings_run_person ON findings(run_id, person_key);
  `,
  // 2 -> 3: rejected rows are kept with their import (in its transaction), so a rejects
  // report can be written again after a crash, and nightly knows which it has published.
  `
  CREATE TABLE import_rejects (
    import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    raw        TEXT NOT NULL  -- JSON array: the cells as read, under the file's header
  );
  CREATE INDEX import_rejects_import ON import_rejects(import_id, line);
  CREATE TABLE import_reject_headers (
    import_id  INTEGER PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,
    header     TEXT NOT NULL  -- JSON array of the file's header names
  );
  -- Imports whose rejects a nightly job has published in a report set.
  CREATE TABLE nightly_rejects_published (
    import_id  INTEGER PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,
    published_at TEXT NOT NULL
  );
  `,
  // 3 -> 4: compact findings. A findings-heavy year stored 655,000 findings a run at
  // about 240 bytes each (160 MB a run), most of it ISO dates, repeated words and the
  // detail JSON. Now: days as day numbers (days since 1970-01-01), words (rule, regime,
  // status, checkpoint) as ids into finding_words, each distinct detail text stored
  // once in finding_details (shared by the runs that use it; first_run..last_run say
  // which may, so pruning runs can drop the texts no kept run can use), and no
  // secondary index: the key is (run_id, person_key, id), which a run appends to in
  // order (ids follow key order) and which finds a person's findings in a run.
  // `findings` becomes a view that presents exactly the columns it had.
  `
  CREATE TABLE finding_words (
    id    INTEGER PRIMARY KEY,
    word  TEXT NOT NULL UNIQUE
  );
  CREATE TABLE finding_details (
    id         INTEGER PRIMARY KEY,
    hash       INTEGER NOT NULL,
    first_run  INTEGER NOT NULL,
    last_run   INTEGER NOT NULL,
    detail     TEXT NOT NULL
  );
  CREATE INDEX finding_details_hash ON finding_details(hash);
  CREATE TABLE finding_rows (
    run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id               INTEGER NOT NULL,
    person_key       TEXT NOT NULL,
    citizenship      TEXT NOT NULL,
    rule             INTEGER NOT NULL,
    regime           INTEGER,
    entry_day        INTEGER,
    exit_day         INTEGER,
    first_day        INTEGER,
    last_lawful_day  INTEGER,
    days             INTEGER NOT NULL,
    status           INTEGER,
    entry_checkpoint INTEGER,
    host_id          TEXT,
    detail           INTEGER NOT NULL,
    PRIMARY KEY (run_id, person_key, id)
  ) WITHOUT ROWID;

  INSERT INTO finding_words (word)
    SELECT rule FROM findings UNION SELECT regime FROM findings WHERE regime IS NOT NULL
    UNION SELECT status FROM findings WHERE status IS NOT NULL
    UNION SELECT entry_checkpoint FROM findings WHERE entry_checkpoint IS NOT NULL;
  -- Texts moved from an older schema get hash 0: a later run that finds the same text
  -- stores it again (nothing is lost; they go when their runs are pruned).
  INSERT INTO finding_details (hash, first_run, last_run, detail)
    SELECT 0, min(run_id), max(run_id), detail FROM findings GROUP BY detail;
  CREATE INDEX finding_details_moved ON finding_details(detail) WHERE hash = 0;
  INSERT INTO finding_rows
    SELECT f.run_id, f.id, f.person_key, f.citizenship,
           (SELECT id FROM finding_words WHERE word = f.rule),
           (SELECT id FROM finding_words WHERE word = f.regime),
           unixepoch(f.entry_date) / 86400, unixepoch(f.exit_date) / 86400,
           unixepoch(f.first_day) / 86400, unixepoch(f.last_lawful_day) / 86400,
           f.days,
           (SELECT id FROM finding_words WHERE word = f.status),
           (SELECT id FROM finding_words WHERE word = f.entry_checkpoint),
           f.host_id,
           (SELECT id FROM finding_details WHERE hash = 0 AND detail = f.detail)
    FROM findings f ORDER BY f.run_id, f.person_key, f.id;
  DROP INDEX finding_details_moved;
  DROP VIEW findings_detail;
  DROP TABLE findings;

  CREATE VIEW findings AS
  SELECT f.run_id, f.id, f.person_key, f.citizenship,
         (SELECT word FROM finding_words WHERE id = f.rule) AS rule,
         (SELECT word FROM finding_words WHERE id = f.regime) AS regime,
         date(f.entry_day * 86400, 'unixepoch') AS entry_date,
         date(f.exit_day * 86400, 'unixepoch') AS exit_date,
         date(f.first_day * 86400, 'unixepoch') AS first_day,
         date(f.last_lawful_day * 86400, 'unixepoch') AS last_lawful_day,
         f.days,
         (SELECT word FROM finding_words WHERE id = f.status) AS status,
         (SELECT word FROM finding_words WHERE id = f.entry_checkpoint) AS entry_checkpoint,
         f.host_id,
         (SELECT detail FROM finding_details WHERE id = f.detail) AS detail
  FROM finding_rows f;

  CREATE VIEW findings_detail AS
  SELECT f.*, p.person_id, p.document_no, p.surname, p.given_names, p.birth_date, p.sex
  FROM findings f LEFT JOIN persons p ON p.person_key = f.person_key;
  `,
  // 4 -> 5: why rows were rejected, per import: the reason with its values left out
  // (rows, and the first line met), for the HTML report's data quality (issue 15).
  `
  CREATE TABLE IF NOT EXISTS import_rejections (
    import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    first_line  INTEGER NOT NULL,
    PRIMARY KEY (import_id, reason)
  ) WITHOUT ROWID;
  `,
  // 5 -> 6 (issue 15): entries whose stay has a recorded exit, per crossing cell (NULL
  // for runs stored before: unknown, not zero); and the per-reason summary of rejects
  // goes, since import_rejects already holds every rejected row with its reason.
  `
  ALTER TABLE run_crossing_days ADD COLUMN matched_exits INTEGER;
  DROP TABLE IF EXISTS import_rejections;
  `,
  // 6 -> 7: findings smaller still (issue 18: a findings-heavy run of 462,000 findings
  // added 42 MB; target 40). In finding_rows the citizenship becomes an id into
  // finding_words, and three days are stored as differences, mostly 0 or one byte
  // (SQLite stores 0 and 1 in no bytes): first_delta = first_day - entry_day,
  // last_lawful_delta = last_lawful_day - first_day + 1, exit_delta = exit_day -
  // (first_day + days - 1) (a missing base counts as 0). In finding_details the key names
  // of the common detail texts are stored as one control character each (FINDING_DETAIL_KEYS;
  // JSON text never holds a raw control character, so this is exact). The hash index goes:
  // a run reads the hashes once. The views present exactly the columns and values as before.
  `
  DROP VIEW findings_detail;
  DROP VIEW findings;
  INSERT OR IGNORE INTO finding_words (word) SELECT DISTINCT citizenship FROM finding_rows;
  CREATE TABLE finding_rows_6 (
    run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    person_key        TEXT NOT NULL,
    citizenship       INTEGER NOT NULL,
    rule              INTEGER NOT NULL,
    regime            INTEGER,
    entry_day         INTEGER,
    exit_delta        INTEGER,
    first_delta       INTEGER,
    last_lawful_delta INTEGER,
    days              INTEGER NOT NULL,
    status            INTEGER,
    entry_checkpoint  INTEGER,
    host_id           TEXT,
    detail            INTEGER NOT NULL,
    PRIMARY KEY (run_id, person_key, id)
  ) WITHOUT ROWID;
  INSERT INTO finding_rows_6
    SELECT f.run_id, f.id, f.person_key, (SELECT id FROM finding_words WHERE word = f.citizenship), f.rule, f.regime,
           f.entry_day,
           f.exit_day - coalesce(f.first_day, 0) - f.days + 1,
           f.first_day - coalesce(f.entry_day, 0),
           f.last_lawful_day - coalesce(f.first_day, 0) + 1,
           f.days, f.status, f.entry_checkpoint, f.host_id, f.detail
    FROM finding_rows f ORDER BY f.run_id, f.person_key, f.id;
  DROP TABLE finding_rows;
  ALTER TABLE finding_rows_6 RENAME TO finding_rows;
  DROP INDEX finding_details_hash;
  UPDATE finding_details SET detail = ${sqlEncodeDetail('detail')};

  CREATE VIEW findings AS
  SELECT f.run_id, f.id, f.person_key,
         (SELECT word FROM finding_words WHERE id = f.citizenship) AS citizenship,
         (SELECT word FROM finding_words WHERE id = f.rule) AS rule,
         (SELECT word FROM finding_words WHERE id = f.regime) AS regime,
         date(f.entry_day * 86400, 'unixepoch') AS entry_date,
         date((f.exit_delta + coalesce(f.first_delta + coalesce(f.entry_day, 0), 0) + f.days - 1) * 86400, 'unixepoch') AS exit_date,
         date((f.first_delta + coalesce(f.entry_day, 0)) * 86400, 'unixepoch') AS first_day,
         date((f.last_lawful_delta + coalesce(f.first_delta + coalesce(f.entry_day, 0), 0) - 1) * 86400, 'unixepoch') AS last_lawful_day,
         f.days,
         (SELECT word FROM finding_words WHERE id = f.status) AS status,
         (SELECT word FROM finding_words WHERE id = f.entry_checkpoint) AS entry_checkpoint,
         f.host_id,
         (SELECT ${sqlDecodeDetail('detail')} FROM finding_details WHERE id = f.detail) AS detail
  FROM finding_rows f;

  CREATE VIEW findings_detail AS
  SELECT f.*, p.person_id, p.document_no, p.surname, p.given_names, p.birth_date, p.sex
  FROM findings f LEFT JOIN persons p ON p.person_key = f.person_key;
  `,
  // 7 -> 8 (issue 18): a nightly delta appends. A small import's crossings and new
  // persons go to crossings_recent and persons_recent (same columns and keys; a key is
  // in one table of a pair, never both), which it touches at their end, instead of one
  // page per row all over the clustered tables; a larger import first folds them back
  // (import-store.ts, RECENT_SHARE). Every reader reads both: the timeline reader merges
  // them, the reads through the dialect, and analysts' views and query see their union.
  `
  ${crossingsTable('crossings_recent')};
  ${personsTable('persons_recent')};
  CREATE INDEX persons_recent_document ON persons_recent(document_no);

  DROP VIEW stays;
  ${staysView('(SELECT * FROM crossings UNION ALL SELECT * FROM crossings_recent)')};

  DROP VIEW findings_detail;
  CREATE VIEW findings_detail AS
  SELECT f.*, ${PERSON_COLUMNS.map((c) => `coalesce(p.${c}, q.${c}) AS ${c}`).join(', ')}
  FROM findings f LEFT JOIN persons p ON p.person_key = f.person_key LEFT JOIN persons_recent q ON q.person_key = f.person_key;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
