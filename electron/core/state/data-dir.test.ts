import { describe, expect, it } from 'vitest';
import { dataDir, defaultDataDir } from './data-dir';

describe('dataDir', () => {
  const linux = { platform: 'linux' as const, homedir: '/home/ana' };

  it('uses $XDG_STATE_HOME on Linux', () => {
    expect(dataDir({ ...linux, env: { XDG_STATE_HOME: '/home/ana/.state', XDG_DATA_HOME: '/home/ana/.data' } })).toBe(
      '/home/ana/.state/campaign-sender',
    );
  });

  it('falls back to $XDG_DATA_HOME, then ~/.local/state', () => {
    expect(dataDir({ ...linux, env: { XDG_DATA_HOME: '/home/ana/.data' } })).toBe('/home/ana/.data/campaign-sender');
    expect(dataDir({ ...linux, env: {} })).toBe('/home/ana/.local/state/campaign-sender');
  });

  it('ignores empty and relative XDG variables, as the XDG spec says', () => {
    expect(dataDir({ ...linux, env: { XDG_STATE_HOME: '', XDG_DATA_HOME: 'relative/dir' } })).toBe(
      '/home/ana/.local/state/campaign-sender',
    );
  });

  it('treats other Unixes like Linux', () => {
    expect(dataDir({ platform: 'freebsd', homedir: '/usr/home/ana', env: {} })).toBe('/usr/home/ana/.local/state/campaign-sender');
  });

  it('uses Application Support on macOS, whatever XDG says', () => {
    expect(dataDir({ platform: 'darwin', homedir: '/Users/ana', env: { XDG_STATE_HOME: '/x' } })).toBe(
      '/Users/ana/Library/Application Support/Campaign Sender',
    );
  });

  it('uses %APPDATA% on Windows, with a fallback under the profile', () => {
    expect(dataDir({ platform: 'win32', homedir: 'C:\\Users\\Ana', env: { APPDATA: 'C:\\Users\\Ana\\AppData\\Roaming' } })).toBe(
      'C:\\Users\\Ana\\AppData\\Roaming\\Campaign Sender',
    );
    expect(dataDir({ platform: 'win32', homedir: 'C:\\Users\\Ana', env: {} })).toBe('C:\\Users\\Ana\\AppData\\Roaming\\Campaign Sender');
  });

  it('lets an explicit directory win, resolved against the working directory', () => {
    const env = { XDG_STATE_HOME: '/home/ana/.state', APPDATA: 'C:\\AppData' };
    expect(dataDir({ ...linux, env, override: '/srv/campaigns' })).toBe('/srv/campaigns');
    expect(dataDir({ ...linux, env, override: 'state', cwd: '/work/project' })).toBe('/work/project/state');
    expect(dataDir({ platform: 'win32', homedir: 'C:\\Users\\Ana', env, override: 'D:\\state' })).toBe('D:\\state');
    expect(dataDir({ platform: 'darwin', homedir: '/Users/ana', env, override: '../s', cwd: '/Users/ana/work' })).toBe('/Users/ana/s');
  });

  it('gives this process an absolute directory', () => {
    expect(defaultDataDir().startsWith('/')).toBe(true);
    expect(defaultDataDir('rel')).toBe(`${process.cwd()}/rel`);
  });
});
