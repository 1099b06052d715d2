import { useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/ipc/api';
import type { JsonObject } from '../../../shared/json';
import { useWorkflow } from '../../app/workflow';

/** ValidationState is whether every row has been checked, or why it could not be. */
export type ValidationState = { status: 'loading' } | { status: 'ready' } | { status: 'error'; message: string; problems: ApiError['problems'] };

/**
 * useValidation makes sure the current campaign has been checked against every row by main
 * (`campaign:validate`), once per change of CSV, message or profile; the report goes to the workflow.
 */
export function useValidation(problemLimit = 1000): ValidationState {
  const { dataset, spec, profileId, validation, setValidation } = useWorkflow();
  const [failure, setFailure] = useState<{ spec: JsonObject; message: string; problems: ApiError['problems'] } | null>(null);
  useEffect(() => {
    if (dataset === null || spec === null || validation !== null) return;
    let live = true;
    window.api.campaign
      .validate({ datasetId: dataset.datasetId, spec, profileId: profileId ?? undefined, problemLimit })
      .then((report) => {
        if (live) setValidation(report);
      })
      .catch((e: unknown) => {
        if (!live) return;
        const err = e as Partial<ApiError>;
        setFailure({ spec, message: typeof err.message === 'string' ? err.message : 'Validation failed.', problems: err.problems ?? [] });
      });
    return () => {
      live = false;
    };
  }, [dataset, spec, profileId, validation, setValidation, problemLimit]);
  if (validation !== null) return { status: 'ready' };
  if (failure !== null && failure.spec === spec) return { status: 'error', message: failure.message, problems: failure.problems };
  return { status: 'loading' };
}
