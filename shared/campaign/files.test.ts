import { describe, expect, it } from 'vitest';
import { InputError } from '../problems';
import { providers } from '../providers';
import { compilePlan, planRow } from './plan';
import { parseCampaign } from './schema';

const pingback = (files: unknown) => ({ provider: { kind: 'pingback' }, recipient: { conversationId: '{{id}}' }, message: { content: 'Hi' }, files });
const problemsOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  return [];
};

describe('campaign files (Pingback attachments)', () => {
  it('reads a list of paths with placeholders; an empty list means none', () => {
    expect(parseCampaign(pingback(['brochure.pdf', '{{doc}}']), providers).files).toEqual(['brochure.pdf', '{{doc}}']);
    expect(parseCampaign(pingback([]), providers).files).toBeUndefined();
    expect(parseCampaign({ ...pingback(undefined) }, providers).files).toBeUndefined();
  });

  it('refuses files for an API whose documents give no upload, blank entries and more than 10', () => {
    const wassist = { provider: { kind: 'wassist' }, recipient: { conversationId: '{{id}}' }, message: { type: 'text', text: { body: 'Hi' } }, files: ['a.pdf'] };
    expect(problemsOf(() => parseCampaign(wassist, providers))).toEqual([expect.objectContaining({ field: 'files', reason: expect.stringMatching(/only Pingback campaigns can attach files/) })]);
    const sandboxPingback = { ...pingback(['a.pdf']), provider: { kind: 'sandbox', simulate: 'pingback' } };
    expect(parseCampaign(sandboxPingback, providers).files).toEqual(['a.pdf']);
    expect(problemsOf(() => parseCampaign(pingback([' ']), providers))).toEqual([expect.objectContaining({ field: 'files[0]', reason: 'must name a file' })]);
    expect(problemsOf(() => parseCampaign(pingback(Array(11).fill('a.pdf')), providers))).toEqual([expect.objectContaining({ field: 'files', reason: 'at most 10 files a message' })]);
  });

  it('names an unknown column in a path by its field', () => {
    const spec = parseCampaign(pingback(['{{dok}}']), providers);
    expect(problemsOf(() => compilePlan(spec, ['id', 'doc']))).toEqual([expect.objectContaining({ field: 'files[0]', column: 'dok', reason: expect.stringMatching(/did you mean "doc"/) })]);
  });

  it('renders each row’s paths; an empty cell or a path leaving the folder is an error of that row and field', () => {
    const plan = compilePlan(parseCampaign(pingback(['terms.pdf', 'docs/{{doc}}', '{{doc}}']), providers), ['id', 'doc']);
    expect(plan.columns).toEqual(['id', 'doc']);
    expect(planRow(plan, 1, ['c1', 'a.pdf'])).toMatchObject({ files: ['terms.pdf', 'docs/a.pdf', 'a.pdf'], problems: [] });
    expect(planRow(plan, 2, ['c1', '']).problems).toEqual([
      { row: 2, field: 'files[1]', column: 'doc', reason: 'missing value: column "doc" is empty, so there is no file to attach', severity: 'error' },
      { row: 2, field: 'files[2]', column: 'doc', reason: 'missing value: column "doc" is empty, so there is no file to attach', severity: 'error' },
    ]);
    expect(planRow(plan, 3, ['c1', '../../x.pdf']).problems.map((p) => p.field)).toEqual(['files[1]', 'files[2]']);
  });
});
