import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Draft } from './draft';
import { draftToSpec, newDraft, specToDraft } from './draft';
import { ActionPicker, FallbackCard, RecipientCard, sendsFreeForm } from './wassist-extras';

const headers = ['phone', 'name', 'credits'];
const wassist = { kind: 'wassist', baseUrl: 'https://backend.wassist.app' } as const;

/** Harness keeps the draft in state, as the workflow does, and shows the campaign file it makes. */
function Harness({ initial }: { initial: Draft }) {
  const [draft, setDraft] = useState(initial);
  return (
    <>
      <RecipientCard draft={draft} setDraft={setDraft} headers={headers} />
      <ActionPicker draft={draft} setDraft={setDraft} headers={headers} onSwitched={() => undefined} />
      {sendsFreeForm(draft) && <FallbackCard draft={draft} setDraft={setDraft} headers={headers} />}
      <output data-testid="spec">{JSON.stringify(draftToSpec(draft, wassist))}</output>
    </>
  );
}

const spec = () => JSON.parse(screen.getByTestId('spec').textContent ?? '{}') as Record<string, unknown>;

afterEach(cleanup);

describe('the Wassist parts of the map step', () => {
  it('addresses contacts by phone number: column, agent and default country go into recipient', () => {
    render(<Harness initial={{ ...newDraft('wassist', headers), message: { type: 'text', text: { body: 'Hi {{name}}' } } }} />);
    fireEvent.click(screen.getByTestId('recipient-by-phone'));
    fireEvent.change(screen.getByTestId('bot-id'), { target: { value: 'bot-1' } });
    fireEvent.change(screen.getByTestId('default-country'), { target: { value: 'gb' } });
    fireEvent.blur(screen.getByTestId('default-country'));
    expect(spec().recipient).toEqual({ phone: '{{phone}}', botId: 'bot-1', defaultCountry: 'GB' });
    expect(screen.getByTestId('bot-id-note').textContent).toMatch(/not an agent id/);
    // A country typed by name is its code, never the code its first letters spell (GE is Georgia).
    fireEvent.change(screen.getByTestId('default-country'), { target: { value: 'Germany' } });
    fireEvent.blur(screen.getByTestId('default-country'));
    expect(spec().recipient).toMatchObject({ defaultCountry: 'DE' });
    expect((screen.getByTestId('default-country') as HTMLInputElement).value).toBe('Germany (DE)');
    fireEvent.change(screen.getByTestId('default-country'), { target: { value: 'Narnia' } });
    fireEvent.blur(screen.getByTestId('default-country'));
    expect(screen.getByTestId('default-country-note').textContent).toMatch(/not a two-letter ISO 3166 country code.*Choose the country from the list/);
    fireEvent.click(screen.getByTestId('recipient-by-conversation'));
    expect(spec().recipient).toEqual({});
  });

  it('sends a fallback template to inactive conversations when switched on, and skips them when off', () => {
    render(<Harness initial={{ ...newDraft('wassist', headers), message: { type: 'text', text: { body: 'Hi' } } }} />);
    expect(screen.getByTestId('fallback-off')).toBeTruthy();
    expect(spec().fallback).toBeUndefined();
    fireEvent.click(screen.getByTestId('toggle-fallback'));
    const form = screen.getByTestId('fallback-form');
    expect(form.querySelector('[data-testid="slot-template-name"]')).not.toBeNull();
    fireEvent.click(screen.getByTestId('toggle-fallback'));
    expect(spec().fallback).toBeUndefined();
  });

  it('switches the campaign to an action: set credits from a column, trigger with a prompt', () => {
    render(<Harness initial={{ ...newDraft('wassist', headers), message: { type: 'text', text: { body: 'Hi' } } }} />);
    fireEvent.click(screen.getByTestId('action-setCredits'));
    expect(spec()).toMatchObject({ action: 'setCredits', message: { credits: '{{credits}}' } });
    expect(screen.queryByTestId('fallback-card')).toBeNull(); // credits need no active conversation
    fireEvent.click(screen.getByTestId('action-trigger'));
    expect(spec()).toMatchObject({ action: 'trigger', message: { prompt: '' } });
    expect(screen.getByTestId('fallback-card')).toBeTruthy();
    fireEvent.click(screen.getByTestId('action-send'));
    expect(spec().action).toBeUndefined();
    // The message typed before comes back.
    expect(spec().message).toEqual({ type: 'text', text: { body: 'Hi' } });
  });

  it('reads a campaign file with a phone recipient, an action and a fallback back into the same file', () => {
    const file = {
      name: 'Promo',
      provider: wassist,
      recipient: { phone: '{{phone}}', botId: 'bot-1', defaultCountry: 'GB' },
      action: 'trigger',
      message: { prompt: 'Thank {{name}}' },
      fallback: { template: { name: 'order_update', variables: { body: ['{{name}}'] } } },
      onInactive: 'fallback',
      throttle: { concurrency: 2, perSecond: 5 },
      retry: { attempts: 3 },
    };
    expect(draftToSpec(specToDraft(file, 'wassist'), wassist)).toEqual(file);
  });
});
