/**
 * Runs the backfill in the worker: on the leader replica only, every `intervalMs`, over the recorded gaps not
 * yet done (the runner skips those). One run at a time; stopped first on shutdown (its run is aborted, and the
 * gap it was on stays pending for the next leader).
 */
import type { GapReport } from '../backfill/index.js';
import type { Logger } from '../log.js';
import type { Gap } from '../subscriptions/types.js';

export interface AutoBackfillOptions {
  intervalMs: number;
  isLeader: () => boolean;
  gaps: () => readonly Gap[];
  run: (gaps: readonly Gap[], signal: AbortSignal) => Promise<GapReport[]>;
  logger: Logger;
}

export interface AutoBackfill {
  /** Resolves when a run (if any) finished; for tests and shutdown. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startAutoBackfill(options: AutoBackfillOptions): AutoBackfill {
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running || abort.signal.aborted || !options.isLeader()) return;
    const gaps = options.gaps();
    if (gaps.length === 0) return;
    running = options
      .run(gaps, abort.signal)
      .then((reports) => {
        const ran = reports.filter((r) => r.status === 'done' || r.status === 'failed');
        if (ran.length > 0)
          options.logger.info(
            {
              done: ran.filter((r) => r.status === 'done').length,
              failed: ran.filter((r) => r.status === 'failed').length,
              messages: ran.reduce((a, r) => a + r.messages, 0),
              findings: ran.reduce((a, r) => a + r.findings, 0),
            },
            'backfill of recorded gaps',
          );
      })
      .catch((err: Error) =>
        options.logger.error({ errorCode: (err as { code?: string }).code }, 'backfill run failed'),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    idle: async () => {
      await running;
    },
    async stop() {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
