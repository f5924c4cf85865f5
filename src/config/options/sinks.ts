import type { OptionSpec } from '../schema.js';

export const sinksOptions: OptionSpec[] = [
  {
    key: 'sinks.enabled',
    env: 'GDLP_SINKS',
    type: 'list',
    default: ['file'],
    description:
      'Finding sinks, comma-separated: file, blob, eventhubs, http, graph. Suffix `:best-effort` or `:required` to override the mode (defaults: graph best-effort, others required).',
  },
  {
    key: 'sinks.file',
    env: 'GDLP_FINDINGS_FILE',
    type: 'string',
    default: './findings.jsonl',
    description: 'JSONL file of the `file` sink (deduplicated by finding id).',
  },
  {
    key: 'sinks.webhookUrl',
    env: 'GDLP_WEBHOOK_URL',
    type: 'url',
    // Slack/Teams-style webhook URLs carry their credential in the path or query.
    secret: true,
    description: 'Endpoint of the `http` sink (POST JSON). Treated as a secret: never printed or logged.',
    requiredWhen: (get) =>
      ((get('sinks.enabled') as string[] | undefined) ?? []).some((s) => s.split(':')[0] === 'http'),
  },
  {
    key: 'sinks.webhookSecret',
    env: 'GDLP_WEBHOOK_SECRET',
    type: 'string',
    secret: true,
    description: 'HMAC-SHA256 key for the x-graph-dlp-signature header of the `http` sink.',
  },
  {
    key: 'sinks.webhookTimeoutMs',
    env: 'GDLP_WEBHOOK_TIMEOUT_MS',
    type: 'int',
    default: 10_000,
    min: 100,
    unit: 'ms',
    description: 'Timeout of one webhook POST.',
  },
  {
    key: 'sinks.retryBaseMs',
    env: 'GDLP_SINK_RETRY_BASE_MS',
    type: 'int',
    default: 200,
    min: 1,
    unit: 'ms',
    description: 'First retry delay of a failing sink (exponential, full jitter).',
  },
  {
    key: 'sinks.retryMaxMs',
    env: 'GDLP_SINK_RETRY_MAX_MS',
    type: 'int',
    default: 10_000,
    min: 1,
    unit: 'ms',
    description: 'Largest retry delay of a failing sink.',
  },
  {
    key: 'sinks.bestEffortAttempts',
    env: 'GDLP_SINK_BEST_EFFORT_ATTEMPTS',
    type: 'int',
    default: 5,
    min: 1,
    unit: 'attempts',
    description:
      'Attempts before a best-effort sink drops a batch (required sinks retry until they succeed: backpressure).',
  },
];
