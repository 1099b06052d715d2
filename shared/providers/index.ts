import { generic } from './generic';
import { pingback } from './pingback';
import type { ProviderDefinition, WireKind } from './types';
import { wassist } from './wassist';

/** providers maps each wire API to its definition. */
export const providers: Record<WireKind, ProviderDefinition> = { wassist, pingback, generic };

export type { ProviderDefinition, WireKind } from './types';
