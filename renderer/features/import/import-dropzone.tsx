import type { DragEvent, ReactElement } from 'react';
import { useState } from 'react';
import { Icon } from '../../ui/icons';
import { Banner, PageHeader } from '../../ui/kit';

/** ImportDropzoneProps are what the empty import page does with a file, and the hidden file input it holds. */
export interface ImportDropzoneProps {
  /** Files dropped on the zone. */
  onFiles: (files: FileList | null) => void;
  onChooseFile: () => void;
  onOpenDialog: () => void;
  onOpenSample: () => void;
  /** Why the last file could not be opened, if it could not. */
  openError: string | null;
  /** The hidden file input "Choose a file…" clicks (ImportStep owns it: the page with a file shows it too). */
  fileInput: ReactElement;
}

/** ImportDropzone is step 1 before any file: a zone to drop a CSV on, the ways to open one, and tips. */
export function ImportDropzone({ onFiles, onChooseFile, onOpenDialog, onOpenSample, openError, fileInput }: ImportDropzoneProps): ReactElement {
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    onFiles(e.dataTransfer.files);
  };

  return (
    <div className="page">
      <PageHeader title="Import contacts" subtitle="Start with the contact list exported from your CRM or spreadsheet. CSV files from Excel, Google Sheets and most CRMs work as they are." />
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <div className="dropzone-icon">
          <Icon name="upload" size={30} />
        </div>
        <h2>Drop a CSV file here</h2>
        <p>Comma, semicolon, tab or pipe separated · UTF-8, UTF-16 or Windows-1252 · up to millions of rows</p>
        <div className="row-gap">
          <button type="button" className="btn btn-primary" data-testid="choose-file" onClick={onChooseFile}>
            <Icon name="file" /> Choose a file…
          </button>
          <button type="button" className="btn btn-secondary" onClick={onOpenDialog}>
            <Icon name="folder" /> Open with system dialog
          </button>
        </div>
        <button type="button" className="link" data-testid="open-sample" onClick={onOpenSample}>
          or try it with sample contacts and a sandbox campaign
        </button>
        {fileInput}
      </div>
      {openError !== null && <Banner tone="error" title="The file could not be opened">{openError}</Banner>}
      <div className="tips">
        <div className="tip">
          <Icon name="columns" />
          <div>
            <strong>One row per contact</strong>
            <p>The first row names the columns. Include a column with each contact's conversation id.</p>
          </div>
        </div>
        <div className="tip">
          <Icon name="check" />
          <div>
            <strong>Nothing is sent yet</strong>
            <p>You will map columns to the message and preview every row before anything goes out.</p>
          </div>
        </div>
        <div className="tip">
          <Icon name="flask" />
          <div>
            <strong>No account yet?</strong>
            <p>The built-in Sandbox profile simulates the provider so you can try the whole flow.</p>
          </div>
        </div>
      </div>
    </div>
  );
}
