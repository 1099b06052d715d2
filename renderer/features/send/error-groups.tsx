import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { RowOutcome } from '../../../shared/engine/events';
import { formatCount } from './format';
import type { ErrorGroup } from './group-errors';
import { groupErrors } from './group-errors';

const CAP = 50_000;

/** loadProblemRows fetches the failed and uncertain rows of a campaign (up to a cap) from main. */
async function loadProblemRows(campaignId: string): Promise<RowOutcome[]> {
  const out: RowOutcome[] = [];
  for (const status of ['failed', 'uncertain'] as const) {
    for (let offset = 0; offset < CAP; offset += 5000) {
      const page = await window.api.campaign.rows({ campaignId, offset, limit: 5000, status });
      out.push(...page.rows);
      if (offset + page.rows.length >= page.total || page.rows.length === 0) break;
    }
  }
  return out;
}

/**
 * ErrorGroups shows why rows failed, one line per reason with its count and first rows. It reloads
 * when the number of failed or uncertain rows changes, at most once a second.
 */
export function ErrorGroups({ campaignId, failed, uncertain }: { campaignId: string; failed: number; uncertain: number }): ReactElement | null {
  const [groups, setGroups] = useState<ErrorGroup[]>([]);
  const [error, setError] = useState<string | null>(null);
  const count = failed + uncertain;
  useEffect(() => {
    if (count === 0) return;
    let live = true;
    const timer = setTimeout(() => {
      loadProblemRows(campaignId)
        .then((rows) => {
          if (live) {
            setGroups(groupErrors(rows));
            setError(null);
          }
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : 'Errors could not be loaded.'));
    }, 600);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [campaignId, count]);

  if (count === 0 || groups.length === 0) return count === 0 ? null : <p className="muted small">Grouping {formatCount(count)} errors…</p>;
  return (
    <div className="error-groups" data-testid="error-groups">
      {error !== null && <p className="text-error">{error}</p>}
      {groups.map((g, i) => (
        <div key={i} className="error-group" data-testid="error-group">
          <div className="error-group-count">{formatCount(g.count)}</div>
          <div className="error-group-body">
            <div className="error-group-reason">
              <span className={`pill pill-${g.status}`}>{g.status}</span>
              {g.httpStatus !== undefined && <span className="badge">HTTP {g.httpStatus}</span>}
              <span title={g.example}>{g.example}</span>
            </div>
            <div className="muted small">
              {g.rows.length === 1 ? 'Row' : 'Rows'} {g.rows.join(', ')}
              {g.count > g.rows.length ? ` and ${formatCount(g.count - g.rows.length)} more` : ''}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}
