import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, run, tempDir, writeCsv } from './helpers.js';

/** Import without surprises, rules files, completion (issue 14). */
describe('ignored columns and inspect', () => {
  it('import warns about every ignored column, not about ones a mapping ignores on purpose', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'a.db');
      const file = writeCsv(dir, 'pid.csv', ['PID,document_no,citizenship,direction,crossed_at,Remarks', 'P1,N1,RUS,IN,2024-01-01,x']);
      const result = await run(['--db', db, 'import', 'crossings', file]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("warning: " + file + ": column 'PID' was ignored: it is not a crossings field");
      expect(result.stderr).toContain("column 'Remarks' was ignored");
      expect(result.stderr).toContain('--mapping FILE, e.g. {"PID": "person_id"}');
      const mapping = path.join(dir, 'm.json');
      fs.writeFileSync(mapping, JSON.stringify({ PID: 'person_id', Remarks: null }));
      const mapped = await run(['--db', db, 'import', 'crossings', file, '--mapping', mapping]);
      expect(mapped.code).toBe(0);
      expect(mapped.stderr).not.toContain('warning');
      const persons = await run(['--db', db, 'query', 'SELECT person_key FROM persons ORDER BY 1', '--format', 'csv']);
      expect(persons.stdout).toBe('person_key\nP1\nRUS:N1\n');
      // A clean file gets no warning.
      const clean = await run(['--db', db, 'import', 'expulsions', path.join(FIXTURES, 'e2e', 'expulsions.csv')]);
      expect(clean.stderr).not.toContain('warning');
      // The rejects file's bookkeeping columns are expected on the way back in.
      const rejects = writeCsv(dir, 'rejects.csv', ['_file,_line,_reason,document_no,citizenship,decided_on', 'x.csv,2,bad,N9,RUS,2024-01-01']);
      const back = await run(['--db', db, 'import', 'expulsions', rejects]);
      expect(back.code).toBe(0);
      expect(back.stderr).not.toContain('warning');
    } finally {
      cleanup();
    }
  });

  it('inspect shows encoding, delimiter, date forms, the mapping and the first rows, and stores nothing', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = path.join(dir, 'never.db');
      const result = await run(['--db', db, 'inspect', 'crossings', path.join(FIXTURES, 'import', 'crossings-cp1251.csv'), '--rows', '2']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('encoding   windows-1251');
      expect(result.stdout).toContain("delimiter  ';' (semicolon)");
      expect(result.stdout).toMatch(/dates .*crossed_at: .*DD\.MM\.YYYY HH:MM\b/);
      expect(result.stdout).toMatch(/Гражданство\s+→ citizenship/);
      expect(result.stdout).toMatch(/first 2 rows as stored\n {2}line 2: person_key=\S+ .*crossed_at=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
      expect(fs.existsSync(db)).toBe(false);

      const file = writeCsv(dir, 'pid.csv', ['PID,document_no,citizenship,direction,crossed_at', 'P1,N1,RUS,IN,01.02.2024', 'P2,N2,ZZZ,IN,2024-02-05']);
      const json = await run(['inspect', 'crossings', file, '--json']);
      expect(json.code).toBe(0);
      const body = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(body).toMatchObject({
        dataset: 'crossings',
        encoding: 'utf-8',
        delimiter: ',',
        ignored: ['PID'],
        date_forms: { crossed_at: ['DD.MM.YYYY', 'YYYY-MM-DD'] },
        rows_sampled: 2,
        rejected_in_sample: 1,
        rejects: [{ line: 3, reason: "citizenship: unknown country 'ZZZ'" }],
      });
      expect((body['columns'] as unknown[])[0]).toEqual({ column: 1, header: 'PID', field: null });
      expect((body['rows'] as { values: Record<string, unknown> }[])[0]!.values).toMatchObject({ person_key: 'RUS:N1', crossed_at: '2024-02-01 00:00:00' });
      expect(json.stderr).toContain("column 'PID' was ignored");

      const wrong = await run(['inspect', 'permits', file]);
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toContain('missing required column');
    } finally {
      cleanup();
    }
  });
});

describe('rules files', () => {
  it('an unknown country code is refused with the field path, exit 3', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const rules = path.join(dir, 'rules.json');
      fs.writeFileSync(rules, JSON.stringify({ extends: 'default', regimes: [{ name: 'X', countries: ['UZB', 'UZX'], cap: 10 }] }));
      const result = await run(['rules', '--rules', rules]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('regimes[0].countries[1]: "UZX" is not a known citizenship code');
      fs.writeFileSync(rules, JSON.stringify({ extends: 'default', groups: { 'VF-14': ['IND', 'GBD'] } }));
      const variant = await run(['--db', path.join(dir, 'a.db'), 'audit', '--rules', rules]);
      expect(variant.code).toBe(3);
      expect(variant.stderr).toContain('write GBR');
      expect((await run(['rules', '--rules', path.join(FIXTURES, 'rules', 'example.json')])).code).toBe(0);
    } finally {
      cleanup();
    }
  });
});

describe('shell completion', () => {
  it('bash completes commands, flags, datasets and rules', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const script = await run(['completion', 'bash']);
      expect(script.code).toBe(0);
      const file = path.join(dir, 'c.bash');
      fs.writeFileSync(file, script.stdout);
      const probe = [
        `source ${JSON.stringify(file)}`,
        't() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _stayaudit; echo "${COMPREPLY[*]}"; }',
        't stayaudit fin',
        't stayaudit --db x.db vi',
        't stayaudit findings --ad',
        't stayaudit import cr',
        't stayaudit findings --rule stay',
        't stayaudit stats --by mo',
        't stayaudit completion z',
      ].join('\n');
      const { spawnSync } = await import('node:child_process');
      const out = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      expect(out.stdout.split('\n').slice(0, 7)).toEqual(['findings', 'violators', '--address', 'crossings', 'stay-limit', 'month', 'zsh']);
      const zsh = await run(['completion', 'zsh']);
      expect(zsh.stdout).toContain('bashcompinit');
      expect(zsh.stdout).toContain('complete -o filenames -F _stayaudit stayaudit');
      expect((await run(['completion', 'fish'])).code).toBe(2);
    } finally {
      cleanup();
    }
  });
});
