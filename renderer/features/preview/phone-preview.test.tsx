import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PhonePreview } from './phone-preview';
import { ProblemList } from './problem-list';
import { setLoadImages } from './remote-images';

afterEach(() => {
  cleanup();
  setLoadImages(false);
});

/** remoteImgs lists every <img> whose src would reach a server other than main. */
function remoteImgs(): string[] {
  return [...document.querySelectorAll('img')].map((i) => i.getAttribute('src') ?? '').filter((src) => !src.startsWith('app://media/'));
}

describe('PhonePreview', () => {
  it('draws a template with header, numbered variables, buttons and carousel cards', () => {
    render(
      <PhonePreview
        wire="wassist"
        recipient="conv-01"
        body={{
          type: 'template',
          template: {
            name: 'order_update',
            variables: {
              header: 'Ana',
              body: ['Ana', 'ORD-1', ''],
              buttons: ['https://t.example.com/ORD-1'],
              cards: [{ header: 'https://img.example.com/a.png', body: ['Madrid'], buttons: ['Shop'] }, { body: ['Lyon'] }],
            },
          },
        }}
      />,
    );
    const bubble = screen.getByTestId('bubble-template');
    expect(within(bubble).getByText('Template · order_update')).toBeTruthy();
    expect(within(bubble).getByText('ORD-1')).toBeTruthy();
    expect(within(bubble).getByText('{{3}}').nextSibling?.textContent).toBe('empty');
    expect(within(bubble).getByTestId('bubble-button').textContent).toBe('https://t.example.com/ORD-1');
    const cards = within(screen.getByTestId('carousel')).getAllByTestId('carousel-card');
    expect(cards).toHaveLength(2);
    // No image until the person asks: the card shows its image's host.
    expect(within(cards[0] as HTMLElement).getByTestId('media-placeholder').textContent).toBe('img.example.com');
    fireEvent.click(within(screen.getByTestId('load-images')).getByRole('checkbox'));
    expect(within(cards[0] as HTMLElement).getByRole('img', { name: 'card 1 image' }).getAttribute('src')).toBe('app://media/?src=https%3A%2F%2Fimg.example.com%2Fa.png');
    expect(screen.getByTestId('phone-recipient').textContent).toBe('conv-01');
  });

  it('draws a CTA with its image, text and one link button', async () => {
    render(<PhonePreview wire="wassist" recipient="c" body={{ type: 'cta', cta: { body: 'Your code is ready', buttonText: 'Open', url: 'https://x.example.com', image: { url: 'https://x.example.com/i.png' } } }} />);
    const bubble = screen.getByTestId('bubble-cta');
    expect(within(bubble).getByText('Your code is ready')).toBeTruthy();
    expect(within(bubble).getByTestId('bubble-button').textContent).toBe('Open');
    expect(within(bubble).getByTestId('bubble-button').getAttribute('title')).toBe('https://x.example.com');
    expect(within(bubble).queryByRole('img')).toBeNull();
    setLoadImages(true);
    // An image that cannot load (or main would not fetch) becomes a placeholder naming its host.
    fireEvent.error(await within(bubble).findByRole('img', { name: 'image' }));
    expect(within(bubble).getByTestId('media-placeholder').textContent).toBe('x.example.com');
  });

  it('draws a unified message with media, footer, link and quick-reply buttons', () => {
    render(
      <PhonePreview
        wire="wassist"
        recipient="c"
        body={{ type: 'unified', unified: { text: 'Sale!', footer: 'Reply STOP to opt out', media: { url: 'http://insecure.example.com/v.mp4' }, buttons: [{ type: 'url', text: 'Shop', url: 'https://s.example.com' }, { type: 'quick_reply', text: 'Later', quickReplyId: 'later' }] } }}
      />,
    );
    const bubble = screen.getByTestId('bubble-unified');
    expect(within(bubble).getByText('Sale!')).toBeTruthy();
    expect(within(bubble).getByText('Reply STOP to opt out')).toBeTruthy();
    expect(within(bubble).getByTestId('media-placeholder').textContent).toBe('insecure.example.com');
    expect(within(bubble).getAllByTestId('bubble-button').map((b) => b.textContent)).toEqual(['Shop', 'Later']);
  });

  it('draws plain text keeping its line breaks', () => {
    render(<PhonePreview wire="wassist" recipient="c" body={{ type: 'text', text: { body: 'Line one\nLine two' } }} />);
    expect(screen.getByTestId('bubble-text').querySelector('.bubble-text')?.textContent).toBe('Line one\nLine two');
  });

  it('draws Pingback and generic messages', () => {
    const { unmount } = render(<PhonePreview wire="pingback" recipient="p-1" body={{ content: 'Hello from support', attachments: [{ url: 'https://a' }] }} />);
    expect(screen.getByTestId('bubble-pingback').textContent).toContain('Hello from support');
    expect(screen.getByTestId('bubble-pingback').textContent).toContain('1 attachment(s)');
    unmount();
    render(<PhonePreview wire="generic" recipient="" body={{ sender_id: 'agent-7', sender_type: 'agent', text: 'Hi!', auto_reply: true }} />);
    expect(screen.getByTestId('phone-recipient').textContent).toBe('New conversation');
    expect(screen.getByTestId('bubble-generic').textContent).toContain('agent · agent-7');
    expect(screen.getByTestId('bubble-generic').textContent).toContain('AI agent replies automatically');
  });
});

