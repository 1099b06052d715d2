import type { JsonObject } from '../../../shared/json';
import type { WireKind } from '../../../shared/providers/types';
import { matchHint, matchNumbered } from './auto-match';
import { placeholder } from './slot';

/**
 * The kinds of message a user can build, per wire API, and the message each starts from: the
 * provider's own request body, with slots pre-filled from the CSV headers where a header fits.
 */

/** MessageKind names a message shape: Wassist's four types, Pingback's and the generic API's one each. */
export type MessageKind = 'template' | 'text' | 'cta' | 'unified' | 'pingback' | 'generic';

/** messageKindsFor lists the shapes a wire API accepts, with a label for the picker. */
export function messageKindsFor(wire: WireKind): { kind: MessageKind; label: string; hint: string }[] {
  switch (wire) {
    case 'wassist':
      return [
        { kind: 'template', label: 'Template', hint: 'Pre-approved WhatsApp template; can start a conversation' },
        { kind: 'unified', label: 'Unified', hint: 'Text, media, footer and buttons; active conversations only' },
        { kind: 'cta', label: 'Call to action', hint: 'Text with one link button and an optional image' },
        { kind: 'text', label: 'Text', hint: 'Plain text; active conversations only' },
      ];
    case 'pingback':
      return [{ kind: 'pingback', label: 'Message', hint: 'Agent message into the conversation' }];
    case 'generic':
      return [{ kind: 'generic', label: 'Message', hint: 'POST /messages; creates a conversation when none is given' }];
  }
}

/** messageKindOf tells which shape a message has (for a message opened from a file). */
export function messageKindOf(wire: WireKind, message: JsonObject): MessageKind {
  if (wire === 'pingback') return 'pingback';
  if (wire === 'generic') return 'generic';
  const t = message.type;
  return t === 'text' || t === 'cta' || t === 'unified' ? t : 'template';
}

function col(headers: readonly string[], hint: Parameters<typeof matchHint>[1]): string {
  const h = matchHint(headers, hint);
  return h === undefined ? '' : placeholder(h);
}

/** defaultMessage builds a starting message of a kind, slots pre-filled from matching headers. */
export function defaultMessage(kind: MessageKind, headers: readonly string[]): JsonObject {
  const name = col(headers, 'firstName');
  const greeting = name === '' ? 'Hello!' : `Hi ${placeholder(matchHint(headers, 'firstName') as string, 'there')}!`;
  switch (kind) {
    case 'template': {
      const numbered = matchNumbered(headers).map((h) => placeholder(h));
      const body = numbered.length > 0 ? numbered : name !== '' ? [name] : [''];
      const variables: JsonObject = { body };
      const header = col(headers, 'header');
      if (header !== '') variables.header = header;
      const tplName = col(headers, 'templateName');
      return { type: 'template', template: { name: tplName, variables } };
    }
    case 'text':
      return { type: 'text', text: { body: col(headers, 'text') || greeting } };
    case 'cta': {
      const cta: JsonObject = { body: col(headers, 'text') || greeting, buttonText: col(headers, 'buttonText') || 'Open', url: col(headers, 'url') };
      const image = col(headers, 'image');
      if (image !== '') cta.image = { url: image };
      return { type: 'cta', cta };
    }
    case 'unified': {
      const unified: JsonObject = { text: col(headers, 'text') || greeting };
      const media = col(headers, 'media');
      if (media !== '') unified.media = { url: media };
      const footer = col(headers, 'footer');
      if (footer !== '') unified.footer = footer;
      const url = col(headers, 'url');
      if (url !== '') unified.buttons = [{ type: 'url', text: 'Open', url }];
      return { type: 'unified', unified };
    }
    case 'pingback':
      return { content: col(headers, 'text') || greeting };
    case 'generic':
      return { sender_id: col(headers, 'senderId'), sender_type: 'agent', text: col(headers, 'text') || greeting };
  }
}
