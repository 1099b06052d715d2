/** scaleSpec is the campaign every scale run sends: a template to each row's conversation, as fast as the mock takes it. */
export function scaleSpec(baseUrl: string): Record<string, unknown> {
  return {
    name: 'Scale',
    provider: { kind: 'wassist', baseUrl },
    recipient: { conversationId: '{{conversation_id}}' },
    message: { type: 'template', template: { name: 'order_update', variables: { body: ['{{first_name}}', '{{order_id}}'] } } },
    throttle: { concurrency: 32, perSecond: 10_000 },
    retry: { attempts: 3 },
  };
}
