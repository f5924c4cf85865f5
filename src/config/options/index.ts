import type { ConfigRule, OptionSpec } from '../schema.js';
import { consumerOptions } from './consumer.js';
import { coreOptions } from './core.js';
import { dlpOptions } from './dlp.js';
import { eventHubsOptions } from './eventhubs.js';
import { graphOptions } from './graph.js';
import { keysOptions } from './keys.js';
import { crossOptionRules } from './rules.js';
import { sinksOptions } from './sinks.js';
import { storageOptions } from './storage.js';
import { workerOptions } from './worker.js';

/**
 * Every declared option. Each capability owns one file in this folder; add its array here.
 */
export const ALL_OPTIONS: readonly OptionSpec[] = [
  ...coreOptions,
  ...graphOptions,
  ...keysOptions,
  ...eventHubsOptions,
  ...storageOptions,
  ...consumerOptions,
  ...sinksOptions,
  ...workerOptions,
  ...dlpOptions,
];

/** Every cross-option rule (see `ConfigRule`). */
export const ALL_RULES: readonly ConfigRule[] = crossOptionRules;
