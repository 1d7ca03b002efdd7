import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import {
  conditionDue,
  DUPLICATE_EVENT_WINDOW_MS,
  MAX_SERVICE_EVENTS,
  serviceMessages,
  withEvents,
} from './service-event.js';

describe('service events', () => {
  it('newest first, at most 100', () => {
    const random = seededRandom(1);
    let events = withEvents([], ['first', 'second'], 1, random);
    expect(events.map((event) => event.message)).toEqual(['second', 'first']);
    for (let index = 0; index < 120; index += 1) events = withEvents(events, [`m${index}`], 2 + index, random);
    expect(events).toHaveLength(MAX_SERVICE_EVENTS);
    expect(events[0]!.message).toBe('m119');
    expect(new Set(events.map((event) => event.id)).size).toBe(MAX_SERVICE_EVENTS);
  });

  it('a condition is posted again only after 6 hours', () => {
    expect(conditionDue({}, 'steadyState', 0)).toBe(true);
    expect(conditionDue({ steadyState: 0 }, 'steadyState', DUPLICATE_EVENT_WINDOW_MS - 1)).toBe(false);
    expect(conditionDue({ steadyState: 0 }, 'steadyState', DUPLICATE_EVENT_WINDOW_MS)).toBe(true);
  });

  it("messages in ECS's words", () => {
    expect(serviceMessages.started('web', ['a', 'b'])).toBe('(service web) has started 2 tasks: (task a) (task b).');
    expect(serviceMessages.stopped('web', ['a'])).toBe('(service web) has stopped 1 running tasks: (task a).');
    expect(serviceMessages.registered('web', 1, 'arn:tg')).toBe(
      '(service web) registered 1 targets in (target-group arn:tg)',
    );
    expect(serviceMessages.drainingConnections('web', 'ecs-svc/1', 1)).toBe(
      '(service web, taskSet ecs-svc/1) has begun draining connections on 1 tasks.',
    );
    expect(serviceMessages.unableToPlace('web')).toBe(
      '(service web) was unable to place a task because no container instance met all of its requirements.',
    );
  });
});
