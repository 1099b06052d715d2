import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../../shared/json';
import type { WorkspaceDb } from './workspace-db';

/**
 * Scheduled starts, kept in the workspace database so they survive closing the app: what to start
 * (the front end's own request: which contacts, campaign and account), when, and what became of it.
 * A schedule moves waiting → starting → started (or failed), or waiting → cancelled. Only the
 * desktop app runs schedules; the CLI's `--at` waits in its own process instead.
 */

export const scheduleStates = ['waiting', 'starting', 'started', 'cancelled', 'failed'] as const;
export type ScheduleState = (typeof scheduleStates)[number];

/** Schedule is one scheduled start. */
export interface Schedule {
  id: string;
  /** The campaign's name as people know it. */
  name: string;
  /** When it should start (ms since the epoch). */
  dueAt: number;
  createdAt: number;
  state: ScheduleState;
  /** What to start, as the front end that made the schedule needs it. */
  request: JsonObject;
  /** The campaign it started, once started. */
  campaignId?: string;
  startedAt?: number;
  /** What happened, in words (started late because the app was closed, why it failed…). */
  note: string;
}

interface ScheduleRow {
  id: string;
  name: string;
  due_at: number;
  created_at: number;
  state: string;
  request: string;
  campaign_id: string | null;
  started_at: number | null;
  note: string;
}

function scheduleOf(r: ScheduleRow): Schedule {
  const s: Schedule = { id: r.id, name: r.name, dueAt: r.due_at, createdAt: r.created_at, state: r.state as ScheduleState, request: JSON.parse(r.request) as JsonObject, note: r.note };
  if (r.campaign_id !== null) s.campaignId = r.campaign_id;
  if (r.started_at !== null) s.startedAt = r.started_at;
  return s;
}

/** ScheduleStore keeps the schedules of one workspace. */
export class ScheduleStore {
  readonly #ws: WorkspaceDb;
  readonly #now: () => number;

  constructor(ws: WorkspaceDb, now: () => number) {
    this.#ws = ws;
    this.#now = now;
  }

  create(name: string, dueAt: number, request: JsonObject): Schedule {
    const id = randomUUID();
    this.#ws.transaction(() => {
      this.#ws.db
        .prepare("INSERT INTO schedules (id, name, due_at, created_at, state, request, note) VALUES (?, ?, ?, ?, 'waiting', ?, '')")
        .run(id, name, dueAt, this.#now(), JSON.stringify(request));
    });
    return this.get(id) as Schedule;
  }

  get(id: string): Schedule | undefined {
    const r = this.#ws.db.prepare('SELECT * FROM schedules WHERE id = ?').get(id) as ScheduleRow | undefined;
    return r === undefined ? undefined : scheduleOf(r);
  }

  /** list answers every schedule, the next due first, then the finished ones newest first (at most `limit` of those). */
  list(limit = 50): Schedule[] {
    const open = this.#ws.db.prepare("SELECT * FROM schedules WHERE state IN ('waiting', 'starting') ORDER BY due_at, id").all() as ScheduleRow[];
    const done = this.#ws.db.prepare("SELECT * FROM schedules WHERE state NOT IN ('waiting', 'starting') ORDER BY due_at DESC, id LIMIT ?").all(limit) as ScheduleRow[];
    return [...open, ...done].map(scheduleOf);
  }

  /** nextWaiting is the waiting schedule due first, if any. */
  nextWaiting(): Schedule | undefined {
    const r = this.#ws.db.prepare("SELECT * FROM schedules WHERE state = 'waiting' ORDER BY due_at, id LIMIT 1").get() as ScheduleRow | undefined;
    return r === undefined ? undefined : scheduleOf(r);
  }

  /** change moves a waiting schedule to another time; false when it is no longer waiting. */
  change(id: string, dueAt: number): boolean {
    return this.#set("UPDATE schedules SET due_at = ? WHERE id = ? AND state = 'waiting'", dueAt, id);
  }

  /** cancel cancels a waiting schedule; false when it is no longer waiting. */
  cancel(id: string): boolean {
    return this.#set("UPDATE schedules SET state = 'cancelled', note = 'Cancelled.' WHERE id = ? AND state = 'waiting'", id);
  }

  /** claim marks a waiting schedule as starting; false when it is no longer waiting (cancelled meanwhile). */
  claim(id: string): boolean {
    return this.#set("UPDATE schedules SET state = 'starting' WHERE id = ? AND state = 'waiting'", id);
  }

  /** started records the campaign a schedule started. */
  started(id: string, campaignId: string, note: string): void {
    this.#set("UPDATE schedules SET state = 'started', campaign_id = ?, started_at = ?, note = ? WHERE id = ?", campaignId, this.#now(), note, id);
  }

  /** failed records why a schedule could not start. */
  failed(id: string, note: string): void {
    this.#set("UPDATE schedules SET state = 'failed', started_at = ?, note = ? WHERE id = ?", this.#now(), note, id);
  }

  /**
   * recover puts back to waiting the schedules a previous process claimed but never finished
   * starting (it quit or crashed meanwhile). Starting again is safe: a campaign that got as far
   * as sending resumes where its journal stops, and sends nothing twice.
   */
  recover(): number {
    return this.#ws.transaction(() => this.#ws.db.prepare("UPDATE schedules SET state = 'waiting' WHERE state = 'starting'").run().changes);
  }

  #set(sql: string, ...params: (string | number)[]): boolean {
    return this.#ws.transaction(() => this.#ws.db.prepare(sql).run(...params).changes > 0);
  }
}
