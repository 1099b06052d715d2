import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { WorkspaceSettings } from '../../../shared/ipc/contract';
import { Banner, Card, Spinner, errorMessage } from '../../ui/kit';

/** The periods offered, in hours, and how they read. */
const PERIODS: { hours: number; label: string }[] = [
  { hours: 24, label: '24 hours' },
  { hours: 48, label: '48 hours' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
];

/** capText says what a cap does, in words. */
export function capText(cap: WorkspaceSettings['frequencyCap']): string {
  if (cap === null) return 'Off: a recipient may get any number of campaign messages.';
  const period = PERIODS.find((p) => p.hours === cap.hours)?.label ?? `${cap.hours} hours`;
  return `At most ${cap.messages} campaign ${cap.messages === 1 ? 'message' : 'messages'} per recipient in any ${period}, counted over every campaign sent from this workspace.`;
}

/**
 * FrequencyCapCard sets the workspace's frequency cap: off by default; once on, a row whose
 * recipient already got that many campaign messages in the period is skipped, with the date of the
 * earlier message. The first time it is set, earlier campaigns are counted in (main reads their journals once).
 */
export function FrequencyCapCard(): ReactElement {
  const [settings, setSettings] = useState<WorkspaceSettings | null>(null);
  const [on, setOn] = useState(false);
  const [messages, setMessages] = useState(1);
  const [hours, setHours] = useState(24);
  const [saving, setSaving] = useState(false);
  const [note, setNote] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    window.api.workspace
      .settings()
      .then((s) => {
        setSettings(s);
        setOn(s.frequencyCap !== null);
        if (s.frequencyCap !== null) {
          setMessages(s.frequencyCap.messages);
          setHours(s.frequencyCap.hours);
        }
      })
      .catch((e: unknown) => setNote({ tone: 'error', text: errorMessage(e) }));
  }, []);

  const save = async () => {
    setSaving(true);
    setNote(null);
    try {
      const s = await window.api.workspace.setFrequencyCap({ frequencyCap: on ? { messages, hours } : null });
      setSettings(s);
      setNote({ tone: 'success', text: `Saved. ${capText(s.frequencyCap)}` });
    } catch (e) {
      setNote({ tone: 'error', text: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="Frequency cap" testId="frequency-cap">
      {settings === null && note === null && <Spinner label="Loading…" />}
      {settings !== null && <p className="muted small">{capText(settings.frequencyCap)}</p>}
      <div className="form-stack">
        <label className="check">
          <input type="checkbox" checked={on} data-testid="cap-on" onChange={(e) => setOn(e.target.checked)} />
          <span>Limit how often one recipient gets campaign messages</span>
        </label>
        {on && (
          <div className="form-row">
            <label className="field field-inline">
              <span className="field-label">At most</span>
              <input className="input input-sm" type="number" min={1} max={1000} value={messages} data-testid="cap-messages" onChange={(e) => setMessages(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))} />
            </label>
            <label className="field field-inline">
              <span className="field-label">{messages === 1 ? 'message' : 'messages'} in any</span>
              <select className="input input-sm" value={hours} data-testid="cap-period" onChange={(e) => setHours(Number(e.target.value))}>
                {PERIODS.map((p) => (
                  <option key={p.hours} value={p.hours}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <div className="row-gap">
          <button type="button" className="btn btn-primary btn-sm" disabled={saving || settings === null} data-testid="cap-save" onClick={() => void save()}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </div>
      {note !== null && <Banner tone={note.tone} testId="cap-note">{note.text}</Banner>}
    </Card>
  );
}
