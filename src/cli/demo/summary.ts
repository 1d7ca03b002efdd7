/**
 * The demo's closing table: what was served and what failed, how long it took on the wall and on
 * drydock's clock, what was replaced, and how each lifecycle action ended.
 */
import type { LoadStats } from './http-load.js';
import type { TimelineFacts } from './timeline.js';
import { formatDuration } from './timeline.js';

export interface SummaryInput {
  mode: 'hook' | 'managed';
  load: LoadStats;
  facts: TimelineFacts;
  wallMs: number;
  simulatedMs: number;
  timeScale: number;
}

export function summaryTable(input: SummaryInput): string {
  const { load, facts } = input;
  const byHow = new Map<string, number>();
  for (const action of facts.actions.values()) {
    const how = action.how ?? 'still open';
    byHow.set(how, (byHow.get(how) ?? 0) + 1);
  }
  const actions = [...facts.actions.values()];
  const heartbeats = actions.reduce((sum, action) => sum + action.heartbeats, 0);
  const invocations = actions.reduce((sum, action) => sum + action.invocations, 0);
  const longest = actions.reduce(
    (max, action) => Math.max(max, (action.completedAtMs ?? action.waitingAtMs) - action.waitingAtMs),
    0,
  );
  const failures = [...load.failures.entries()].map(([reason, count]) => `${count} × ${reason}`).join(', ');
  const rows: Array<[string, string]> = [
    ['requests served', load.ok.toLocaleString('en-US')],
    ['failed requests', load.failed === 0 ? '0' : `${load.failed} (${failures})`],
    ['served by', `${load.tasks.size} tasks on ${load.instances.size} instances`],
    ['wall time', `${(input.wallMs / 1000).toFixed(1)} s`],
    ['simulated time', `${formatDuration(input.simulatedMs)} (drydock clock, ${input.timeScale}× wall time)`],
    [
      'instance refresh',
      `${facts.refresh.status ?? 'not started'}, ${facts.refresh.percentComplete}%` +
        (facts.refresh.statusReason && facts.refresh.status !== 'Successful' ? ` (${facts.refresh.statusReason})` : ''),
    ],
    ['instances replaced', `${facts.instancesTerminated.size} terminated, ${facts.instancesLaunched.size} launched`],
    ['container instances drained', String(facts.containerInstancesDrained.size)],
    ['service tasks replaced', `${facts.tasksStopped.size} stopped, ${facts.tasksStarted.size} started`],
    ['targets drained', String(facts.targetsDrained.size)],
    [
      'lifecycle actions completed',
      `${actions.filter((a) => a.completedAtMs !== undefined).length} of ${actions.length}` +
        (actions.length > 0 ? `, longest wait ${formatDuration(longest)}` : ''),
    ],
    ...[...byHow.entries()].map(([how, count]): [string, string] => ['  by', `${how}: ${count}`]),
  ];
  if (input.mode === 'hook') {
    rows.push(['lifecycle heartbeats', `${heartbeats} recorded by the drain function over ${invocations} invocations`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  const rule = `  ${'─'.repeat(Math.max(...lines.map((line) => line.length)) - 2)}`;
  return [rule, ...lines, rule].join('\n');
}