describe('preview images', () => {
  const cta = { type: 'cta', cta: { body: 'x', buttonText: 'Open', url: 'https://x.example.com', image: { url: 'https://track.example.net/p.png?u=ana@example.com' } } };

  it('are off by default: no request leaves the page, the placeholder names the host', () => {
    render(<PhonePreview wire="wassist" recipient="c" body={cta} />);
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect(screen.getByTestId('media-placeholder').textContent).toBe('track.example.net');
    expect(within(screen.getByTestId('load-images')).getByRole('checkbox')).toHaveProperty('checked', false);
  });

  it('once turned on, come through main (app://media) for every preview, and never straight from the web', () => {
    const { unmount } = render(<PhonePreview wire="wassist" recipient="c" body={cta} />);
    fireEvent.click(within(screen.getByTestId('load-images')).getByRole('checkbox'));
    expect(screen.getByRole('img', { name: 'image' }).getAttribute('src')).toBe('app://media/?src=https%3A%2F%2Ftrack.example.net%2Fp.png%3Fu%3Dana%40example.com');
    unmount();
    // Another preview (the next row, the review step) keeps the choice.
    render(<PhonePreview wire="wassist" recipient="c" body={{ type: 'unified', unified: { text: 't', media: { url: 'https://cdn.example.org/v.jpg' } } }} />);
    expect(screen.getByRole('img', { name: 'media' }).getAttribute('src')).toMatch(/^app:\/\/media\/\?src=https%3A%2F%2Fcdn\.example\.org/);
    expect(remoteImgs()).toEqual([]);
    fireEvent.click(within(screen.getByTestId('load-images')).getByRole('checkbox'));
    expect(document.querySelectorAll('img')).toHaveLength(0);
  });

  it('has no toggle when the message has no image', () => {
    render(<PhonePreview wire="wassist" recipient="c" body={{ type: 'text', text: { body: 'hi' } }} />);
    expect(screen.queryByTestId('load-images')).toBeNull();
  });
});

describe('ProblemList', () => {
  it('says each problem in words: the field as the form names it, the row in the reason', () => {
    render(
      <ProblemList
        onRow={() => undefined}
        problems={[
          { row: 5, field: 'message.template.variables.cards[0].header', column: 'bild_url', reason: 'missing value: column "bild_url" is empty', severity: 'error' },
          { row: 0, field: 'throttle.perSecond', reason: 'Too small: expected number to be >0', severity: 'error' },
        ]}
      />,
    );
    const items = screen.getAllByTestId('problem').map((b) => b.textContent);
    expect(items[0]).toBe('Row 5Card 1 header: the column bild_url is empty in row 5error');
    expect(items[1]).toContain('Messages per second');
    expect(items.join(' ')).not.toMatch(/message\.template|Too small/);
  });
});
