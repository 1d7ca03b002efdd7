/**
 * The drain function's settings, read from its environment once per cold start, so the same code
 * is configured the same way on AWS Lambda, on drydock, and as a library in tests. A bad value
 * fails the cold start with a message naming the variable, rather than draining with a guess.
 */

/**
 * @typedef {object} DrainSettings
 * @property {string[] | undefined} clusters Clusters to look for the container instance in; undefined: every cluster.
 * @property {'wait' | 'stop'} standaloneTasks What to do with tasks that belong to no service.
 * @property {number} standaloneDeadlineMs With `stop`: how long after the drain began standalone tasks are stopped.
 * @property {number} pollMs How long to wait between looks at the instance's tasks.
 * @property {number} marginMs How much of a Lambda invocation's time to keep for handing over to the next one.
 */

/** @type {DrainSettings} */
export const DEFAULT_SETTINGS = {
  clusters: undefined,
  standaloneTasks: 'wait',
  standaloneDeadlineMs: 3600_000,
  pollMs: 10_000,
  marginMs: 30_000,
};

/**
 * @param {Record<string, string | undefined>} env
 * @returns {DrainSettings}
 */
export function readSettings(env) {
  const clusters = (env.CLUSTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const policy = (env.STANDALONE_TASKS ?? DEFAULT_SETTINGS.standaloneTasks).trim().toLowerCase();
  if (policy !== 'wait' && policy !== 'stop') {
    throw new Error(`STANDALONE_TASKS must be "wait" or "stop", not ${JSON.stringify(env.STANDALONE_TASKS)}.`);
  }
  return {
    clusters: clusters.length > 0 ? clusters : undefined,
    standaloneTasks: policy,
    standaloneDeadlineMs: seconds(env, 'STANDALONE_DEADLINE_SECONDS', DEFAULT_SETTINGS.standaloneDeadlineMs, 0),
    // Fractions of a second are allowed: under drydock --time-scale 60, 0.5 s of wall time is 30 s.
    pollMs: seconds(env, 'POLL_SECONDS', DEFAULT_SETTINGS.pollMs, 0.001),
    marginMs: seconds(env, 'MARGIN_SECONDS', DEFAULT_SETTINGS.marginMs, 0),
  };
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {number} fallbackMs
 * @param {number} minimumSeconds
 */
function seconds(env, name, fallbackMs, minimumSeconds) {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallbackMs;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimumSeconds) {
    throw new Error(
      `${name} must be a number of seconds${minimumSeconds > 0 ? ' greater than 0' : ''}, not ${JSON.stringify(raw)}.`,
    );
  }
  return Math.round(value * 1000);
}
