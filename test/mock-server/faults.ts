/**
 * Fault injection for the mock provider server: what to do to one request instead of (or before)
 * answering it normally. A plan is either a function of the request or a per-path script.
 */

/** Fault is what happens to one request; fields combine (latency, then the rest). */
export interface Fault {
  /** Wait this long before acting on the request. */
  latencyMs?: number;
  /** Answer this status with the API's own error body for it, without processing: nothing delivered. */
  status?: number;
  /** With `status`: a Retry-After header, in seconds (number) or as an HTTP date (Date, or a string sent as is). */
  retryAfter?: number | Date | string;
  /** With `status`: send this body instead of the API's own. */
  body?: string;
  /**
   * `reset-before`: destroy the socket without processing the request (nothing delivered);
   * `reset-after`: process it (delivered), then destroy the socket without answering;
   * `hang`: never answer (the socket stays open until the client gives up or the server closes).
   */
  action?: 'reset-before' | 'reset-after' | 'hang';
}

/** FaultContext is what a fault rule sees of a request. */
export interface FaultContext {
  method: string;
  /** Full request path, query included. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** 0-based index of this request among all the server received since the plan was set. */
  index: number;
  /** 0-based index among the requests to this path since the plan was set. */
  pathIndex: number;
}

/** FaultRule decides per request; undefined answers normally. */
export type FaultRule = (req: FaultContext) => Fault | undefined;

/**
 * FaultScript gives, per request path (query excluded), the fault of the 1st, 2nd, ... request to
 * it; `null` answers that one normally, and requests past the end of the list are answered
 * normally. The key `*` scripts the requests to paths the others do not name, counted by `index`
 * (every request the server received since the plan was set).
 */
export type FaultScript = Record<string, ReadonlyArray<Fault | null>>;

/** FaultPlan is a rule or a script. */
export type FaultPlan = FaultRule | FaultScript;

/** FaultPicker turns a plan into the fault of each request, counting requests as they come. */
export class FaultPicker {
  private index = 0;
  private readonly perPath = new Map<string, number>();

  constructor(private readonly plan: FaultPlan | undefined) {}

  /** active tells whether there is any plan at all (the fast path skips the rest). */
  get active(): boolean {
    return this.plan !== undefined;
  }

  pick(req: Omit<FaultContext, 'index' | 'pathIndex'>): Fault | undefined {
    const index = this.index++;
    const key = req.path.split('?')[0] ?? req.path;
    const pathIndex = this.perPath.get(key) ?? 0;
    this.perPath.set(key, pathIndex + 1);
    const plan = this.plan;
    if (plan === undefined) return undefined;
    if (typeof plan === 'function') return plan({ ...req, index, pathIndex });
    if (Object.hasOwn(plan, key)) return plan[key]?.[pathIndex] ?? undefined;
    return plan['*']?.[index] ?? undefined;
  }
}

/** retryAfterValue renders a fault's Retry-After as the header value. */
export function retryAfterValue(v: Fault['retryAfter']): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toUTCString();
  return v;
}
