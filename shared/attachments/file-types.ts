/**
 * The kinds of file a campaign may attach, known by the name's extension and checked by the file's
 * first bytes where the format has a signature. Chat attachments are documents, images, audio and
 * video a customer opens on a phone; anything else (a program, a script, a disk image) is refused
 * before anything is sent, so a wrong column cannot put one in front of a customer.
 */

/** FileKind is one accepted kind of file: its content type and, when the format has one, how its bytes start. */
interface FileKind {
  type: string;
  /** What a person calls it, for problems ("a PDF"). */
  label: string;
  /** The file starts with one of these byte strings (offset 0), or `at` bytes in. */
  signatures?: { at: number; bytes: number[] }[];
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const zip = { at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] };
const pdf: FileKind = { type: 'application/pdf', label: 'a PDF', signatures: [{ at: 0, bytes: ascii('%PDF-') }] };
const jpeg: FileKind = { type: 'image/jpeg', label: 'a JPEG image', signatures: [{ at: 0, bytes: [0xff, 0xd8, 0xff] }] };
const mp4: FileKind = { type: 'video/mp4', label: 'an MP4 video', signatures: [{ at: 4, bytes: ascii('ftyp') }] };
const office = (type: string, label: string): FileKind => ({ type, label, signatures: [zip] });

/** kinds maps a lower-case extension to its kind. */
const kinds: Record<string, FileKind> = {
  pdf,
  png: { type: 'image/png', label: 'a PNG image', signatures: [{ at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }] },
  jpg: jpeg,
  jpeg,
  gif: { type: 'image/gif', label: 'a GIF image', signatures: [{ at: 0, bytes: ascii('GIF87a') }, { at: 0, bytes: ascii('GIF89a') }] },
  webp: { type: 'image/webp', label: 'a WebP image', signatures: [{ at: 8, bytes: ascii('WEBP') }] },
  txt: { type: 'text/plain', label: 'a text file' },
  csv: { type: 'text/csv', label: 'a CSV file' },
  ics: { type: 'text/calendar', label: 'a calendar invitation' },
  docx: office('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'a Word document'),
  xlsx: office('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'an Excel workbook'),
  pptx: office('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'a PowerPoint presentation'),
  odt: office('application/vnd.oasis.opendocument.text', 'an OpenDocument text'),
  ods: office('application/vnd.oasis.opendocument.spreadsheet', 'an OpenDocument spreadsheet'),
  mp3: { type: 'audio/mpeg', label: 'an MP3 file', signatures: [{ at: 0, bytes: ascii('ID3') }, { at: 0, bytes: [0xff, 0xfb] }, { at: 0, bytes: [0xff, 0xf3] }, { at: 0, bytes: [0xff, 0xf2] }] },
  ogg: { type: 'audio/ogg', label: 'an Ogg file', signatures: [{ at: 0, bytes: ascii('OggS') }] },
  m4a: { type: 'audio/mp4', label: 'an M4A file', signatures: [{ at: 4, bytes: ascii('ftyp') }] },
  mp4,
};

/** SNIFF_BYTES is how many first bytes typeProblem needs to check any signature. */
export const SNIFF_BYTES = 16;

/** extensionOf is a file name's extension, lower case, without the dot ('' when it has none). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** acceptedExtensions lists the extensions a campaign may attach, for messages and the open dialog's filter. */
export function acceptedExtensions(): string[] {
  return Object.keys(kinds);
}

/** contentTypeOf is the content type of a file by its name, or undefined when it is not a kind a campaign may attach. */
export function contentTypeOf(name: string): string | undefined {
  return kinds[extensionOf(name)]?.type;
}

/**
 * typeProblem says why a file of this name and these first bytes may not be attached, or undefined
 * when it may: its extension is not an accepted kind, or its bytes are not what the extension says
 * (a `.pdf` that is not a PDF would reach the customer as a file their phone cannot open).
 */
export function typeProblem(name: string, head: Uint8Array): string | undefined {
  const ext = extensionOf(name);
  const kind = kinds[ext];
  if (kind === undefined) {
    const what = ext === '' ? 'has no extension' : `is a .${ext} file`;
    return `${what}; a campaign may attach ${acceptedExtensions().map((e) => `.${e}`).join(', ')}`;
  }
  if (kind.signatures === undefined) return undefined;
  const fits = kind.signatures.some((s) => s.bytes.every((b, i) => head[s.at + i] === b));
  return fits ? undefined : `is named .${ext} but is not ${kind.label} (its first bytes say otherwise)`;
}

/** formatBytes renders a file size as people read it ("812 B", "1.4 MB"; 1 KB = 1,024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v >= 10 ? 0 : 1)} ${units[u] as string}`;
}
