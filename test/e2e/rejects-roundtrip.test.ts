import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, run, tempDir } from './helpers.js';

/**
 * The rejects round trip for every dataset: a bad row goes to the rejects file behind
 * `_file,_line,_reason` (names no dataset uses: expulsions have a `reason` of their
 * own), the file is fixed and imported as it is, and the bookkeeping columns are ignored.
 */
const CASES = {
  crossings: {
    lines: [
      'person_id,document_no,citizenship,surname,given_names,birth_date,sex,direction,crossed_at,checkpoint',
      'R1,RT1,RUS,IVANOV,IVAN,1980-01-01,M,IN,2024-01-01 10:00,ALA',
      'R2,RT2,RUS,PETROV,PETR,1981-01-01,M,IN,31.02.2024 10:00,ALA',
    ],
    bad: '31.02.2024',
    good: '28.02.2024',
  },
  registrations: {
    lines: [
      'person_id,document_no,citizenship,registered_from,registered_until,notified_on,address,host_id,host_name',
      'R1,RT1,RUS,2024-01-02,2024-02-01,2024-01-03,"ALMATY, ABAI AVE 1",123456789012,HOTEL A',
      'R2,RT2,RUS,2024-13-02,2024-02-01,2024-01-03,"ALMATY, ABAI AVE 2",123456789013,HOTEL B',
    ],
    bad: '2024-13-02',
    good: '2024-01-02',
  },
  permits: {
    lines: [
      'permit_no,person_id,document_no,citizenship,kind,ground,valid_from,valid_until,status,revoked_on,address,host_id',
      'PN1,R1,RT1,RUS,trp,work,2024-01-01,2024-12-31,active,,,',
      'PN2,R2,RT2,Atlantis,trp,work,2024-01-01,2024-12-31,active,,,',
    ],
    bad: 'Atlantis',
    good: 'RUS',
  },
  expulsions: {
    lines: [
      'person_id,document_no,citizenship,decided_on,expelled_on,ban_years,reason',
      'R1,RT1,TJK,2021-05-20,2021-05-25,5,overstay',
      'R2,RT2,TJK,2021-02-30,,5,forged visa',
    ],
    bad: '2021-02-30',
    good: '2021-02-28',
  },
} as const;

describe('rejects round trip', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  for (const [dataset, c] of Object.entries(CASES)) {
    it(`${dataset}: the rejects file is fixed and imported as it is`, async () => {
      const db = path.join(dir, `${dataset}.db`);
      const input = path.join(dir, `${dataset}.csv`);
      fs.writeFileSync(input, c.lines.join('\n') + '\n');
      const rejects = path.join(dir, `${dataset}-rejects.csv`);
      const first = await run(['--db', db, 'import', dataset, input, '--rejects', rejects]);
      expect(first.code, first.stderr).toBe(5);
      expect(first.stderr).toContain(`1 row rejected, written to ${rejects}`);
      const records = csvRecords(fs.readFileSync(rejects, 'utf8'));
      expect(records[0]).toEqual(['_file', '_line', '_reason', ...c.lines[0].split(',')]);
      expect(records).toHaveLength(2);
      expect(records[1]!.slice(0, 2)).toEqual([input, '3']);
      expect(records[1]![2]).not.toBe('');
      // Fixed by hand and imported as it is: the bookkeeping columns are not data.
      fs.writeFileSync(rejects, fs.readFileSync(rejects, 'utf8').replaceAll(c.bad, c.good));
      const again = await run(['--db', db, 'import', dataset, rejects, '--json']);
      expect(again.code, again.stderr).toBe(0);
      const summary = (JSON.parse(again.stdout) as { files: { read: number; added: number; rejected: number }[] }).files[0]!;
      expect([summary.read, summary.added, summary.rejected]).toEqual([1, 1, 0]);
      const table = dataset === 'crossings' ? 'persons' : dataset;
      const stored = await run(['--db', db, 'query', `SELECT count(*) AS n FROM ${table} WHERE person_key = 'R2'`]);
      expect(stored.stdout.trim().split('\n')[1]).toBe('1');
      if (dataset === 'expulsions') {
        const reason = await run(['--db', db, 'query', "SELECT reason FROM expulsions WHERE person_key = 'R2'"]);
        expect(reason.stdout.trim().split('\n')[1]).toBe('forged visa');
      }
    });
  }
});
