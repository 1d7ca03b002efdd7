import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecsWorld, type EcsWorld } from '../../../test/support/ecs-world.js';
import { createContext } from './context.js';
import type { AwsEventInput } from '../events/ports.js';
import { silentLogger } from '../../kernel/logger.js';
import { seededRandom } from '../../kernel/random.js';

let world: EcsWorld;
beforeEach(() => {
  world = ecsWorld();
});
afterEach(() => world.close());

const event = (detailType: string): AwsEventInput => ({
  accountId: '000000000000',
  region: 'us-east-1',
  source: 'aws.ecs',
  detailType,
  resources: [],
  detail: {},
  timeMs: 0,
});

describe('events published inside a transaction', () => {
  function context(published: string[]) {
    return createContext({
      store: world.store,
      clock: world.clock,
      random: seededRandom(1),
      logger: silentLogger,
      ports: {
        eventBus: { publish: (e) => published.push(e.detailType) },
        taskRuntime: world.runtime,
        instanceTypes: { describe: () => undefined },
        loadBalancerTargets: world.targetGroups,
      },
    });
  }

  it('go out after the commit, and not at all when it rolls back', () => {
    const published: string[] = [];
    const ctx = context(published);
    ctx.transact(() => {
      ctx.publish(event('kept'));
      expect(published).toEqual([]);
      try {
        ctx.transact(() => {
          ctx.publish(event('rolled back'));
          throw new Error('nested failure');
        });
      } catch {
        // the outer transaction carries on
      }
    });
    expect(published).toEqual(['kept']);
    expect(() =>
      ctx.transact(() => {
        ctx.publish(event('lost'));
        throw new Error('outer failure');
      }),
    ).toThrow('outer failure');
    expect(published).toEqual(['kept']);
  });

  it('a bus that throws does not undo what was committed', () => {
    const ctx = createContext({
      store: world.store,
      clock: world.clock,
      random: seededRandom(1),
      logger: silentLogger,
      ports: {
        eventBus: {
          publish: () => {
            throw new Error('bus down');
          },
        },
        taskRuntime: world.runtime,
        instanceTypes: { describe: () => undefined },
        loadBalancerTargets: world.targetGroups,
      },
    });
    expect(() => ctx.publish(event('x'))).not.toThrow();
  });
});
