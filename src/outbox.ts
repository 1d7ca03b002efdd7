/**
 * The outbox: what drydock's services publish as AWS events (everything that also goes to
 * EventBridge's default bus) and the lifecycle-hook / notification messages Auto Scaling sends
 * to SNS topics and SQS queues, recorded in the order they were sent. It is the delivery log a
 * test or a person reads (GET /_drydock/outbox) to see exactly what went out; EventBridge draws
 * its own event ids, so an outbox entry and the delivered copy do not share an `id`. Part of the
 * composition root: services only see the ports it implements.
 */
import type { Clock } from './kernel/clock.js';
import { uuid } from './kernel/ids.js';
import type { Random } from './kernel/random.js';
import type { Scope } from './services/autoscaling/ports.js';
import { toEnvelope, type EventEnvelope } from './services/events/envelope.js';
import type { AwsEventInput, EventBusPort } from './services/events/ports.js';

export type OutboxEntry =
  | { seq: number; kind: 'event'; atMs: number; event: EventEnvelope }
  | {
      seq: number;
      kind: 'notification';
      atMs: number;
      accountId: string;
      region: string;
      targetArn: string;
      subject?: string;
      body: string;
    };

export interface OutboxQuery {
  kind?: 'event' | 'notification';
  /** Only entries with a sequence number above this one. */
  afterSeq?: number;
  limit?: number;
}

/** Kept in memory: the newest entries win when it is full. */
const DEFAULT_CAPACITY = 10_000;

export class Outbox {
  private readonly entries: OutboxEntry[] = [];
  private seq = 0;
  private readonly ids: Random;

  constructor(
    private readonly clock: Clock,
    random: Random,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {
    this.ids = random.fork('event-ids');
  }

  readonly eventBus: EventBusPort = {
    publish: (input: AwsEventInput) => {
      this.push({ seq: 0, kind: 'event', atMs: this.clock.now(), event: toEnvelope(input, uuid(this.ids)) });
    },
  };

  /** Records a message Auto Scaling sent to an SNS topic or SQS queue (the delivery itself is SNS's or SQS's). */
  recordNotification(scope: Scope, targetArn: string, body: string, subject?: string): void {
    this.push({
      seq: 0,
      kind: 'notification',
      atMs: this.clock.now(),
      accountId: scope.accountId,
      region: scope.region,
      targetArn,
      subject,
      body,
    });
  }

  list(query: OutboxQuery = {}): OutboxEntry[] {
    const selected = this.entries.filter(
      (entry) => (!query.kind || entry.kind === query.kind) && entry.seq > (query.afterSeq ?? 0),
    );
    return query.limit === undefined ? selected : selected.slice(-query.limit);
  }

  clear(): void {
    this.entries.length = 0;
  }

  private push(entry: OutboxEntry): void {
    entry.seq = ++this.seq;
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }
}
