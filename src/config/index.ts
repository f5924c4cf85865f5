export { type ConfigTree, configSection, describeConfig, loadConfig, CONFIG_FILE_ENV } from './load.js';
export type { OptionSpec } from './schema.js';
export { ALL_OPTIONS } from './options/index.js';
