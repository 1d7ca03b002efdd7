/**
 * Structured logging on pino, behind a small Logger interface so the rest of drydock does not
 * depend on pino's types. Timestamps come from the injected Clock (ISO strings in `time`) and
 * pid/hostname are left out, so a virtual-time run logs the same bytes every time.
 */
import pino from 'pino';
import type { Clock } from './clock.js';

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** pino level name: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'; default 'info'. */
  level?: string;
  /** Where `time` comes from; without one, pino's wall-clock ISO time is used. */
  clock?: Clock;
  /** A stream, or a file descriptor written synchronously; default 2 (stderr), leaving stdout to command output. */
  destination?: NodeJS.WritableStream | number;
  /** One human-readable line per entry instead of JSON lines. */
  pretty?: boolean;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

export function createLogger(options: LoggerOptions = {}): Logger {
  const { clock } = options;
  const sink =
    typeof options.destination === 'object'
      ? options.destination
      : pino.destination({ dest: options.destination ?? 2, sync: true });
  const stream: pino.DestinationStream = options.pretty
    ? { write: (line: string) => void sink.write(prettyLine(line)) }
    : sink;
  const instance = pino(
    {
      level: options.level ?? 'info',
      base: null,
      timestamp: clock ? () => `,"time":"${new Date(clock.now()).toISOString()}"` : pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    stream,
  );
  return wrap(instance);
}

/** A Logger that keeps parsed entries in memory, for tests that assert on what was logged. */
export function captureLogger(options: { level?: string; clock?: Clock } = {}): {
  logger: Logger;
  entries: Array<Record<string, unknown>>;
} {
  const entries: Array<Record<string, unknown>> = [];
  const destination = {
    write(line: string | Uint8Array) {
      entries.push(JSON.parse(String(line)) as Record<string, unknown>);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const logger = createLogger({
    level: options.level ?? 'debug',
    destination,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { logger, entries };
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

function wrap(instance: pino.Logger): Logger {
  const log = (level: Level, obj: object | string, msg?: string): void => {
    if (typeof obj === 'string') instance[level](msg === undefined ? obj : `${obj} ${msg}`);
    else if (msg === undefined) instance[level](obj);
    else instance[level](obj, msg);
  };
  return {
    debug: (obj, msg) => log('debug', obj, msg),
    info: (obj, msg) => log('info', obj, msg),
    warn: (obj, msg) => log('warn', obj, msg),
    error: (obj, msg) => log('error', obj, msg),
    child: (bindings) => wrap(instance.child(bindings)),
  };
}

/** `2026-01-01T00:00:00.000Z INFO  message key=value …`, with an error's stack indented below. */
function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, err, error, ...rest } = entry;
  const fields = Object.entries(rest).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  const failure = (err ?? error) as { type?: string; message?: string; stack?: string } | undefined;
  const head = [
    String(time ?? ''),
    String(level ?? '')
      .toUpperCase()
      .padEnd(5),
    String(msg ?? ''),
    ...fields,
  ]
    .filter((part) => part !== '')
    .join(' ');
  if (!failure) return `${head}\n`;
  const stack = failure.stack ?? `${failure.type ?? 'Error'}: ${failure.message ?? ''}`;
  return `${head}\n${stack
    .split('\n')
    .map((stackLine) => `    ${stackLine}`)
    .join('\n')}\n`;
}
