/** The row builder of each dataset, chosen once the header is mapped. */
import type { MappedHeaders } from '../headers.js';
import type { DatasetName, RowFor } from '../rows.js';
import type { RowBuilder } from './cells.js';
import { crossingBuilder } from './crossings.js';
import { expulsionBuilder } from './expulsions.js';
import { permitBuilder } from './permits.js';
import { registrationBuilder } from './registrations.js';

export type { RowBuilder } from './cells.js';

export function makeBuilder<D extends DatasetName>(dataset: D, mapped: MappedHeaders<D>): RowBuilder<RowFor<D>> {
  switch (dataset) {
    case 'crossings':
      return crossingBuilder(mapped as MappedHeaders<'crossings'>) as RowBuilder<RowFor<D>>;
    case 'registrations':
      return registrationBuilder(mapped as MappedHeaders<'registrations'>) as RowBuilder<RowFor<D>>;
    case 'permits':
      return permitBuilder(mapped as MappedHeaders<'permits'>) as RowBuilder<RowFor<D>>;
    case 'expulsions':
      return expulsionBuilder(mapped as MappedHeaders<'expulsions'>) as RowBuilder<RowFor<D>>;
  }
  throw new Error(`unknown dataset ${String(dataset)}`);
}
