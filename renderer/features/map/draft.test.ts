import { describe, expect, it } from 'vitest';
import { draftToSpec, specToDraft } from './draft';

describe('a campaign file through the map step', () => {
  it('keeps the opt-out of the conversation check ("checkConversations": false) when opened and saved again', () => {
    const file = {
      provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
      recipient: { conversationId: '{{conversation_id}}' },
      message: { type: 'text', text: { body: 'Hi' } },
      checkConversations: false,
      throttle: { concurrency: 4, perSecond: 20 },
      retry: { attempts: 5 },
    };
    const again = draftToSpec(specToDraft(file, 'wassist'), { kind: 'wassist', baseUrl: 'https://backend.wassist.app' });
    expect(again.checkConversations).toBe(false);
    const { checkConversations: _dropped, ...plain } = file;
    expect(draftToSpec(specToDraft(plain, 'wassist'), { kind: 'wassist', baseUrl: 'https://backend.wassist.app' })).not.toHaveProperty('checkConversations');
  });
});
