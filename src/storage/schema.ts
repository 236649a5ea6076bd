/**
 * The versioned schema. `PRAGMA user_version` holds the version; each entry of
 * MIGRATIONS moves a database from version i to i + 1 inside one transaction.
 * Dates are ISO text (`YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS`) so that they
 * sort, range-scan through indexes and read well in `stayaudit query`.
 */
/** The persons' document-number index: an import of mostly new persons builds it afresh. */
export const PERSONS_DOCUMENT_INDEX = 'CREATE INDEX persons_document ON persons(document_no)';

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

  CREATE TABLE persons (
    person_key    TEXT PRIMARY KEY,
    person_id     TEXT,
    citizenship   TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    surname       TEXT,
    given_names   TEXT,
    birth_date    TEXT,
    sex           TEXT
  ) WITHOUT ROWID;
  ${PERSONS_DOCUMENT_INDEX};

  -- Clustered by person and time: the audit reads every timeline in one ordered pass,
  -- and the primary key is also what makes a re-imported crossing a duplicate.
  CREATE TABLE crossings (
    person_key    TEXT NOT NULL,
    crossed_at    TEXT NOT NULL,
    direction     TEXT NOT NULL CHECK (direction IN ('IN', 'OUT')),
    citizenship   TEXT NOT NULL,
    document_no   TEXT NOT NULL,
    checkpoint    TEXT,
    import_id     INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    PRIMARY KEY (person_key, crossed_at, direction)
  ) WITHOUT ROWID;

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
  CREATE VIEW stays AS
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
    FROM crossings c
    WINDOW w AS (PARTITION BY person_key ORDER BY crossed_at, direction)
  )
  WHERE direction = 'IN';

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
  // 2 -> 3: why rows were rejected, per import: the reason with its values left out
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;
