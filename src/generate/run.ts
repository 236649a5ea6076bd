/**
 * One generation: the planner, the CSV writer and the running totals that become
 * the summary. Shared by generateData (random persons) and generateDemo (random
 * persons plus scripted ones).
 */
import { Calendar, dayOf } from './calendar.js';
import { CsvWriter, type DefectPicker, type WrittenFile } from './csv-writer.js';
import { Dialect, type GenerateVariant } from './dialect.js';
import { buildHosts } from './hosts.js';
import { EXPECTED_RULES, type ExpectedRule, type PersonVerdict } from './judge.js';
import { PersonPlanner, type ShapeParameters } from './person-planner.js';
import type { PersonPlan } from './plan.js';
import { mix32, seed32 } from './random.js';

/** One written file: dataset, path, data rows (malformed included), malformed rows, bytes. */
export type GeneratedFile = WrittenFile;

export interface CitizenshipFigures {
  persons: number;
  entries: number;
  exits: number;
  violators: number;
}

export interface GenerateSummary {
  files: GeneratedFile[];
  variant: GenerateVariant;
  seed: number;
  fromYear: number;
  toYear: number;
  persons: number;
  /** Good crossing rows: entries + exits. */
  crossings: number;
  entries: number;
  exits: number;
  /** Stays still open at the end of the data (entries without an exit). */
  inCountry: number;
  registrations: number;
  permits: number;
  expulsions: number;
  malformedRows: number;
  /**
   * What an audit with the default ruleset as of `asOf` (31 December of `toYear`) must
   * find, over the whole span of the data; computed by the generator's own reading of
   * SPEC §3 (judge.ts), so the audit can be checked against it.
   */
  expected: {
    asOf: string;
    /** Persons with an overstay or ban-breach finding. */
    violators: number;
    /** Findings by rule (overstays, ban breaches, registration findings). */
    findings: Record<ExpectedRule, number>;
    byCitizenship: Record<string, CitizenshipFigures>;
  };
}

export interface RunSettings {
  outDir: string;
  seed: number;
  variant: GenerateVariant;
  malformedShare: number;
  fromYear: number;
  toYear: number;
  shape: ShapeParameters;
}

/** One generation: planner, writer and running totals. Shared by generateData and generateDemo. */
export class GenerationRun {
  readonly planner: PersonPlanner;
  readonly calendar: Calendar;
  private readonly writer: CsvWriter;
  private persons = 0;
  private entries = 0;
  private exits = 0;
  private registrations = 0;
  private permits = 0;
  private expulsions = 0;
  private violators = 0;
  private readonly findings = Object.fromEntries(EXPECTED_RULES.map((r) => [r, 0])) as Record<ExpectedRule, number>;
  private readonly byCitizenship = new Map<string, CitizenshipFigures>();

  constructor(private readonly settings: RunSettings) {
    const seed = seed32(settings.seed);
    this.calendar = new Calendar(Math.min(1920, settings.fromYear - 90), settings.toYear + 5);
    const dialect = new Dialect(settings.variant, this.calendar);
    const hosts = buildHosts(mix32(seed, 0x405), dialect);
    this.planner = new PersonPlanner(this.calendar, {
      seed, fromYear: settings.fromYear, toYear: settings.toYear, variant: settings.variant, shape: settings.shape,
    });
    this.writer = new CsvWriter(settings.outDir, dialect, hosts, seed, settings.malformedShare);
  }

  /** Writes a person and adds it to the totals; `index` seeds its formatting. */
  add(plan: PersonPlan, verdict: PersonVerdict, index: number, defects?: DefectPicker): void {
    this.writer.writePerson(plan, index, defects);
    this.persons++;
    const code = plan.nationality.code;
    let figures = this.byCitizenship.get(code);
    if (figures === undefined) {
      figures = { persons: 0, entries: 0, exits: 0, violators: 0 };
      this.byCitizenship.set(code, figures);
    }
    figures.persons++;
    for (const s of plan.stays) {
      figures.entries++;
      this.entries++;
      if (s.exit !== null) {
        figures.exits++;
        this.exits++;
      }
    }
    this.registrations += plan.registrations.length;
    this.permits += plan.permits.length;
    this.expulsions += plan.expulsions.length;
    if (verdict.violator) {
      this.violators++;
      figures.violators++;
    }
    if (verdict.findings > 0) for (const rule of EXPECTED_RULES) this.findings[rule] += verdict.counts[rule];
  }

  /** Writes what is left, closes the files and returns the summary. */
  finish(): GenerateSummary {
    const files: WrittenFile[] = this.writer.close();
    const byCitizenship: Record<string, CitizenshipFigures> = {};
    for (const [code, figures] of [...this.byCitizenship].sort((a, b) => b[1].persons - a[1].persons)) {
      byCitizenship[code] = figures;
    }
    return {
      files,
      variant: this.settings.variant,
      seed: this.settings.seed,
      fromYear: this.settings.fromYear,
      toYear: this.settings.toYear,
      persons: this.persons,
      crossings: this.entries + this.exits,
      entries: this.entries,
      exits: this.exits,
      inCountry: this.entries - this.exits,
      registrations: this.registrations,
      permits: this.permits,
      expulsions: this.expulsions,
      malformedRows: files.reduce((sum, f) => sum + f.malformed, 0),
      expected: {
        asOf: this.calendar.iso(dayOf(this.settings.toYear, 12, 31)),
        violators: this.violators,
        findings: { ...this.findings },
        byCitizenship,
      },
    };
  }

  /** Closes the files without a summary (after a failure). */
  abort(): void {
    try {
      this.writer.close();
    } catch {
      // the original failure is the one worth reporting
    }
  }
}
