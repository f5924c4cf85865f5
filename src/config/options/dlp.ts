import type { OptionSpec } from '../schema.js';

export const dlpOptions: OptionSpec[] = [
  {
    key: 'dlp.policyFile',
    env: 'GDLP_POLICY_FILE',
    type: 'string',
    description:
      'DLP policy file (JSON or YAML): rules (types, minConfidence, minCount, severity, action report|notifySender|blockAccess|blockAccessExternal), per-type reporting thresholds and custom detectors. Unset: every built-in type reported at its default minimum confidence, no rule actions.',
    hint: 'see README "DLP engine" for the format; validate with `graph-dlp scan --policy FILE < /dev/null`',
  },
];
