import type { Logger } from '../logger';
import { type CounterEvents, LocalCounterEvents } from './counter-events';
import { type Subject, subjectKey } from './counter-store';
import { type RedisConnection, withTimeout } from './redis-client';
import { TurnBatch } from '../lib/turn-batch';

/** How long start-up waits for the subscription when Redis is up (it keeps trying after). */
const SUBSCRIBE_START_WAIT_MS = 2_000;
const RETRY_MAX_MS = 2_000;

export interface RedisCounterEventsOptions {
  /** REDIS_KEY_PREFIX: instances that share it hear each other's changes. */
  prefix: string;
  logger: Logger;
}

/**
 * Change events shared by every instance on one Redis (or cluster), over plain pub/sub on
 * `<prefix>counter-updates`. A message carries the subjects changed in one turn of the
 * publisher's event loop, space-separated (`Event:12 Talk:7`): a busy instance sends one
 * PUBLISH a turn, not one a view, and each listener hears one message for them.
 *
 * Local listeners hear a change only when it comes back from Redis, so an instance sees
 * its own publishes exactly once, like everyone else's. While that path is down (Redis unreachable, or our subscription not (re)established yet) a publish is
 * delivered locally instead: subscribers on this instance keep their updates and the
 * request never notices. A publish whose fate is unknown (the connection dropped under
 * it, or Redis did not answer in time) is delivered locally too; a rare duplicate only costs one more throttled read, a
 * lost one would leave a client on a stale count.
 *
 * Pub/sub keeps nothing: changes made elsewhere while our subscriber is reconnecting are
 * not replayed; the next change of a subject brings its current counts.
 */
export class RedisCounterEvents implements CounterEvents {
  readonly channel: string;
  private readonly local = new LocalCounterEvents();
  private readonly subscriber: RedisConnection;
  private readonly logger: Logger;
  /** SUBSCRIBE confirmed once; node-redis renews it by itself after every reconnect. */
  private subscribed = false;
  private closed = false;
  private degraded = false;
  private lastSubscriberError = '';

  /** `publisher` is the shared connection (its owner connects and closes it); the subscriber is ours. */
  constructor(
    private readonly publisher: RedisConnection,
    options: RedisCounterEventsOptions,
  ) {
    this.channel = `${options.prefix}counter-updates`;
    this.logger = options.logger;
    // A connection in subscriber mode can run nothing else, so it gets its own.
    this.subscriber = publisher.duplicate();
    this.subscriber.on('error', (error: Error) => {
      // Reported on every reconnect attempt while Redis is down: log each distinct one once.
      if (error.message !== this.lastSubscriberError) {
        this.logger.warn({ err: error }, 'Redis subscriber connection error');
      }
      this.lastSubscriberError = error.message;
    });
  }

  /**
   * Connects the subscriber and subscribes, waiting a little when Redis is up so that the
   * first requests are already shared; without Redis it returns at once and keeps trying.
   */
  async start(): Promise<void> {
    const subscribed = this.connectAndSubscribe();
    if (!this.publisher.isReady) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      subscribed,
      new Promise((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_START_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (!this.subscribed) {
      this.logger.warn('Redis subscription for counter events is not up yet: delivering locally');
    }
  }

  publish(subject: Subject): void {
    this.turnChanges.add(subject);
  }

  sharedChannel(): string | null {
    return this.live() ? this.channel : null;
  }

  private readonly turnChanges = new TurnBatch<Subject>((subjects) => {
    if (!this.live()) {
      this.fallBack(subjects, 'Redis is not reachable');
      return;
    }
    const message = [...new Set(subjects.map(subjectKey))].join(' ');
    withTimeout(this.publisher.publish(this.channel, message)).then(
      () => {
        if (this.degraded) this.logger.info('Counter events go through Redis again');
        this.degraded = false;
      },
      (error: unknown) => this.fallBack(subjects, 'PUBLISH failed', error),
    );
  });

  subscribe(listener: (subject: Subject) => void): () => void {
    return this.local.subscribe(listener);
  }

  get listenerCount(): number {
    return this.local.listenerCount;
  }

  /** Whether a publish will come back to us through Redis. */
  live(): boolean {
    return !this.closed && this.subscribed && this.subscriber.isReady && this.publisher.isReady;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.local.close();
    this.subscriber.destroy();
  }

  private fallBack(subjects: Subject[], reason: string, error?: unknown): void {
    if (!this.degraded) {
      this.logger.warn(
        { err: error },
        `${reason}: counter events reach this instance's subscribers only`,
      );
    }
    this.degraded = true;
    for (const subject of subjects) this.local.publish(subject);
  }

  private readonly onMessage = (message: string): void => {
    for (const key of message.split(' ')) {
      const match = /^(Event|Talk):([1-9]\d{0,9})$/.exec(key);
      if (!match) {
        this.logger.warn({ message, channel: this.channel }, 'ignoring a malformed counter event');
        continue;
      }
      this.local.publish({ type: match[1] as Subject['type'], id: Number(match[2]) });
    }
  };

  private async connectAndSubscribe(): Promise<void> {
    try {
      // Resolves once connected; node-redis retries on its own until then.
      await this.subscriber.connect();
    } catch (error) {
      if (!this.closed) this.logger.error({ err: error }, 'Redis subscriber failed to connect');
      return;
    }
    // A SUBSCRIBE sent while the socket drops is rejected, and node-redis renews only
    // confirmed subscriptions: retry until one is confirmed.
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.subscriber.subscribe(this.channel, this.onMessage);
        this.subscribed = true;
        this.logger.info({ channel: this.channel }, 'Subscribed to counter events');
        return;
      } catch (error) {
        if (this.closed) return;
        this.logger.warn({ err: error, attempt }, 'Redis SUBSCRIBE failed; retrying');
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(50 * 2 ** attempt, RETRY_MAX_MS)).unref(),
        );
      }
    }
  }
}

/**
 * The change events for a gateway: shared through `redis` when there is one (even if it is
 * down right now: it is used once it comes back), else in-process.
 */
export async function createCounterEvents(
  redis: RedisConnection | null,
  options: RedisCounterEventsOptions,
): Promise<CounterEvents> {
  if (!redis) return new LocalCounterEvents();
  const events = new RedisCounterEvents(redis, options);
  await events.start();
  return events;
}
