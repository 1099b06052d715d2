import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FilePicks } from '../../../shared/ipc/contract';
import { AttachFilesCard } from './attach-files';
import type { Draft } from './draft';
import { draftToSpec, newDraft, specToDraft } from './draft';

const headers = ['conversation_id', 'name', 'invoice'];
const pingback = { kind: 'pingback', baseUrl: 'https://api.pingback.live' } as const;

function Harness({ initial }: { initial: Draft }) {
  const [draft, setDraft] = useState(initial);
  return (
    <>
      <AttachFilesCard draft={draft} setDraft={setDraft} headers={headers} />
      <output data-testid="spec">{JSON.stringify(draftToSpec(draft, pingback))}</output>
    </>
  );
}

const spec = () => JSON.parse(screen.getByTestId('spec').textContent ?? '{}') as Record<string, unknown>;
const brochure = { name: 'brochure.pdf', size: 1234, type: 'application/pdf', sizeText: '1.2 KB' };
let picks: FilePicks;
let pick: ReturnType<typeof vi.fn>;

beforeEach(() => {
  picks = { files: [], folder: null };
  pick = vi.fn(async ({ kind }: { kind: 'file' | 'folder' }) => {
    if (kind === 'file') picks = { ...picks, files: [brochure] };
    else picks = { ...picks, folder: { name: 'Invoices' } };
    return { ...picks, picked: true, name: kind === 'file' ? 'brochure.pdf' : 'Invoices' };
  });
  (window as unknown as { api: unknown }).api = { attachments: { pick, list: async () => picks, clear: async () => picks } };
});
afterEach(cleanup);

describe('the Attachments card (Pingback)', () => {
  it('adds a file picked in main’s dialog by its name, and a column of file names found in a picked folder', async () => {
    render(<Harness initial={newDraft('pingback', headers)} />);
    expect(spec().files).toBeUndefined();
    fireEvent.click(screen.getByTestId('attach-file'));
    await waitFor(() => expect(spec().files).toEqual(['brochure.pdf']));
    expect(pick).toHaveBeenCalledWith({ kind: 'file' });
    expect(screen.getByTestId('attached-file').textContent).toContain('1.2 KB · application/pdf');

    fireEvent.change(screen.getByTestId('attach-column'), { target: { value: 'invoice' } });
    expect(spec().files).toEqual(['brochure.pdf', '{{invoice}}']);
    expect(screen.getByTestId('attach-folder-note').textContent).toMatch(/Choose the folder these files are in/);
    fireEvent.click(screen.getByTestId('attach-folder'));
    await waitFor(() => expect(screen.getByTestId('attach-folder-note').textContent).toMatch(/found in the folder “Invoices”/));
    expect(pick).toHaveBeenLastCalledWith({ kind: 'folder' });

    fireEvent.click(screen.getByRole('button', { name: 'Remove brochure.pdf' }));
    expect(spec().files).toEqual(['{{invoice}}']);
    fireEvent.change(screen.getByTestId('attach-column'), { target: { value: '' } });
    expect(spec().files).toBeUndefined();
  });

  it('says when a file named by an opened campaign file is not picked in this window', async () => {
    const draft = specToDraft({ provider: pingback, message: { content: 'Hi' }, files: ['terms.pdf'] }, 'pingback');
    expect(draft.files).toEqual(['terms.pdf']);
    render(<Harness initial={draft} />);
    await waitFor(() => expect(screen.getByTestId('attached-file').textContent).toMatch(/not picked in this window: add it again/));
  });
});
