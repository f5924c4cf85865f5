import { randomUUID } from 'node:crypto';
import type { BlobClient } from '@azure/storage-blob';
import type { Logger } from '../log.js';

export interface LeaderLeaseOptions {
  blob: BlobClient;
  /** Lease duration; Azure allows 15-60 s. */
  leaseMs: number;
  /** Try to acquire / renew this often. Default leaseMs / 3. */
  renewEveryMs?: number;
  logger?: Logger;
  onAcquired?: () => void;
  /** Called once when leadership ends for any reason other than close(). */
  onLost?: (reason: string) => void;
}

/**
 * Leader election with a blob lease. The local view is conservative: this replica counts as leader only until
 * `lastRenewal + leaseMs - safety`, so a renew call that hangs cannot keep it "leader" after Azure has expired the
 * lease and another replica acquired it. On any renew failure leadership ends at once.
 */
export class LeaderLease {
  readonly leaseId = randomUUID();
  private leaderUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private tickInFlight: Promise<void> | undefined;

  constructor(private readonly options: LeaderLeaseOptions) {}

  /** Leader right now (lease held and not past its conservative local deadline). */
  isLeader(): boolean {
    return !this.closed && Date.now() < this.leaderUntil;
  }

  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void this.tick();
    const every = this.options.renewEveryMs ?? Math.floor(this.options.leaseMs / 3);
    this.timer = setInterval(() => {
      if (!this.tickInFlight) void this.tick();
      else if (this.leaderUntil > 0 && Date.now() >= this.leaderUntil)
        this.lose('renewal did not complete before the lease deadline');
    }, every);
    this.timer.unref();
  }

  /** One acquire-or-renew attempt; used by start()'s loop and by one-shot commands. */
  async tryAcquire(): Promise<boolean> {
    await this.tick();
    return this.isLeader();
  }

  private tick(): Promise<void> {
    this.tickInFlight ??= this.attempt().finally(() => {
      this.tickInFlight = undefined;
    });
    return this.tickInFlight;
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    const lease = this.options.blob.getBlobLeaseClient(this.leaseId);
    const started = Date.now();
    const safety = Math.min(5_000, Math.floor(this.options.leaseMs / 5));
    if (this.leaderUntil > 0) {
      try {
        await lease.renewLease();
        if (this.closed) return;
        this.leaderUntil = started + this.options.leaseMs - safety;
      } catch (err) {
        this.lose(`lease renewal failed: ${(err as Error).message}`);
      }
      return;
    }
    try {
      await lease.acquireLease(Math.round(this.options.leaseMs / 1000));
      if (this.closed) {
        await lease.releaseLease().catch(() => undefined);
        return;
      }
      this.leaderUntil = started + this.options.leaseMs - safety;
      this.options.logger?.info({ leaseId: this.leaseId }, 'subscription leader: lease acquired');
      this.options.onAcquired?.();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 409)
        this.options.logger?.warn(
          { status, err: (err as Error).message },
          'subscription leader: lease acquire failed',
        );
    }
  }

  private lose(reason: string): void {
    if (this.leaderUntil === 0) return;
    this.leaderUntil = 0;
    this.options.logger?.warn(
      { reason },
      'subscription leader: leadership lost, stopping all subscription actions',
    );
    this.options.onLost?.(reason);
  }

  /** Waits briefly for an in-flight acquire/renew; a hung storage call must not hang shutdown. */
  private async settleInFlight(): Promise<void> {
    if (!this.tickInFlight) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.tickInFlight.catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(5_000, this.options.leaseMs));
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  /** Gives up leadership now (releases the lease) but stays usable: a later tryAcquire() may take it again. */
  async release(): Promise<void> {
    await this.settleInFlight();
    const wasLeader = this.isLeader();
    this.leaderUntil = 0;
    if (wasLeader)
      await this.options.blob
        .getBlobLeaseClient(this.leaseId)
        .releaseLease()
        .catch(() => undefined);
  }

  /** Stops renewing and releases the lease if held. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    const wasLeader = this.isLeader();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.settleInFlight();
    this.leaderUntil = 0;
    if (wasLeader)
      await this.options.blob
        .getBlobLeaseClient(this.leaseId)
        .releaseLease()
        .catch(() => undefined);
  }
}
