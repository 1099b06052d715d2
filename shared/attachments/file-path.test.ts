import { describe, expect, it } from 'vitest';
import { baseNameOf, filePathProblem } from './file-path';

describe('filePathProblem: only paths that stay inside the chosen folder', () => {
  it('accepts plain names and subfolders, with either separator', () => {
    for (const ok of ['a.pdf', 'docs/a.pdf', 'docs\\2024\\a b.pdf', 'Rechnung März.pdf', 'a..b.pdf']) expect(filePathProblem(ok), ok).toBeUndefined();
  });

  it('refuses what could leave the folder or reach a hidden file, saying why', () => {
    expect(filePathProblem('')).toBe('is empty');
    expect(filePathProblem(' a.pdf')).toMatch(/starts or ends with a space/);
    expect(filePathProblem('/etc/passwd')).toMatch(/absolute path/);
    expect(filePathProblem('\\\\server\\share\\a.pdf')).toMatch(/absolute path/);
    expect(filePathProblem('C:\\Users\\a.pdf')).toMatch(/drive letter/);
    expect(filePathProblem('a.pdf:stream')).toMatch(/stream/);
    expect(filePathProblem('../a.pdf')).toMatch(/contains "\.\."/);
    expect(filePathProblem('docs/../../a.pdf')).toMatch(/contains "\.\."/);
    expect(filePathProblem('./a.pdf')).toMatch(/contains "\."/);
    expect(filePathProblem('.ssh/id_rsa')).toMatch(/hidden file or folder \("\.ssh"\)/);
    expect(filePathProblem('docs//a.pdf')).toMatch(/empty part/);
    expect(filePathProblem('docs/')).toMatch(/empty part/);
    expect(filePathProblem('a\u0000.pdf')).toMatch(/control character/);
    expect(filePathProblem('invoice\u202Efdp.exe')).toMatch(/control character/);
  });

  it('names the file by the last part of its path', () => {
    expect(baseNameOf('docs\\2024/a.pdf')).toBe('a.pdf');
    expect(baseNameOf('a.pdf')).toBe('a.pdf');
  });
});
