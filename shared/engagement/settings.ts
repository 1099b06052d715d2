import type { CampaignSpec } from '../campaign/schema';

/**
 * A campaign's engagement settings with their defaults: the campaign file's `engagement` block
 * (schema.ts) as the refresh uses it.
 */

/** DEFAULT_WINDOW_HOURS is how long after sending clicks, replies and opt-outs count by default: a week. */
export const DEFAULT_WINDOW_HOURS = 168;

/** REPLY_TEXT_CHARS is how much of a reply the report keeps. */
export const REPLY_TEXT_CHARS = 200;

/** EngagementSettings are the settings in force. */
export interface EngagementSettings {
  /** undefined: the default words (opt-out-words.ts). */
  optOutWords: readonly string[] | undefined;
  keepReplyText: boolean;
  windowMs: number;
}

/** engagementSettingsOf reads a campaign's settings, defaults filled in. */
export function engagementSettingsOf(spec: CampaignSpec): EngagementSettings {
  const e = spec.engagement;
  return {
    optOutWords: e?.optOutWords,
    keepReplyText: e?.keepReplyText ?? true,
    windowMs: (e?.windowHours ?? DEFAULT_WINDOW_HOURS) * 3_600_000,
  };
}

/** replyExcerpt is the part of a reply the report keeps: its first 200 characters (whole code points). */
export function replyExcerpt(text: string): string {
  return Array.from(text.trim()).slice(0, REPLY_TEXT_CHARS).join('');
}
