import { describe, expect, it } from 'vitest';
import { funnelOf, percent, replyBucketOf, replyTimeBuckets, summaryOf, unpublishedNote } from './funnel';

const counts = { sent: 20, delivered: 19, read: 15, clicked: 6, replied: 5, optedOut: 1, failed: 1, clickData: 20 };

describe('the funnel', () => {
  it('gives each stage its share of sent and of the stage it follows', () => {
    const stages = funnelOf(20, counts, true, 'wassist');
    expect(stages.map((s) => [s.stage, s.count, s.base, s.ofSent, s.ofBase])).toEqual([
      ['sent', 20, undefined, 1, null],
      ['delivered', 19, 'sent', 0.95, 0.95],
      ['read', 15, 'delivered', 0.75, 15 / 19],
      ['clicked', 6, 'read', 0.3, 0.4],
      ['replied', 5, 'read', 0.25, 5 / 15],
    ]);
  });

  it('says why a stage is unknown instead of counting zero', () => {
    expect(funnelOf(3, undefined, false, 'pingback').slice(1).map((s) => [s.count, s.note])).toEqual(Array(4).fill([null, 'not published by Pingback']));
    expect(funnelOf(3, undefined, true, 'wassist')[1]).toMatchObject({ count: null, note: 'not read yet' });
    expect(funnelOf(3, { ...counts, clickData: 0 }, true, 'wassist')[3]).toMatchObject({ count: null, note: expect.stringContaining('link button') });
    expect(unpublishedNote('generic')).toBe('The generic messaging API publishes no delivery, read, click or reply data, so only what was sent is known.');
    expect(summaryOf(3, counts, false)).toEqual({ sent: 3, delivered: null, read: null, clicked: null, replied: null, optedOut: null });
  });

  it('puts a reply in its reply-time bar, and writes rates', () => {
    expect([0, 59, 60, 299, 3_599, 3_600, 86_399, 86_400, 10 * 86_400].map(replyBucketOf)).toEqual([0, 0, 1, 1, 3, 4, 6, 7, 8]);
    expect(replyTimeBuckets).toHaveLength(9);
    expect([percent(0.4251), percent(1), percent(null)]).toEqual(['42.5%', '100.0%', '–']);
  });
});
