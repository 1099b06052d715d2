import { createHash } from 'node:crypto';

/**
 * A simulated API's reading of a `multipart/form-data` body, done by a parser that is not ours:
 * the WHATWG Response.formData() that Node (and Electron) ship, as a server's framework would parse
 * it. So a form our encoder gets wrong (a boundary, a header, a length) is refused here as a real
 * server would refuse it, not read back by the code that wrote it.
 */

/** SimFile is one file of a form: its name and type as sent, its size and the SHA-256 of its bytes. */
export interface SimFile {
  filename: string;
  type: string;
  size: number;
  sha256: string;
}

/** SimForm is a parsed form: each field's files and text values, in order. */
export interface SimForm {
  files: Map<string, SimFile[]>;
  texts: Map<string, string[]>;
}

/** isMultipart tells whether a content type is `multipart/form-data`. */
export function isMultipart(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'multipart/form-data';
}

/** parseForm parses a multipart body, or says why it cannot be parsed (as a framework's 400 would). */
export async function parseForm(contentType: string, bytes: Uint8Array): Promise<SimForm | { error: string }> {
  let data: FormData;
  try {
    data = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  const form: SimForm = { files: new Map(), texts: new Map() };
  for (const [name, value] of data.entries()) {
    if (typeof value === 'string') {
      form.texts.set(name, [...(form.texts.get(name) ?? []), value]);
      continue;
    }
    const buf = new Uint8Array(await value.arrayBuffer());
    const file: SimFile = { filename: value.name, type: value.type, size: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
    form.files.set(name, [...(form.files.get(name) ?? []), file]);
  }
  return form;
}
