export { CONFIG_FILE_ENV, type ConfigTree, configSection, describeConfig, loadConfig } from './load.js';
export { ALL_OPTIONS } from './options/index.js';
export type { OptionSpec } from './schema.js';
