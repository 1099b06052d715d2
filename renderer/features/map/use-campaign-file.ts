import { useState } from 'react';
import type { JsonObject } from '../../../shared/json';
import { useWorkflow } from '../../app/workflow';
import { errorMessage } from '../../ui/kit';
import { specToDraft, wireOf } from './draft';

/** FileNote is what became of the last open or save, for a banner. */
export interface FileNote {
  tone: 'success' | 'error' | 'info';
  text: string;
}

/**
 * useCampaignFile opens and saves `*.campaign.json` files for the map step: its Open… and Save…
 * buttons and the File menu's Open/Save commands all call these, so they behave the same.
 * Opening picks a profile that sends through the file's wire API (the same provider kind first) and
 * makes the file the draft; `onOpened` lets the step reset the forms that keep state of their own.
 */
export function useCampaignFile(onOpened: () => void): { note: FileNote | null; openFile(): Promise<void>; saveFile(): Promise<void> } {
  const w = useWorkflow();
  const [note, setNote] = useState<FileNote | null>(null);

  const openFile = async () => {
    setNote(null);
    try {
      const opened = await window.api.campaign.openFile();
      if (opened === null) return;
      const d = specToDraft(opened.spec, w.draft?.wire ?? 'wassist');
      const kind = (opened.spec.provider as JsonObject | undefined)?.kind;
      const same = w.profiles.find((p) => p.provider.kind === kind && wireOf(p.provider) === d.wire) ?? w.profiles.find((p) => wireOf(p.provider) === d.wire);
      if (same === undefined) {
        setNote({ tone: 'error', text: `${opened.fileName} is a ${d.wire} campaign, and no profile sends through ${d.wire}. Add one in Settings, then open the file again.` });
        return;
      }
      w.setProfileId(same.id);
      w.setDraft(d);
      onOpened();
      setNote({ tone: 'success', text: `Opened ${opened.fileName}; sending through “${same.name}”.` });
    } catch (e) {
      setNote({ tone: 'error', text: errorMessage(e) });
    }
  };

  const saveFile = async () => {
    // The Save… button is disabled without a campaign; the menu item is not, so it says why instead.
    if (w.spec === null) {
      setNote({ tone: 'info', text: 'There is no message to save yet: import contacts, choose a profile and build the message first.' });
      return;
    }
    setNote(null);
    try {
      const name = (w.draft?.name ?? '').trim() || 'campaign';
      const res = await window.api.campaign.saveFile({ spec: w.spec, suggestedName: `${name}.campaign.json` });
      if (res.saved) setNote({ tone: 'success', text: `Saved ${res.fileName ?? 'the campaign file'}.` });
    } catch (e) {
      setNote({ tone: 'error', text: errorMessage(e) });
    }
  };

  return { note, openFile, saveFile };
}
