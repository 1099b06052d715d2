import type { ReactElement } from 'react';
import type { Preview } from '../../../shared/ipc/contract';
import { Icon } from '../../ui/icons';

/**
 * AttachmentList shows the files a row attaches under its preview: each file's name, size and type,
 * or why it cannot be attached. They are uploaded into the conversation before the message; the
 * message's request shows where each upload's answer goes.
 */
export function AttachmentList({ preview }: { preview: Preview }): ReactElement | null {
  const files = preview.attachments ?? [];
  if (files.length === 0) return null;
  return (
    <div className="preview-attachments" data-testid="preview-attachments">
      <p className="muted small">Uploaded into the conversation first, then attached:</p>
      <ul className="attach-list">
        {files.map((f, i) => (
          <li key={`${i}-${f.path}`} data-testid="preview-attachment">
            <Icon name="file" size={16} /> <strong>{f.name}</strong>{' '}
            {f.problem === undefined ? <span className="muted small">{`${f.sizeText ?? ''} · ${f.type ?? ''}`}</span> : <span className="text-error small">{f.problem}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** requestText is a row's exact requests as text: the uploads that go first, then the message with its body. */
export function requestText(preview: Preview, body: string): string {
  const uploads = (preview.uploads ?? []).map((u) => `${u.method} ${u.url}\n  multipart/form-data, ${u.field}: ${u.file}\n\n`).join('');
  return `${uploads}${preview.request.method} ${preview.request.url}\n\n${body}`;
}
