import { z } from 'zod';

/**
 * The page's CSP forbids eval, so zod must not compile its fast parsers here: even its probe for
 * eval (a caught `new Function`) is reported as a CSP violation. zod makes that choice when the
 * first object schema is built, so this module is imported before any other (renderer/main.tsx).
 */
z.config({ jitless: true });
