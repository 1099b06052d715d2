import type { ReactElement } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RowOutcome, RowStatus } from '../../../shared/engine/events';

const PAGE = 200;
const ROW_HEIGHT = 36;

/** StatusFilter limits the table to one status. */
export type StatusFilter = 'all' | RowStatus;

/**
 * StatusTable lists every row of a campaign in a virtual list: only the visible rows are in the
 * DOM, pages of 200 come from main (`campaign:rows`) as they scroll into view, and the live
 * updates of the status stream (`overlay`) are laid over them.
 */
export function StatusTable({ campaignId, total, overlay, version, filter, running }: { campaignId: string; total: number; overlay: Map<number, RowOutcome>; version: number; filter: StatusFilter; running: boolean }): ReactElement {
  const parentRef = useRef<HTMLDivElement>(null);
  const pagesRef = useRef(new Map<number, RowOutcome[]>());
  const loadingRef = useRef(new Set<number>());
  const [filteredTotal, setFilteredTotal] = useState<number | null>(null);
  const [, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);

  // A filtered view reloads its pages as statuses move (at most once a second); the loading effect
  // below fetches them again. The parent keys this component by campaign and filter, so either
  // change starts from empty pages.
  const lastReload = useRef(0);
  useEffect(() => {
    if (filter === 'all' || !running) return;
    const now = performance.now();
    if (now - lastReload.current < 1000) return;
    lastReload.current = now;
    pagesRef.current = new Map();
  }, [version, filter, running]);

  const count = filter === 'all' ? total : (filteredTotal ?? 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is not memoisable by the React Compiler; this component is not compiled
  const virtualizer = useVirtualizer({ count, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();

  const load = useCallback(
    (page: number) => {
      if (pagesRef.current.has(page) || loadingRef.current.has(page)) return;
      loadingRef.current.add(page);
      const request: { campaignId: string; offset: number; limit: number; status?: RowStatus } = { campaignId, offset: page * PAGE, limit: PAGE };
      if (filter !== 'all') request.status = filter;
      window.api.campaign
        .rows(request)
        .then((res) => {
          loadingRef.current.delete(page);
          pagesRef.current.set(page, res.rows);
          if (filter !== 'all') setFilteredTotal(res.total);
          setLoaded((n) => n + 1);
        })
        .catch((e: unknown) => {
          loadingRef.current.delete(page);
          setError(e instanceof Error ? e.message : 'Rows could not be loaded.');
        });
    },
    [campaignId, filter],
  );

  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (filter !== 'all' && filteredTotal === null) load(0);
    if (count === 0) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) load(p);
  });

  const rowAt = (index: number): RowOutcome | undefined => {
    const fromPage = pagesRef.current.get(Math.floor(index / PAGE))?.[index % PAGE];
    if (filter !== 'all') return fromPage;
    const rowNo = index + 1;
    return overlay.get(rowNo) ?? fromPage;
  };

  return (
    <div className="vtable" data-testid="status-table">
      <div className="vtable-head" role="row">
        <span role="columnheader">Row</span>
        <span role="columnheader">Recipient</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Tries</span>
        <span role="columnheader">Details</span>
      </div>
      {error !== null && <p className="text-error small">{error}</p>}
      <div ref={parentRef} className="vtable-body" role="table" aria-label="Status of every message" aria-rowcount={count} tabIndex={0}>
        {count === 0 ? (
          <p className="muted vtable-empty">{filter === 'all' ? 'No rows.' : 'No rows with this status.'}</p>
        ) : (
          <div className="vtable-space" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const r = rowAt(item.index);
              return (
                <div key={item.key} className="vtable-row" role="row" aria-rowindex={item.index + 1} data-testid="status-row" style={{ transform: `translateY(${item.start}px)` }}>
                  <span role="cell" className="num">{r?.row ?? (filter === 'all' ? item.index + 1 : '')}</span>
                  <span role="cell" className="mono ellipsis" title={r?.recipient}>{r?.recipient ?? ''}</span>
                  <span role="cell">{r !== undefined ? <span className={`pill pill-${r.status}`}>{r.status}</span> : <span className="skeleton" aria-label="loading" />}</span>
                  <span role="cell" className="num">{r !== undefined && r.attempts > 0 ? r.attempts : ''}</span>
                  <span role="cell" className="ellipsis" title={r?.error ?? r?.messageId}>
                    {r?.error !== undefined ? <span className="text-error">{r.httpStatus !== undefined ? `${r.httpStatus} · ` : ''}{r.error}</span> : (r?.messageId ?? '')}
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
