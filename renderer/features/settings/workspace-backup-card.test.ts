import { describe, expect, it } from 'vitest';
import { backupText } from './workspace-backup-card';

describe('what the backup note says it copied', () => {
  it.each([
    [{ engagement: true, campaigns: 3, contactsFiles: 2, sandboxWorlds: 0 }, 'Backed up 3 campaigns, 2 contacts files and the engagement data'],
    [{ engagement: false, campaigns: 1, contactsFiles: 1, sandboxWorlds: 1 }, 'Backed up 1 campaign, 1 contacts file and 1 simulated Sandbox account'],
    [{ engagement: true, campaigns: 1_204, contactsFiles: 0, sandboxWorlds: 2 }, 'Backed up 1,204 campaigns, 0 contacts files, 2 simulated Sandbox accounts and the engagement data'],
    [{ engagement: false, campaigns: 0, contactsFiles: 0, sandboxWorlds: 0 }, 'Backed up 0 campaigns and 0 contacts files'],
  ])('%j', (copied, expected) => {
    expect(backupText(copied)).toBe(expected);
  });
});
