import type { Connector } from '../../electron/core/campaign/connection';
import { baseUrlOf, wassistDirectory } from '../../electron/core/campaign/connection';
import type { Transport } from '../../electron/core/ports';

/** fakeConnector connects every campaign through `transport` (a fake provider), addressed as the campaign says. */
export function fakeConnector(transport: () => Transport): Connector {
  return (spec) => {
    const t = transport();
    return { transport: t, baseUrl: baseUrlOf(spec), directory: wassistDirectory, close: () => t.close() };
  };
}
