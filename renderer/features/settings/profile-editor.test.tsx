import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../shared/ipc/contract';
import { ProfileEditor } from './profile-editor';

afterEach(cleanup);

/** editor renders the profile editor over a window.api whose profiles.save records what main would get. */
function editor() {
  const saved: Profile[] = [];
  Object.assign(window, { api: { profiles: { save: async (p: Profile) => (saved.push(p), { ...p, keyState: 'none' }) } } });
  render(<ProfileEditor initial={null} onSaved={() => undefined} onCancel={() => undefined} />);
  fireEvent.change(screen.getByTestId('profile-name'), { target: { value: 'Live' } });
  return saved;
}

function submit(url: string) {
  fireEvent.change(screen.getByTestId('profile-base-url'), { target: { value: url } });
  fireEvent.submit(screen.getByTestId('profile-editor'));
}

describe('the profile editor base URL', () => {
  it.each([
    ['http://api.example.com', 'Base URL must use https://'],
    ['https://secret@api.example.com/', 'Base URL must not contain a user name or password'],
  ])('refuses %s before asking main, saying why', async (url, message) => {
    const saved = editor();
    submit(url);
    expect((await screen.findByRole('alert')).textContent).toContain(message);
    expect(saved).toEqual([]);
  });

  it('saves an https URL, and http only to this machine', async () => {
    const saved = editor();
    submit('https://api.example.com');
    await waitFor(() => expect(saved).toHaveLength(1));
    submit('http://127.0.0.1:8080');
    await waitFor(() => expect(saved.map((p) => (p.provider as { baseUrl: string }).baseUrl)).toEqual(['https://api.example.com', 'http://127.0.0.1:8080']));
  });
});
