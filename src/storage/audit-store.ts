import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[]>;
import { isoFromDay } from '../core/dates.js';
import type { Finding } from '../core/types.js';
import { WriteTransaction } from './write-transaction.js';

export interface RunHeader {
  asOf: string;
  rulesetName: string;
  rulesetChecksum: string;
  rulesetJson: string;
  startedAt: string;
}

/**
 * A finding as the findings table stores it, from person_key to detail (run_id and id
 * are the writer's): made where the finding is (a worker thread, say), so the single
 * writer only binds it.
 */
export type FindingRow = [
  personKey: string,
  citizenship: string,
  rule: string,
  regime: string | null,
  entryDate: string | null,
  exitDate: string | null,
  firstDay: string | null,
  lastLawfulDay: string | null,
  days: number,
  status: string | null,
  entryCheckpoint: string | null,
  hostId: string | null,
  detail: string,
];

export function findingRow(f: Finding, hostId: string | null): FindingRow {
  const iso = (day: number | null): string | null => (day === null ? null : isoFromDay(day));
  return [
    f.personKey,
    f.citizenship,
    f.rule,
    f.regime,
    iso(f.entryDay),
    iso(f.exitDay),
    iso(f.firstDay),
    iso(f.lastLawfulDay),
    f.days,
    f.status,
    f.entryCheckpoint,
    hostId,
    JSON.stringify(f.detail),
  ];
}

/** Entries and exits of one citizenship at one checkpoint on one day. */
export interface CrossingDayCell {
  citizenship: string;
  checkpoint: string;
  day: string;
  entries: number;
  exits: number;
}

/** Distinct persons entered in a calendar year or month, in total or by citizenship or checkpoint. */
export interface PersonsEnteredCell {
  period: string;
  grouping: 'total' | 'citizenship' | 'checkpoint';
  key: string;
  persons: number;
}

/** What a run stores besides its findings, for the statistics. */
export interface RunAggregates {
  departures: Iterable<DepartureCell>;
  crossingDays: Iterable<CrossingDayCell>;
  personsEntered: Iterable<PersonsEnteredCell>;
}

export interface DepartureCell {
  citizenship: string;
  checkpoint: string;
  authorisedUntil: string;
  expected: number;
  overstaysDeparted: number;
  overstaysInCountry: number;
}

/**
 * Writes one audit run inside one write transaction on its own connection: nothing
 * of the run is visible until `commit`, and an interrupted audit leaves no trace.
 */
export class RunWriter extends WriteTransaction {
  private runId = 0;
  private nextFindingId = 1;
  private insertFinding: Statement | undefined;

  begin(header: RunHeader): number {
    return this.guard(() => {
      this.beginImmediate();
      const info = this.db
        .prepare(`INSERT INTO runs (as_of, ruleset_name, ruleset_checksum, ruleset_json, started_at, finished_at, persons, stays, findings, counts_json)
                  VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '{}')`)
        .run(header.asOf, header.rulesetName, header.rulesetChecksum, header.rulesetJson, header.startedAt, header.startedAt);
      this.runId = Number(info.lastInsertRowid);
      this.insertFinding = this.db.prepare(`INSERT INTO findings (run_id, id, person_key, citizenship, rule, regime, entry_date, exit_date,
        first_day, last_lawful_day, days, status, entry_checkpoint, host_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      return this.runId;
    });
  }

  /** Stores findings in the order given, numbering them on. */
  addFindings(rows: readonly FindingRow[]): void {
    const insert = this.insertFinding!;
    this.guard(() => {
      for (const r of rows) {
        insert.run(this.runId, this.nextFindingId++, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]);
      }
    });
  }

  /** Stores the run's statistics cells (once per run). */
  addAggregates(aggregates: RunAggregates): void {
    this.guard(() => {
      const departure = this.db.prepare(`INSERT INTO run_departures (run_id, citizenship, checkpoint, authorised_until, expected, overstays_departed, overstays_in_country)
        VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const d of aggregates.departures) {
        departure.run(this.runId, d.citizenship, d.checkpoint, d.authorisedUntil, d.expected, d.overstaysDeparted, d.overstaysInCountry);
      }
      const day = this.db.prepare('INSERT INTO run_crossing_days (run_id, citizenship, checkpoint, day, entries, exits) VALUES (?, ?, ?, ?, ?, ?)');
      for (const d of aggregates.crossingDays) day.run(this.runId, d.citizenship, d.checkpoint, d.day, d.entries, d.exits);
      const entered = this.db.prepare('INSERT INTO run_persons_entered (run_id, period, grouping, key, persons) VALUES (?, ?, ?, ?, ?)');
      for (const p of aggregates.personsEntered) entered.run(this.runId, p.period, p.grouping, p.key, p.persons);
    });
  }

  commit(totals: { persons: number; stays: number; findings: number; counts: Record<string, number> }): number {
    return this.guard(() => {
      this.db
        .prepare(`UPDATE runs SET finished_at = ?, persons = ?, stays = ?, findings = ?, counts_json = ? WHERE id = ?`)
        .run(new Date().toISOString(), totals.persons, totals.stays, totals.findings, JSON.stringify(totals.counts), this.runId);
      this.commitNow();
      return this.runId;
    });
  }
}
