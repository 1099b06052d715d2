/**
 * Suggestions for a placeholder whose column the CSV does not have: the header the person most
 * likely meant (another case, other separators, a typo or two), or a few of the CSV's columns.
 * Rendering (render.ts) and the opt-out import name unknown columns through here.
 */

/** unknownColumnReason explains an unknown column, suggesting the closest header or listing a few. */
export function unknownColumnReason(column: string, headers: string[]): string {
  const near = closestHeader(column, headers);
  if (near !== undefined) return `unknown column "${column}"; did you mean "${near}"?`;
  if (headers.length === 0) return `unknown column "${column}": the CSV has no columns`;
  const shown = headers.slice(0, 10).map((h) => `"${h}"`).join(', ');
  return `unknown column "${column}"; the CSV's columns are ${shown}${headers.length > 10 ? ', …' : ''}`;
}

/**
 * closestHeader finds the header a user most likely meant: the same name in another case or
 * with other separators, else the nearest by edit distance (a typo or two, more for long names).
 */
export function closestHeader(column: string, headers: readonly string[]): string | undefined {
  const lower = column.toLowerCase();
  const exact = headers.find((h) => h.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const squash = (s: string) => s.toLowerCase().replace(/[\s_\-.]+/g, '');
  const squashed = squash(column);
  const same = headers.find((h) => h !== '' && squash(h) === squashed);
  if (same !== undefined) return same;
  const limit = Math.max(1, Math.min(3, Math.floor(column.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const h of headers) {
    const d = editDistance(lower, h.toLowerCase());
    if (d < bestDistance) {
      best = h;
      bestDistance = d;
    }
  }
  return best;
}

/** editDistance is the optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  const rows: number[][] = [];
  for (let i = 0; i <= A.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= B.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = A[i - 1] === B[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) d = Math.min(d, (rows[i - 2] as number[])[j - 2] as number + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[A.length] as number[])[B.length] as number;
}
