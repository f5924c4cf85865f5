import type { OptionSpec } from '../schema.js';
import { coreOptions } from './core.js';
import { graphOptions } from './graph.js';
import { keysOptions } from './keys.js';

/**
 * Every declared option. Each capability owns one file in this folder; add its array here.
 */
export const ALL_OPTIONS: readonly OptionSpec[] = [...coreOptions, ...graphOptions, ...keysOptions];
