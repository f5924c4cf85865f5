/**
 * Declarative configuration options. Each capability declares its options in `src/config/options/<area>.ts`;
 * `loadConfig` (the only reader of `process.env`) validates them all at once and returns a frozen object.
 * The same declarations generate `graph-dlp config options` and README's option table, so a default can
 * never drift from its documentation.
 */
export type OptionType = 'string' | 'int' | 'number' | 'boolean' | 'enum' | 'url' | 'list' | 'json';

export interface OptionSpec {
  /** Dotted path in the resulting config object, e.g. `consumer.checkpointEveryEvents`. */
  key: string;
  /** Environment variable name, e.g. `GDLP_CHECKPOINT_EVERY_EVENTS`. */
  env: string;
  type: OptionType;
  description: string;
  /** Default when neither env nor file sets it. `undefined` means "unset" (optional or required). */
  default?: string | number | boolean | string[];
  /** Unit for numbers, shown in docs (`ms`, `s`, `events`, `bytes`). Names carry it too (`renewLeadMs`). */
  unit?: string;
  /** Allowed values for `enum`. */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Never printed: `config check` and logs show `[set]` instead of the value. */
  secret?: boolean;
  /** Required when this returns true for the partially-parsed config (e.g. only in Azure mode). */
  requiredWhen?: (raw: ConfigLookup) => boolean;
  /** Operator-facing hint appended to errors for this option. */
  hint?: string;
}

/** Read access to already-parsed values while checking cross-option rules. */
export type ConfigLookup = (key: string) => unknown;

/**
 * A rule across options (one of two required, a list's entries, a ratio between two intervals). Rules run
 * after every option is parsed, so their problems are reported together with the options' own.
 */
export interface ConfigRule {
  /** Options the rule reads; it runs only when all of them are being validated and parsed cleanly. */
  keys: readonly string[];
  /** Returns the problems in operator words (empty when fine). */
  check(get: ConfigLookup): string[];
  /**
   * `worker`: only when loading for the worker (`run`, `demo`, `config check`), for settings that a
   * tool such as `keys` or `emulator graph` does not need. Default: whenever the options are validated.
   */
  purpose?: 'worker';
}
