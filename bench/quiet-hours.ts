import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { getCountries, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { AudienceCheck } from '../electron/core/campaign/audience';
import { ContactsFile } from '../electron/core/campaign/contacts';
import { validatePlan } from '../electron/core/campaign/validation';
import { Workspace } from '../electron/core/workspace/workspace';
import { compilePlan } from '../shared/campaign/plan';
import { QuietPlanner, parseWindow } from '../shared/campaign/quiet-hours';
import { countryOfNumber, zonesOfCountry } from '../shared/campaign/quiet-zones';
import { parseCampaign } from '../shared/campaign/schema';
import { providers } from '../shared/providers';

/**
 * Quiet-hour planning at scale (issue 11): validating a phone campaign of `rows` numbers from every
 * country libphonenumber-js has an example mobile number for, with and without quiet hours (both
 * with the workspace's audience check, its list empty), so the ratio is what quiet hours add: each
 * row's country from its number and the window of that country's zones at this instant (cached per
 * country while it holds). Also the planning alone, over numbers already in memory.
 */

/** QuietFigures are the bench's measurements (ms, best of `rounds`). */
export interface QuietFigures {
  rows: number;
  countries: number;
  baselineMs: number;
  quietMs: number;
  waiting: number;
  planningMs: number;
  planningBareMs: number;
}

/** numbersOf are example mobile numbers of every country, the last four digits varied per row. */
function numbersOf(): string[] {
  const out: string[] = [];
  for (const c of getCountries()) {
    const n = getExampleNumber(c as CountryCode, examples);
    if (n !== undefined) out.push(n.number);
  }
  return out;
}

async function writeCsv(file: string, rows: number, bases: readonly string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write('phone,name\n');
  for (let i = 0; i < rows; i++) {
    const base = bases[i % bases.length] as string;
    const tail = String((Math.floor(i / bases.length) * 7919) % 10_000).padStart(4, '0');
    if (!out.write(`${base.slice(0, -4)}${tail},N${i}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

function specOf(quiet: boolean) {
  return parseCampaign(
    {
      provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
      recipient: { phone: '{{phone}}', botId: '5f0c6f1e-8a4b-4c2e-9d3a-1b2c3d4e5f60' },
      message: { type: 'text', text: { body: 'Hi {{name}}' } },
      ...(quiet ? { audience: { quietHours: { allowed: '09:00-20:00', timeZone: 'Europe/Berlin' } } } : {}),
    },
    providers,
  );
}

async function validateOnce(csv: string, ws: Workspace, quiet: boolean): Promise<{ ms: number; waiting: number; rows: number }> {
  const contacts = await ContactsFile.open({ path: csv });
  try {
    const plan = compilePlan(specOf(quiet), contacts.headers);
    const t0 = performance.now();
    const v = await validatePlan(plan, contacts, 100, new AudienceCheck(ws, plan, contacts.headers, Date.now(), Date.now));
    return { ms: performance.now() - t0, waiting: v.waitingRows, rows: v.sendable };
  } finally {
    await contacts.close();
  }
}

/** benchQuietHours measures (see the file comment); the CSV is written to `dir` if missing. */
export async function benchQuietHours(dir: string, rows: number, rounds = 3): Promise<QuietFigures> {
  const bases = numbersOf();
  const csv = join(dir, `phones-${rows}.csv`);
  await writeCsv(csv, rows, bases);
  const wsDir = await mkdtemp(join(tmpdir(), 'bench-quiet-'));
  const ws = Workspace.open(wsDir, Date.now);
  let baselineMs = Infinity;
  let quietMs = Infinity;
  let waiting = 0;
  let valid = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const bare = await validateOnce(csv, ws, false);
      baselineMs = Math.min(baselineMs, bare.ms);
      const q = await validateOnce(csv, ws, true);
      quietMs = Math.min(quietMs, q.ms);
      waiting = q.waiting;
      valid = q.rows;
    }
  } finally {
    ws.close();
    await rm(wsDir, { recursive: true, force: true });
  }
  // The planning alone: the same numbers, already in E.164, in memory.
  const numbers = Array.from({ length: rows }, (_, i) => bases[i % bases.length] as string);
  const w = parseWindow('09:00-20:00');
  if ('reason' in w) throw new Error(w.reason);
  let planningMs = Infinity;
  let planningBareMs = Infinity;
  for (let r = 0; r < rounds; r++) {
    let sink = 0;
    let t0 = performance.now();
    for (const n of numbers) sink += n.length;
    planningBareMs = Math.min(planningBareMs, performance.now() - t0);
    const planner = new QuietPlanner(w, 'Europe/Berlin');
    const now = Date.now();
    t0 = performance.now();
    for (const n of numbers) {
      const c = countryOfNumber(n);
      if (planner.waitOf(c ?? '', c === undefined ? undefined : zonesOfCountry(c), now) !== undefined) sink++;
    }
    planningMs = Math.min(planningMs, performance.now() - t0);
    if (sink < 0) console.log(sink);
  }
  return { rows: valid, countries: bases.length, baselineMs, quietMs, waiting, planningMs, planningBareMs };
}
