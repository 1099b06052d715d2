import type { ReactElement, ReactNode } from 'react';
import { useState } from 'react';
import type { JsonValue } from '../../../shared/json';
import type { WireKind } from '../../../shared/providers/types';
import { Icon } from '../../ui/icons';
import { shortText } from '../../ui/short-text';
import { getArray, getAt, getString } from '../map/json-path';
import { isRemoteImage, previewImageSrc, useLoadImages } from './remote-images';
import './phone.css';

/**
 * PhonePreview draws a request body the way the recipient's phone shows it: a chat bubble with
 * the header, media, text, footer and buttons of each message type, and carousel cards side by
 * side. It draws the body main built for the row, so what it shows is what is sent.
 */
export interface PhonePreviewProps {
  wire: WireKind;
  /** The request body (`preview.request.body`). */
  body: unknown;
  /** Shown as the chat's title: the conversation id. */
  recipient: string;
}

const isHttpsUrl = isRemoteImage;

function hostOf(s: string): string {
  try {
    return new URL(s).host;
  } catch {
    return s;
  }
}

/**
 * Media is an https image, or a placeholder naming its host: always until the person turns
 * "Load images" on, and when it cannot load (offline, http, not an image, a host main was told
 * not to contact). The image comes through main (previewImageSrc), never straight from its server.
 */
export function Media({ url, label }: { url: string; label: string }): ReactElement {
  const [load] = useLoadImages();
  const [failed, setFailed] = useState<string | null>(null);
  if (url === '' || !load || failed === url || !isHttpsUrl(url)) {
    return (
      <div className="bubble-media bubble-media-empty" data-testid="media-placeholder" title={url === '' ? undefined : `${url}${load ? '' : ' (not loaded)'}`}>
        <Icon name="image" size={26} />
        <span>{url === '' ? `No ${label}` : hostOf(url)}</span>
      </div>
    );
  }
  return <img className="bubble-media" src={previewImageSrc(url)} alt={label} referrerPolicy="no-referrer" onError={() => setFailed(url)} />;
}

/** mediaUrlsOf lists the https image URLs a Wassist body shows (template and card headers, CTA image, unified media). */
export function mediaUrlsOf(body: JsonValue): string[] {
  const found = [
    getAt(body, ['template', 'variables', 'header']),
    ...getArray(body, ['template', 'variables', 'cards']).map((c) => getAt(c, ['header'])),
    getAt(body, ['cta', 'image', 'url']),
    getAt(body, ['unified', 'media', 'url']),
  ];
  return found.filter((u): u is string => typeof u === 'string' && isHttpsUrl(u));
}

/** ImagesToggle is the preview's "Load images" switch, shown when the message has images. */
function ImagesToggle({ urls }: { urls: string[] }): ReactElement | null {
  const [load, setLoad] = useLoadImages();
  if (urls.length === 0) return null;
  const hosts = [...new Set(urls.map(hostOf))];
  return (
    <label className="phone-images" data-testid="load-images" title={`Images from ${hosts.join(', ')}. Loading them tells that server your address; the app asks before contacting each one.`}>
      <input type="checkbox" checked={load} onChange={(e) => setLoad(e.target.checked)} />
      <span>Load images</span>
    </label>
  );
}

function Bubble({ children, tag, testId }: { children: ReactNode; tag?: string; testId?: string }): ReactElement {
  return (
    <div className="bubble" data-testid={testId}>
      {tag !== undefined && <span className="bubble-tag">{tag}</span>}
      {children}
      <span className="bubble-time" aria-hidden="true">
        09:41 <Icon name="check" size={12} />
      </span>
    </div>
  );
}

function Buttons({ buttons }: { buttons: { text: string; kind: 'url' | 'reply'; title?: string }[] }): ReactElement | null {
  if (buttons.length === 0) return null;
  return (
    <div className="bubble-buttons">
      {buttons.map((b, i) => (
        <div key={i} className="bubble-button" title={b.title} data-testid="bubble-button">
          <Icon name={b.kind === 'url' ? 'link' : 'reply'} size={14} />
          <span>{b.text === '' ? '(no text)' : b.text}</span>
        </div>
      ))}
    </div>
  );
}

function Variables({ values, prefix }: { values: JsonValue[]; prefix?: string }): ReactElement | null {
  if (values.length === 0) return null;
  return (
    <ol className="bubble-vars">
      {values.map((v, i) => (
        <li key={i}>
          <span className="var-chip">{`${prefix ?? ''}{{${i + 1}}}`}</span>
          <span className={typeof v === 'string' && v.trim() === '' ? 'var-empty' : undefined}>{typeof v === 'string' ? (v.trim() === '' ? 'empty' : shortText(v, SHOWN_VALUE)) : JSON.stringify(v)}</span>
        </li>
      ))}
    </ol>
  );
}

/** How much of a text the bubble shows: a phone screen's worth; the rest is counted, not drawn. */
const SHOWN_TEXT = 2000;
const SHOWN_VALUE = 300;

function Text({ text }: { text: string }): ReactElement | null {
  return text === '' ? null : <p className="bubble-text">{shortText(text, SHOWN_TEXT)}</p>;
}

