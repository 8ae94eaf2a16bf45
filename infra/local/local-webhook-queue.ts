import type { Logger } from '@aws-lambda-powertools/logger';
import type { WebhookQueue, WebhookRef } from '../../functions/shared/ports/webhook-deliveries.ts';

/**
 * The stack's webhook queue, in process: a wake-up runs the sender after its delay; one that fails
 * runs again after `redeliverMs` (SQS's visibility timeout), up to `maxReceives` times, then is
 * logged as dead-lettered. A wake-up for a subscription already due as soon is not queued twice.
 */
export class LocalWebhookQueue implements WebhookQueue {
  private readonly due = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly options: {
      sender: (ref: WebhookRef) => Promise<void>;
      logger: Logger;
      redeliverMs?: number;
      maxReceives?: number;
    },
  ) {}

  async wake(refs: WebhookRef[], delayMs = 0): Promise<void> {
    for (const ref of refs) this.schedule(ref, Math.max(0, delayMs), 1);
  }

  private schedule(ref: WebhookRef, delayMs: number, receive: number) {
    if (this.stopped) return;
    const key = `${ref.tenantId}\n${ref.webhookId}`;
    const at = Date.now() + delayMs;
    if (receive === 1 && (this.due.get(key) ?? Number.POSITIVE_INFINITY) <= at) return;
    if (receive === 1) this.due.set(key, at);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (receive === 1 && this.due.get(key) === at) this.due.delete(key);
      const run = this.options
        .sender(ref)
        .catch((error: Error) => {
          if (receive < (this.options.maxReceives ?? 5)) this.schedule(ref, this.options.redeliverMs ?? 1000, receive + 1);
          else this.options.logger.error('webhook wake-up dead-lettered', { webhookId: ref.webhookId, errorName: error.name });
        })
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Drops the wake-ups still waiting and lets the running senders finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
