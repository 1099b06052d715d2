import { describe, expect, it } from 'vitest';
import { contentTypeOf, extensionOf, formatBytes, typeProblem } from './file-types';

const bytes = (...b: (number | string)[]) => new Uint8Array(b.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));

describe('file kinds a campaign may attach', () => {
  it('knows the content type by the extension, in any case', () => {
    expect(contentTypeOf('A.PDF')).toBe('application/pdf');
    expect(contentTypeOf('photo.jpeg')).toBe('image/jpeg');
    expect(contentTypeOf('run.sh')).toBeUndefined();
    expect(extensionOf('.env')).toBe('');
    expect(extensionOf('docs/a.tar.gz')).toBe('gz');
  });

  it('checks the bytes against the extension where the format has a signature', () => {
    expect(typeProblem('a.pdf', bytes('%PDF-1.7'))).toBeUndefined();
    expect(typeProblem('a.pdf', bytes('<html>'))).toBe('is named .pdf but is not a PDF (its first bytes say otherwise)');
    expect(typeProblem('a.png', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a))).toBeUndefined();
    expect(typeProblem('a.webp', bytes('RIFF', 0, 0, 0, 0, 'WEBP'))).toBeUndefined();
    expect(typeProblem('a.docx', bytes('PK', 3, 4))).toBeUndefined();
    expect(typeProblem('a.docx', bytes('MZ'))).toMatch(/is not a Word document/);
    expect(typeProblem('notes.txt', bytes('anything'))).toBeUndefined();
    expect(typeProblem('x.exe', bytes('MZ'))).toMatch(/^is a \.exe file; a campaign may attach \.pdf, \.png/);
    expect(typeProblem('README', bytes('x'))).toMatch(/^has no extension/);
  });

  it('writes sizes as people read them', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
  });
});
