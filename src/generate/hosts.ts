/**
 * Receiving parties (hotels, firms, private hosts) with their addresses. One pool per
 * run, drawn from the seed; registrations and permits point into it with a skew, so
 * a few large hotels and employers receive many foreigners, as in real data.
 */
import type { Dialect } from './dialect.js';
import {
  CITIES_LATIN, CITIES_RUSSIAN, CITY_WEIGHTS, FIRM_KINDS_LATIN, FIRM_KINDS_RUSSIAN, FIRM_WORDS_LATIN,
  FIRM_WORDS_RUSSIAN, PRIVATE_HOSTS_LATIN, PRIVATE_HOSTS_RUSSIAN, STREETS_LATIN, STREETS_RUSSIAN,
} from './population.js';
import { cumulative, Random } from './random.js';

/** Output-ready fields (quoted and encoded for the dialect). */
export interface Host {
  /** 12-digit BIN (firms) or IIN (private persons). */
  id: Uint8Array;
  name: Uint8Array;
  address: Uint8Array;
}

export const HOST_POOL_SIZE = 400;

export function buildHosts(seed: number, dialect: Dialect, size = HOST_POOL_SIZE): Host[] {
  const r = new Random(seed);
  const ru = dialect.russian;
  const cityWeights = cumulative(CITY_WEIGHTS);
  const hosts: Host[] = [];
  for (let i = 0; i < size; i++) {
    const city = r.weighted(cityWeights);
    const street = r.int(STREETS_LATIN.length);
    const house = r.between(1, 240);
    const flat = r.chance(0.5) ? r.between(1, 180) : 0;
    const address = ru
      ? `г. ${CITIES_RUSSIAN[city]}, ${STREETS_RUSSIAN[street]}, д. ${house}${flat ? `, кв. ${flat}` : ''}`
      : `${CITIES_LATIN[city]}, ${STREETS_LATIN[street]} ${house}${flat ? `, APT ${flat}` : ''}`;
    const word = r.int(FIRM_WORDS_LATIN.length);
    const kind = r.int(FIRM_KINDS_LATIN.length);
    const type = r.next();
    let name: string;
    if (type < 0.3) name = ru ? `Гостиница «${FIRM_WORDS_RUSSIAN[word]}»` : `HOTEL ${FIRM_WORDS_LATIN[word]}`;
    else if (type < 0.7) {
      name = ru
        ? `ТОО "${FIRM_WORDS_RUSSIAN[word]} ${FIRM_KINDS_RUSSIAN[kind]}"`
        : `TOO "${FIRM_WORDS_LATIN[word]} ${FIRM_KINDS_LATIN[kind]}"`;
    } else if (type < 0.8) {
      name = ru
        ? `ТОО «${FIRM_WORDS_RUSSIAN[word]}-${FIRM_KINDS_RUSSIAN[kind]}»; филиал`
        : `${FIRM_WORDS_LATIN[word]} ${FIRM_KINDS_LATIN[kind]}, LLP`;
    } else {
      const p = r.int(PRIVATE_HOSTS_LATIN.length);
      name = ru ? `${PRIVATE_HOSTS_RUSSIAN[p]}` : `${PRIVATE_HOSTS_LATIN[p]}`;
    }
    const id = String(r.between(10_000_000, 99_999_999)) + String(r.between(1000, 9999));
    hosts.push({ id: dialect.bytes(id), name: dialect.bytes(name), address: dialect.bytes(address) });
  }
  return hosts;
}

/** A host index skewed towards the start of the pool (big hotels and employers). */
export function pickHost(r: Random, size = HOST_POOL_SIZE): number {
  const x = r.next();
  return Math.floor(size * x * x * x);
}
