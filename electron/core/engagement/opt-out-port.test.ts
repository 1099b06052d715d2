import { describe, expect, it } from 'vitest';
import type { WorkspaceOptOutList } from './opt-out-port';
import { workspaceOptOuts } from './opt-out-port';

describe('opt-outs on the workspace list', () => {
  it('go on by number when the campaign knows it and always by conversation, with the reply as the reason', async () => {
    const added: Parameters<WorkspaceOptOutList['add']>[] = [];
    const recorder = workspaceOptOuts({ add: (...args) => added.push(args) }, { phoneKey: (e) => `p:${e}`, conversationKey: (id) => `c:${id}` });
    const at = Date.parse('2026-03-01T10:00:00Z');
    const common = { at, word: 'BAJA', reply: 'Baja por favor', campaignId: 'camp-1', campaignName: 'Spring sale', row: 7, replyId: 'm-9' };
    await recorder.add([{ ...common, conversationId: 'c-1', phone: '+34612345678' }, { ...common, conversationId: 'c-2' }]);
    expect(added).toEqual([
      [
        [
          { key: 'p:+34612345678', kind: 'phone', value: '+34612345678' },
          { key: 'c:c-1', kind: 'conversation', value: 'c-1' },
        ],
        { source: 'reply', reason: 'replied "Baja por favor" (BAJA)', origin: 'campaign "Spring sale" row 7, conversation c-1, message m-9', at },
      ],
      [[{ key: 'c:c-2', kind: 'conversation', value: 'c-2' }], expect.objectContaining({ source: 'reply', at })],
    ]);
  });
});
