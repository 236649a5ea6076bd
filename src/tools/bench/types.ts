/** The shape of bench-results/*.json (version 1). */
import type { DeltaFloor } from './delta-floor.js';
import type { HeavyResult } from './nights.js';

export interface Step {
  name: string;
  command: string;
  /** Best run: spawn to exit, Node start-up included. */
  wallSeconds: number;
  inProcessSeconds: number | null;
  loadSeconds: number | null;
  peakRssMB: number | null;
  exitCode: number;
  rows: number | null;
  rowsPerSecond: number | null;
  /** Wall time of every run (two for the interleaved ratio pairs). */
  runsWallSeconds: number[];
  note?: string;
}

export interface AuditFigures {
  runId: number;
  persons: number;
  stays: number;
  findings: number;
  violators: number;
  workers: number;
  seconds: number;
  counts: Record<string, number>;
}

export interface DeltaResult {
  day: string;
  rows: number;
  imported: { read: number; added: number; duplicate: number; rejected: number };
  importStep: Step;
  auditStep: Step;
  totalSeconds: number;
  audit: AuditFigures;
  /** The same file by a bare insert process and into an empty store (delta-floor.ts). */
  floor?: DeltaFloor;
}

export interface ScaleResult {
  persons: number;
  seed: number;
  year: number;
  asOf: string;
  crossingRows: number;
  generated: Step & { reused: boolean; files: { dataset: string; rows: number; malformed: number; bytes: number }[] };
  imports: Record<string, { read: number; added: number; updated: number; duplicate: number; rejected: number }>;
  /** import crossings, registrations, permits, expulsions, audit, stats, violators — in that order. */
  steps: Step[];
  baseline: { sqliteImport: Step; windowQuery: Step; queryOverstays: number | null; plainDbBytes: number | null } | null;
  /** What bounds the import on this machine (floors.ts): a bare insert loop, and our reader alone. */
  floors: { insertLoop: Step; readerOnly: Step };
  ratios: {
    importVsSqlite: number | null;
    auditVsQuery: number | null;
    /** The bare better-sqlite3 inserts alone (floors.ts) vs sqlite3 .import: the import's floor. */
    bareInsertsVsSqlite: number | null;
  };
  totals: { importSeconds: number; importAuditStatsSeconds: number; peakRssMB: number };
  audit: AuditFigures;
  database: { bytes: number; walBytes: number };
  correctness: {
    expectedViolators: number;
    auditViolators: number[];
    ok: boolean;
    findingsByRule: Record<string, { expected: number; actual: number }>;
  };
  loadAverage: { start: number[]; end: number[] };
  delta: DeltaResult | null;
  deltaError: string | null;
}

export interface Target {
  target: string;
  persons: number | null;
  measured: string;
  value: number | null;
  limit: string;
  status: 'met' | 'not met' | 'not measured' | 'reported';
}

export interface BenchResult {
  version: 1;
  date: string;
  finished: string;
  command: string;
  commit: string | null;
  machine: {
    os: string;
    cpuModel: string;
    cpuCount: number;
    availableParallelism: number;
    totalMemoryMB: number;
    node: string;
    sqlite: string;
    sqlite3Shell: string | null;
    usrBinTime: boolean;
    loadAverage: { start: number[]; end: number[] };
  };
  method: string[];
  /** `stayaudit --version`, best of three: the fixed cost in every wall time. */
  startup: Step;
  scales: ScaleResult[];
  /** A scale that failed (the run stops there); its figures are missing. */
  failures: { persons: number; error: string }[];
  targets: Target[];
  /** The findings-heavy year and its nightly sequence (absent in older results). */
  heavy?: HeavyResult | null;
}
