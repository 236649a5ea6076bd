import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/cli/commands/index.js';
import { run } from './helpers.js';

const commands = await allCommands();

describe('--help', () => {
  it('lists every command of the registry', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const spec of commands) expect(result.stdout).toContain(spec.name);
  });

  for (const spec of commands) {
    it(`${spec.name} has a description and an example`, async () => {
      expect(spec.description.length).toBeGreaterThan(20);
      expect(spec.examples.length).toBeGreaterThan(0);
      const result = await run([spec.name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(spec.description.slice(0, 30));
      expect(result.stdout).toMatch(/Examples:\n\s+\$ stayaudit /);
    });
  }

  it('an unknown command or flag is a usage error (exit 2)', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const result = await run(['findings', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option');
  });

  it('number flags take whole numbers only, before anything runs (exit 2)', async () => {
    for (const args of [
      ['nightly', '--inbox', '.', '--reports', '.', '--top', '1e1'],
      ['nightly', '--inbox', '.', '--reports', '.', '--top', ''],
      ['nightly', '--inbox', '.', '--reports', '.', '--top', '0x10'],
    ]) {
      const result = await run(['--db', 'no-such-dir/x.db', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain('must be a whole number');
    }
  });
});
