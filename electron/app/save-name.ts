import type { SaveKind } from '../desktop/ports';

/**
 * What a save dialog may be pre-filled with. The suggested name comes from the renderer (or from
 * a campaign name the renderer wrote), which must not be able to point the dialog at a path of its
 * choosing: `~/.bashrc`, `../../.profile` or `C:\Users\me\AppData\…\Startup\x.cmd` would make a
 * one-click overwrite. Main keeps a plain file name with the extension the kind of file needs, and
 * puts it in a folder main chose (the last one the person saved to, else Documents).
 */

/** The extensions a saved file may end with, by kind; the first is the default. */
const EXTENSIONS: Record<SaveKind, readonly string[]> = {
  campaign: ['.campaign.json'],
  report: ['.csv', '.xlsx'],
  optouts: ['.csv'],
};

const DEFAULT_STEM: Record<SaveKind, string> = { campaign: 'campaign', report: 'report', optouts: 'opt-out-list' };

/** Names Windows refuses for a file, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** The longest stem kept (file systems allow 255 bytes; leave room for the extension and a "(2)"). */
const MAX_STEM = 120;

/**
 * saveFileName reduces `suggested` to a plain file name for a `kind` file: no folder (the last
 * `/` or `\` part only), no control or reserved characters, no leading dots (no hidden files),
 * no trailing dots or spaces, not a device name, at most MAX_STEM characters before the
 * extension, and ending with the kind's extension (`.campaign.json`; `.csv` or `.xlsx` for reports; `.csv` for the opt-out list).
 */
export function saveFileName(kind: SaveKind, suggested: string): string {
  const allowed = EXTENSIONS[kind];
  const last = suggested.split(/[\\/]/).pop() ?? '';
  let cleaned = '';
  for (const ch of last.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    cleaned += control || '<>:"|?*'.includes(ch) ? ' ' : ch;
  }
  cleaned = cleaned.replace(/\s+/g, ' ').trim();
  const lower = cleaned.toLowerCase();
  const ext = allowed.find((e) => lower.endsWith(e)) ?? (allowed[0] as string);
  // "x.json" for a campaign becomes "x.campaign.json", not "x.json.campaign.json".
  const tail = lower.endsWith(ext) ? ext : ext.slice(ext.lastIndexOf('.'));
  let stem = lower.endsWith(tail) ? cleaned.slice(0, cleaned.length - tail.length) : cleaned;
  stem = [...stem].slice(0, MAX_STEM).join('');
  stem = stem.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (stem === '') stem = DEFAULT_STEM[kind];
  if (WINDOWS_RESERVED.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  return `${stem}${ext}`;
}
