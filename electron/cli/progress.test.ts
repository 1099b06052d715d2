import { describe, expect, it } from 'vitest';
import { emptyTotals } from '../../shared/engine/events';
import { ProgressReporter } from './progress';

function plain() {
  let text = '';
  const reporter = new ProgressReporter({ isTTY: false, write: (t) => void (text += t) }, () => 10_000, 5_000);
  return { reporter, text: () => text };
}

describe('ProgressReporter and the pace', () => {
  it('says when the pace is lowered and why, shows it in the progress line, and says when it is back', () => {
    const { reporter, text } = plain();
    const reason = 'the provider refused requests with HTTP 429 and no Retry-After after accepting 60 in one second';
    reporter.event({ type: 'pace', perSecond: 57, ceiling: 100, lowered: true, reason, at: 1 });
    reporter.event({ type: 'pace', perSecond: 58, ceiling: 100, lowered: false, reason, at: 2 }); // a small rise: no line
    reporter.update({ totals: { ...emptyTotals(600), pending: 300, sent: 300 }, ratePerSecond: 57.5, etaSeconds: 5, pace: { perSecond: 58, ceiling: 100 } }, true);
    reporter.event({ type: 'pace', perSecond: 100, ceiling: 100, lowered: false, reason: '', at: 3 });
    expect(text().split('\n')).toEqual([
      `Pace lowered to 57/s (100/s asked): ${reason}.`,
      'progress: 300/600 50% · sent 300 · 57.5/s (paced at 58/s) · ETA 5s',
      'Pace back to the 100/s asked: no refusal for a while.',
      '',
    ]);
  });
});
