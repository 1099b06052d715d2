import type { ExtraColumns } from './write-report';

/**
 * The delivery report's `opt_out` column: what each row a campaign sent despite the workspace's
 * opt-out list says about it (the campaign ignored the list, with a reason; see campaign/audience.ts).
 */

/** OPT_OUT_COLUMN is the report column of the rows a campaign sent despite the opt-out list. */
export const OPT_OUT_COLUMN = 'opt_out';

/**
 * optOutColumn is the report's `opt_out` column (after the provider's extras) of a campaign that
 * ignored the list: each row it sent despite the list says why (`notes`, by row). Raw cells: the
 * report writer applies each format's cell rule.
 */
export function optOutColumn(notes: ReadonlyMap<number, string>): ExtraColumns {
  return {
    header: (base) => {
      let name = OPT_OUT_COLUMN;
      while (base.includes(name)) name = `${name} (audience)`;
      return [...base, name];
    },
    cells: (row) => [notes.get(row) ?? ''],
  };
}