function TemplateMessage({ body }: { body: JsonValue }): ReactElement {
  const name = getString(body, ['template', 'name']);
  const header = getAt(body, ['template', 'variables', 'header']);
  const vars = getArray(body, ['template', 'variables', 'body']);
  const buttons = getArray(body, ['template', 'variables', 'buttons']);
  const cards = getArray(body, ['template', 'variables', 'cards']);
  return (
    <>
      <Bubble tag={`Template · ${name === '' ? 'no name' : name}`} testId="bubble-template">
        {typeof header === 'string' && (isHttpsUrl(header) ? <Media url={header} label="header image" /> : <p className="bubble-header">{header === '' ? 'empty header' : shortText(header, SHOWN_VALUE)}</p>)}
        <Variables values={vars} />
        {vars.length === 0 && header === undefined && <p className="bubble-text muted">This template has no variables.</p>}
        <Buttons buttons={buttons.map((b) => ({ text: typeof b === 'string' ? b : '', kind: 'url' as const }))} />
      </Bubble>
      {cards.length > 0 && (
        <div className="carousel" role="list" aria-label="Carousel cards" tabIndex={0} data-testid="carousel">
          {cards.map((c, k) => {
            const h = getString(c, ['header']);
            return (
              <div className="carousel-card" role="listitem" key={k} data-testid="carousel-card">
                {h !== '' && (isHttpsUrl(h) ? <Media url={h} label={`card ${k + 1} image`} /> : <p className="bubble-header">{shortText(h, SHOWN_VALUE)}</p>)}
                <Variables values={getArray(c, ['body'])} />
                <Buttons buttons={getArray(c, ['buttons']).map((b) => ({ text: typeof b === 'string' ? b : '', kind: 'url' as const }))} />
              </div>
            );
          })}
        </div>
      )}
    </>
  );
}

function WassistMessage({ body }: { body: JsonValue }): ReactElement {
  switch (getString(body, ['type'])) {
    case 'text':
      return (
        <Bubble testId="bubble-text">
          <Text text={getString(body, ['text', 'body'])} />
        </Bubble>
      );
    case 'cta': {
      const image = getAt(body, ['cta', 'image', 'url']);
      const url = getString(body, ['cta', 'url']);
      return (
        <Bubble testId="bubble-cta">
          {typeof image === 'string' && <Media url={image} label="image" />}
          <Text text={getString(body, ['cta', 'body'])} />
          <Buttons buttons={[{ text: getString(body, ['cta', 'buttonText']), kind: 'url', title: url }]} />
        </Bubble>
      );
    }
    case 'unified': {
      const media = getAt(body, ['unified', 'media', 'url']);
      const footer = getString(body, ['unified', 'footer']);
      const buttons = getArray(body, ['unified', 'buttons']).map((b) => ({
        text: getString(b, ['text']),
        kind: getString(b, ['type']) === 'url' ? ('url' as const) : ('reply' as const),
        title: getString(b, ['url']) || getString(b, ['quickReplyId']),
      }));
      return (
        <Bubble testId="bubble-unified">
          {typeof media === 'string' && <Media url={media} label="media" />}
          <Text text={getString(body, ['unified', 'text'])} />
          {footer !== '' && <p className="bubble-footer">{footer}</p>}
          <Buttons buttons={buttons} />
        </Bubble>
      );
    }
    default:
      return <TemplateMessage body={body} />;
  }
}

export function PhonePreview({ wire, body, recipient }: PhonePreviewProps): ReactElement {
  const value = (body ?? {}) as JsonValue;
  const app = wire === 'wassist' ? 'WhatsApp' : wire === 'pingback' ? 'Pingback chat' : 'Messages';
  const media = wire === 'wassist' ? mediaUrlsOf(value) : [];
  return (
    <div className="phone" data-testid="phone">
      <div className="phone-notch" aria-hidden="true" />
      <div className="phone-top">
        <span className="avatar" aria-hidden="true">
          {(recipient.trim()[0] ?? '?').toUpperCase()}
        </span>
        <span className="phone-title">
          <span className="phone-name" data-testid="phone-recipient">{recipient === '' ? 'New conversation' : recipient}</span>
          <span className="phone-app">{app}</span>
        </span>
        <ImagesToggle urls={media} />
      </div>
      <div className="phone-chat">
        {wire === 'wassist' && <WassistMessage body={value} />}
        {wire === 'pingback' && (
          <Bubble testId="bubble-pingback">
            <Text text={getString(value, ['content'])} />
            {getArray(value, ['attachments']).length > 0 && <p className="bubble-footer">{getArray(value, ['attachments']).length} attachment(s)</p>}
          </Bubble>
        )}
        {wire === 'generic' && (
          <Bubble tag={`${getString(value, ['sender_type']) || 'sender'} · ${getString(value, ['sender_id']) || 'no id'}`} testId="bubble-generic">
            <Text text={getString(value, ['text'])} />
            {getAt(value, ['auto_reply']) === true && <p className="bubble-footer">AI agent replies automatically</p>}
          </Bubble>
        )}
      </div>
    </div>
  );
}
