import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that must never reach a log line: message content, key material, secrets, tokens.
 * They are code, not configuration (pino docs/redaction.md): explicit keys are cheaper than wildcards,
 * and a user-supplied path could be used to un-redact. Add a path here when you log a new shape.
 */
export const REDACT_PATHS: readonly string[] = [
  'clientState',
  'notification.clientState',
  'item.clientState',
  'encryptedContent.data',
  'encryptedContent.dataKey',
  'encryptedContent.dataSignature',
  'notification.encryptedContent',
  'chatMessage.body',
  'chatMessage.body.content',
  'chatMessage.attachments',
  'chatMessage.subject',
  'message.body',
  'resource.body',
  'body.content',
  'content',
  'html',
  'text',
  'plaintext',
  'finding.value',
  'finding.snippet',
  'value',
  'secret',
  'password',
  'privateKey',
  'privateKeyPem',
  'key',
  'dataKey',
  'token',
  'accessToken',
  'connectionString',
  'sharedAccessKey',
  'clientSecret',
  'config.graph.clientSecret',
  'config.webhook.secret',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-graph-dlp-signature"]',
  'request.headers.authorization',
];

export interface CreateLoggerOptions {
  /** pino level. Default: `info`. `trace` is never allowed to print content either: redaction applies at all levels. */
  level?: string;
  /** Static fields bound to every line (replica, component). */
  base?: Record<string, unknown>;
  /** Where lines go. Default: stdout (fd 1), which Container Apps ships to Log Analytics. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: 'graph-dlp', ...(options.base ?? {}) },
    redact: { paths: [...REDACT_PATHS], censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return pino(pinoOptions, options.destination ?? pino.destination({ fd: 1, sync: false }));
}

/** A logger that drops everything, for tests of pure logic and for CLI commands run with --quiet. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
