import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlotMode } from './slot';
import { SlotEditor } from './slot-editor';

const headers = ['conversation_id', 'first_name', 'city'];

/** Harness keeps the value in state, as the map step does, and shows it for the assertions. */
function Harness({ initial, preferred }: { initial: string; preferred?: SlotMode }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <SlotEditor label="Body {{1}}" value={value} onChange={setValue} headers={headers} preferred={preferred} maxLength={20} testId="s" />
      <output data-testid="value">{value}</output>
    </>
  );
}

const value = () => screen.getByTestId('value').textContent;

afterEach(cleanup);

describe('SlotEditor', () => {
  it('fills a slot from a column, with an optional fallback', () => {
    render(<Harness initial="" />);
    expect(screen.getByTestId('s').dataset.mode).toBe('column');
    fireEvent.change(screen.getByTestId('s-column'), { target: { value: 'first_name' } });
    expect(value()).toBe('{{first_name}}');
    fireEvent.change(screen.getByTestId('s-fallback'), { target: { value: 'there' } });
    expect(value()).toBe('{{first_name|there}}');
    fireEvent.change(screen.getByTestId('s-column'), { target: { value: 'city' } });
    expect(value()).toBe('{{city|there}}');
  });

  it('takes fixed text, with a counter against the provider limit', () => {
    render(<Harness initial="" preferred="literal" />);
    fireEvent.change(screen.getByTestId('s-text'), { target: { value: 'A very long button label' } });
    expect(value()).toBe('A very long button label');
    expect(screen.getByText('24/20').className).toContain('text-error');
  });

  it('inserts a column with a fallback at the caret in mixed text', () => {
    render(<Harness initial="Hi !" />);
    expect(screen.getByTestId('s').dataset.mode).toBe('literal');
    fireEvent.click(screen.getByTestId('s-mode-template'));
    const text = screen.getByTestId('s-text') as HTMLInputElement;
    text.setSelectionRange(3, 3);
    fireEvent.change(screen.getByTestId('s-insert-fallback'), { target: { value: 'friend' } });
    fireEvent.change(screen.getByTestId('s-insert'), { target: { value: 'first_name' } });
    expect(value()).toBe('Hi {{first_name|friend}}!');
    expect(screen.getByTestId('s').dataset.mode).toBe('template');
  });

  it('switches modes keeping what fits', () => {
    render(<Harness initial="Hi {{first_name|there}}!" />);
    expect(screen.getByTestId('s').dataset.mode).toBe('template');
    fireEvent.click(screen.getByTestId('s-mode-column'));
    expect(value()).toBe('{{first_name|there}}');
    fireEvent.click(screen.getByTestId('s-mode-literal'));
    expect(value()).toBe('there');
  });

  it('warns about a column the CSV does not have', () => {
    render(<Harness initial="{{frist_name}}" />);
    expect(screen.getByTestId('s-unknown').textContent).toBe('Column "frist_name" is not in this file');
    expect((screen.getByTestId('s-column') as HTMLSelectElement).value).toBe('frist_name');
  });

  it('labels its controls for assistive technology', () => {
    render(<Harness initial="{{city}}" />);
    expect(screen.getByLabelText('Body {{1}}', { selector: 'select' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Body {{1}}: fill with' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Column' }).getAttribute('aria-pressed')).toBe('true');
  });
});
