import { useEffect, useEffectEvent } from 'react';
import type { StepCommand } from './workflow';
import { useWorkflow } from './workflow';

/**
 * useMenuCommand lets a step carry out an application-menu command with the same code as its own
 * button: `run` runs once each time the menu asks for `command` (App routes it here with
 * `requestCommand`), as soon as `ready` says the step knows enough to act (e.g. the report step
 * has loaded the history that names the last campaign).
 */
export function useMenuCommand(command: StepCommand, ready: boolean, run: () => void): void {
  const { pendingCommand, takeCommand } = useWorkflow();
  const onCommand = useEffectEvent(run);
  useEffect(() => {
    if (pendingCommand === null || pendingCommand.command !== command || !ready) return;
    if (takeCommand(pendingCommand)) onCommand();
  }, [pendingCommand, command, ready, takeCommand]);
}
