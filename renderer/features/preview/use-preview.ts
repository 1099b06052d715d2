import { useEffect, useState } from 'react';
import type { Preview } from '../../../shared/ipc/contract';
import type { ApiError } from '../../../shared/ipc/api';
import type { JsonObject } from '../../../shared/json';

/** PreviewState is the authoritative preview of one row from main, with its loading and error states. */
export type PreviewState =
  | { status: 'idle' }
  | { status: 'loading'; last: Preview | null }
  | { status: 'ready'; preview: Preview }
  | { status: 'error'; message: string; problems: ApiError['problems'] };

interface Answer {
  /** The request it answers; a different current request means a newer one is on its way. */
  for: readonly unknown[];
  result: { ok: true; preview: Preview } | { ok: false; message: string; problems: ApiError['problems'] };
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * usePreview asks main for the exact request of one row (`campaign:preview`), again whenever the
 * campaign or the row changes, after a short pause so typing does not flood main. While a new
 * answer is on its way it keeps the last preview, so the phone does not flicker.
 */
export function usePreview(datasetId: string | null, spec: JsonObject | null, profileId: string | null, row: number, delayMs = 250): PreviewState {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [last, setLast] = useState<Preview | null>(null);
  useEffect(() => {
    if (datasetId === null || spec === null || profileId === null) return;
    let live = true;
    const key = [datasetId, spec, profileId, row];
    const timer = setTimeout(() => {
      window.api.campaign
        .preview({ datasetId, spec, profileId, row })
        .then((preview) => {
          if (!live) return;
          setAnswer({ for: key, result: { ok: true, preview } });
          setLast(preview);
        })
        .catch((e: unknown) => {
          if (!live) return;
          const err = e as Partial<ApiError>;
          setAnswer({ for: key, result: { ok: false, message: typeof err.message === 'string' ? err.message : 'The preview failed.', problems: err.problems ?? [] } });
        });
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [datasetId, spec, profileId, row, delayMs]);

  if (datasetId === null || spec === null || profileId === null) return { status: 'idle' };
  if (answer === null || !same(answer.for, [datasetId, spec, profileId, row])) return { status: 'loading', last };
  return answer.result.ok ? { status: 'ready', preview: answer.result.preview } : { status: 'error', message: answer.result.message, problems: answer.result.problems };
}
