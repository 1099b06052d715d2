import type { JsonObject, JsonValue } from '../../shared/json';
import { isJsonObject } from '../../shared/json';
import type { WireKind } from '../../shared/providers/types';

/**
 * describeMessage renders a request body as a person reads it on the phone, for
 * `campaign preview` without --json. The exact JSON is always one flag away.
 */
export function describeMessage(kind: WireKind, body: JsonObject): string[] {
  const s = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
  const list = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.map((x) => s(x)) : []);
  const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});
  const lines: string[] = [];
  const indent = (text: string, pad = '  ') => text.split('\n').map((l) => pad + l).join('\n');

  if (kind === 'pingback') {
    lines.push('Message:', indent(s(body.content)));
    const att = Array.isArray(body.attachments) ? body.attachments : [];
    if (att.length > 0) lines.push(`Attachments: ${att.length}`);
    return lines;
  }
  if (kind === 'generic') {
    lines.push(`From: ${s(body.sender_type)} ${s(body.sender_id)}`, 'Message:', indent(s(body.text)));
    if (body.auto_reply !== undefined) lines.push(`AI auto-reply: ${body.auto_reply ? 'on' : 'off'}`);
    return lines;
  }
  switch (body.type) {
    case 'text':
      lines.push('Text:', indent(s(obj(body.text).body)));
      break;
    case 'template': {
      const t = obj(body.template);
      const v = obj(t.variables);
      lines.push(`Template "${s(t.name)}"`);
      if (v.header !== undefined) lines.push(`  Header: ${s(v.header)}`);
      list(v.body).forEach((b, i) => lines.push(`  Body {{${i + 1}}}: ${b}`));
      list(v.buttons).forEach((b, i) => lines.push(`  Button ${i + 1}: ${b}`));
      const cards = Array.isArray(v.cards) ? v.cards : [];
      cards.forEach((c, k) => {
        const card = obj(c);
        lines.push(`  Card ${k + 1}:`);
        if (card.header !== undefined) lines.push(`    Header: ${s(card.header)}`);
        list(card.body).forEach((b, i) => lines.push(`    Body {{${i + 1}}}: ${b}`));
        list(card.buttons).forEach((b, i) => lines.push(`    Button ${i + 1}: ${b}`));
      });
      break;
    }
    case 'cta': {
      const c = obj(body.cta);
      if (c.image !== undefined) lines.push(`[image] ${s(obj(c.image).url)}`);
      lines.push(indent(s(c.body), ''), `[ ${s(c.buttonText)} ] → ${s(c.url)}`);
      break;
    }
    case 'unified': {
      const u = obj(body.unified);
      if (u.media !== undefined) lines.push(`[media] ${s(obj(u.media).url)}`);
      if (u.text !== undefined) lines.push(indent(s(u.text), ''));
      if (u.footer !== undefined) lines.push(`  ${s(u.footer)}`);
      const buttons = Array.isArray(u.buttons) ? u.buttons : [];
      for (const b of buttons) {
        const btn = obj(b);
        lines.push(btn.type === 'url' ? `[ ${s(btn.text)} ] → ${s(btn.url)}` : `[ ${s(btn.text)} ] (quick reply ${s(btn.quickReplyId)})`);
      }
      break;
    }
    default:
      lines.push(JSON.stringify(body, null, 2));
  }
  return lines;
}
