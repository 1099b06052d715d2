import type { ReactElement } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { rowErrorWords } from '../../../shared/problem-words';

const PAGE = 200;
const ROW_HEIGHT = 36;

/** CampaignRow is a row as `campaign:rows` pages it: the outcome, plus for Wassist the body it took and its delivery status. */
export type CampaignRow = ResponseOf<'campaign:rows'>['rows'][number];

/**
 * hasDelivery says whether a row has Wassist delivery facts worth a column: a delivery status, or
 * the fallback template. (Every attempted Wassist row carries `variant: 'message'`; alone, that
 * would only fill a column with blanks.)
 */
export function hasDelivery(r: CampaignRow): boolean {
  return r.deliveryStatus !== undefined || r.deliveryStatusAt !== undefined || r.variant === 'fallback';
}

/** withExtras lays a live outcome over the paged row, keeping the paged row's number, delivery status and variant (the stream does not carry them). */
function withExtras(live: RowOutcome, paged: CampaignRow | undefined): CampaignRow {
  if (paged === undefined || (paged.variant === undefined && paged.deliveryStatus === undefined && paged.phone === undefined)) return live;
  const row: CampaignRow = { ...live };
  if (paged.phone !== undefined) row.phone = paged.phone;
  if (paged.variant !== undefined) row.variant = paged.variant;
  if (live.status === 'sent' && paged.deliveryStatus !== undefined) row.deliveryStatus = paged.deliveryStatus;
  if (live.status === 'sent' && paged.deliveryStatusAt !== undefined) row.deliveryStatusAt = paged.deliveryStatusAt;
  return row;
}

/** DeliveryCell shows a row's delivery status (read, delivered…) and whether it took the fallback template. */
function DeliveryCell({ row }: { row: CampaignRow | undefined }): ReactElement {
  const d = row?.deliveryStatus;
  const at = row?.deliveryStatusAt;
  return (
    <span role="cell" className="ellipsis" data-testid="delivery-cell" title={d !== undefined && at !== undefined ? `${d} since ${new Date(at).toLocaleString()}` : undefined}>
      {d !== undefined && <span className={`pill pill-delivery-${d}`}>{d}</span>}
      {row?.variant === 'fallback' && <span className="badge" title="Inactive conversation: sent the fallback template">fallback</span>}
    </span>
  );
}

/** StatusFilter limits the table to one status. */
export type StatusFilter = 'all' | RowStatus;

/**
 * StatusTable lists every row of a campaign in a virtual list: only the visible rows are in the
 * DOM, pages of 200 come from main (`campaign:rows`) as they scroll into view, and the live
 * updates of the status stream (`overlay`) are laid over them. A Delivery column (Wassist: read,
 * delivered…, and the fallback template) appears once any loaded row has a delivery status or took the fallback.
 */
export function StatusTable({ campaignId, total, overlay, version, filter, running }: { campaignId: string; total: number; overlay: Map<number, RowOutcome>; version: number; filter: StatusFilter; running: boolean }): ReactElement {
  const parentRef = useRef<HTMLDivElement>(null);
  const pagesRef = useRef(new Map<number, CampaignRow[]>());
  const loadingRef = useRef(new Set<number>());
  const [filteredTotal, setFilteredTotal] = useState<number | null>(null);
  const [, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [showDelivery, setShowDelivery] = useState(false);

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
          if (res.rows.some(hasDelivery)) setShowDelivery(true);
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

  const rowAt = (index: number): CampaignRow | undefined => {
    const fromPage = pagesRef.current.get(Math.floor(index / PAGE))?.[index % PAGE];
    if (filter !== 'all') return fromPage;
    const rowNo = index + 1;
    const live = overlay.get(rowNo);
    return live === undefined ? fromPage : withExtras(live, fromPage);
  };

  return (
    // One table: the header row and the rows in two row groups, so the header belongs to it (the
    // body scrolls on its own and takes the focus, for keyboard scrolling).
    <div className={`vtable${showDelivery ? ' vtable-delivery' : ''}`} role="table" aria-label="Status of every message" aria-rowcount={count + 1} data-testid="status-table">
      <div role="rowgroup">
        <div className="vtable-head" role="row" aria-rowindex={1}>
          <span role="columnheader">Row</span>
          <span role="columnheader">Recipient</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Tries</span>
          {showDelivery && <span role="columnheader">Delivery</span>}
          <span role="columnheader">Details</span>
        </div>
      </div>
      {error !== null && <p className="text-error small">{error}</p>}
      <div ref={parentRef} className="vtable-body" role="rowgroup" aria-label="Rows, scroll to see more" tabIndex={0}>
        {count === 0 ? (
          <div role="row" className="vtable-empty">
            <span role="cell" className="muted">{filter === 'all' ? 'No rows.' : 'No rows with this status.'}</span>
          </div>
        ) : (
          <div className="vtable-space" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const r = rowAt(item.index);
              return (
                <div key={item.key} className="vtable-row" role="row" aria-rowindex={item.index + 2} data-testid="status-row" style={{ transform: `translateY(${item.start}px)` }}>
                  <span role="cell" className="num">{r?.row ?? (filter === 'all' ? item.index + 1 : '')}</span>
                  <span role="cell" className="mono ellipsis" title={r?.phone !== undefined && r.recipient !== '' ? `${r.phone} · conversation ${r.recipient}` : r?.recipient}>{r?.phone ?? r?.recipient ?? ''}</span>
                  <span role="cell">{r !== undefined ? <span className={`pill pill-${r.status}`}>{r.status}</span> : <span className="skeleton" aria-label="loading" />}</span>
                  <span role="cell" className="num">{r !== undefined && r.attempts > 0 ? r.attempts : ''}</span>
                  {showDelivery && <DeliveryCell row={r} />}
                  <span role="cell" className="ellipsis" title={r?.error !== undefined ? rowErrorWords(r.error, r.row) : r?.messageId}>
                    {r?.error !== undefined ? <span className="text-error">{r.httpStatus !== undefined ? `${r.httpStatus} · ` : ''}{rowErrorWords(r.error, r.row)}</span> : (r?.messageId ?? '')}
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
