import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from './cli-harness';
import { csv, workspace } from './cli-harness';

/**
 * The command line shares the campaign file's rules with the app: a column whose name holds `|`
 * or `}}` is reached with a quoted placeholder, and a default country that is not a two-letter
 * code the phone library knows is refused, naming the field (issue 14, items 1 and 5).
 */

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

const odd = "=cmd|' /C calc'!A0";

describe('campaign preview and validate: columns and countries', () => {
  it('previews a column whose name holds a bar and a formula through a quoted placeholder', async () => {
    const contacts = await ws.file('c.csv', csv(['conversation_id', odd, 'a}}b'], [['c1', 'value one', 'Größe']]));
    const spec = await ws.file('s.campaign.json', {
      provider: { kind: 'sandbox' },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { type: 'text', text: { body: `A: {{${JSON.stringify(odd)}}}, B: {{"a}}b"|none}}` } },
    });
    const r = await ws.run(['preview', contacts, '--spec', spec, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('A: value one, B: Größe');
  });

  it('refuses a country name where the code belongs, naming the field and the code to write', async () => {
    const contacts = await ws.file('c.csv', csv(['phone', 'name'], [['030 9876543', 'Jürgen']]));
    const spec = await ws.file('s.campaign.json', {
      provider: { kind: 'sandbox' },
      recipient: { phone: '{{phone}}', botId: '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f', defaultCountry: 'Germany' },
      message: { type: 'text', text: { body: 'Hallo {{name}}' } },
    });
    const r = await ws.run(['validate', contacts, '--spec', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('recipient.defaultCountry');
    expect(r.stderr).toContain('"DE" (Germany)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
