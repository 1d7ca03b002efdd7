/**
 * A gateway on an ephemeral loopback port for conformance tests, plus the SDK client config that
 * points at it. Auth accepts any SigV4 signature (like drydock's default) and the admin API reports
 * a virtual clock unless the caller overrides a hook, so each test only names its services.
 */
import type { Clock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { Random } from '../../src/kernel/random.js';
import { seededRandom } from '../../src/kernel/random.js';
import type { AdminHooks } from '../../src/wire/admin.js';
import type { GatewayOptions } from '../../src/wire/gateway.js';
import { Gateway } from '../../src/wire/gateway.js';

export interface TestGatewayOptions {
  clock: Clock;
  services: GatewayOptions['services'];
  /** Defaults to 000000000000. */
  accountId?: string;
  /** The gateway's default region; defaults to us-east-1. */
  region?: string;
  /** Seed of the gateway's request-id random source (ignored when `random` is given); defaults to 7. */
  seed?: number;
  random?: Random;
  /** Admin hooks replacing the defaults (health ok, empty status, no-op reset, virtual clock report). */
  admin?: Partial<AdminHooks>;
}

export interface TestGateway {
  url: string;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const { clock } = options;
  const gateway = new Gateway({
    host: '127.0.0.1',
    port: 0,
    accountId: options.accountId ?? '000000000000',
    defaultRegion: options.region ?? 'us-east-1',
    auth: { mode: 'any', accessKeys: {} },
    clock,
    random: options.random ?? seededRandom(options.seed ?? 7),
    logger: silentLogger,
    services: options.services,
    admin: {
      health: () => ({ status: 'ok' }),
      status: () => ({}),
      reset: () => undefined,
      clock: () => ({ mode: 'virtual', nowMs: clock.now(), now: '', timeScale: 1, pendingTimers: 0 }),
      ...options.admin,
    },
  });
  await gateway.listen();
  return { url: gateway.url, close: () => gateway.close() };
}

/** Config for any AWS SDK v3 client: test credentials and no retries, so every error reaches the test. */
export function sdkConfig(
  url: string,
  region = 'us-east-1',
): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
} {
  return { endpoint: url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
}
