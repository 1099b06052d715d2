import { z } from 'zod';
import type { Bounds } from './security';

/**
 * Remembering the window: its last normal (not maximised) rectangle and whether it was maximised,
 * kept in the settings store. A saved position is only reused when enough of the window would be
 * visible on a display that is attached now (a laptop unplugged from its second monitor must not
 * open the app off screen).
 */

/** Rect is a display's work area. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** WindowState is what is stored. */
export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

/** DEFAULT_SIZE is the first-run window size. */
export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
const MIN_VISIBLE = { width: 200, height: 100 };

const savedSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  maximized: z.boolean().default(false),
});

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * restoreWindowState turns whatever was stored (possibly nothing, possibly damaged) into the
 * bounds to open with, given the work areas of the displays attached now (the primary first).
 */
export function restoreWindowState(saved: unknown, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const fit = (w: number, h: number, area: Rect) => ({ width: Math.min(w, area.width), height: Math.min(h, area.height) });
  const parsed = savedSchema.safeParse(saved);
  if (!parsed.success) return { bounds: fit(DEFAULT_SIZE.width, DEFAULT_SIZE.height, primary), maximized: false };
  const s = parsed.data;
  if (s.x !== undefined && s.y !== undefined) {
    const rect = { x: s.x, y: s.y, width: s.width, height: s.height };
    const area = workAreas.find((a) => {
      const o = overlap(rect, a);
      return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height;
    });
    if (area !== undefined) return { bounds: { x: s.x, y: s.y, ...fit(s.width, s.height, area) }, maximized: s.maximized };
  }
  return { bounds: fit(s.width, s.height, primary), maximized: s.maximized };
}

/** captureWindowState is what to store for a window about to close. */
export function captureWindowState(win: { getNormalBounds(): Rect; isMaximized(): boolean }): { x: number; y: number; width: number; height: number; maximized: boolean } {
  const b = win.getNormalBounds();
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() };
}
