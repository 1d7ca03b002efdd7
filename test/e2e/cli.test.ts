/**
 * The `drydock` command as a newcomer uses it: `up` prints the endpoint and the line to paste,
 * the AWS CLI works against it, `status` reports, Ctrl-C stops it cleanly, and a kill -9 loses no
 * acknowledged write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateClusterCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../support/drydock.js';
import { DRYDOCK_BIN, run, spawnDrydock, stop } from '../support/process.js';

const stateDirs: string[] = [];
function tempState(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-cli-'));
  stateDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

const awsEnv = (url: string) => ({
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: url,
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});

describe('drydock command', () => {
  it('prints its version and help', async () => {
    const version = await run(process.execPath, [DRYDOCK_BIN, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await run(process.execPath, [DRYDOCK_BIN, 'up', '--help']);
    for (const flag of ['--port', '--host', '--state', '--clock', '--time-scale', '--seed', '--auth', '--account']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('rejects a bad flag value with a message, not a stack trace', async () => {
    const result = await run(process.execPath, [DRYDOCK_BIN, 'up', '--clock', 'sundial']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('sundial');
    expect(result.stderr).not.toContain('    at ');
  });

  it('serves the AWS CLI, reports status, and stops cleanly on Ctrl-C', async () => {
    const drydock = await spawnDrydock(['--state', 'memory', '--seed', '7']);
    try {
      expect(drydock.output()).toContain(`export AWS_ENDPOINT_URL=${drydock.url} AWS_ACCESS_KEY_ID=test`);

      const asg = await run(
        'aws',
        ['--endpoint-url', drydock.url, 'autoscaling', 'describe-auto-scaling-groups'],
        awsEnv(drydock.url),
      );
      expect(asg.stderr).toBe('');
      expect(JSON.parse(asg.stdout)).toEqual({ AutoScalingGroups: [] });

      await run('aws', ['ecs', 'create-cluster', '--cluster-name', 'from-cli'], awsEnv(drydock.url));
      const ecs = await run('aws', ['--endpoint-url', drydock.url, 'ecs', 'list-clusters'], awsEnv(drydock.url));
      expect(JSON.parse(ecs.stdout)).toEqual({ clusterArns: ['arn:aws:ecs:us-east-1:000000000000:cluster/from-cli'] });

      const bad = await run(
        'aws',
        ['autoscaling', 'describe-auto-scaling-groups', '--max-records', '500'],
        awsEnv(drydock.url),
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('ValidationError');

      const status = await run(process.execPath, [DRYDOCK_BIN, 'status', '--endpoint', drydock.url]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(drydock.url);
      expect(status.stdout).toMatch(/ecs\s+1 clusters/);
      expect(status.stdout).toContain('seed       7');
    } finally {
      expect(await stop(drydock, 'SIGINT')).toBe(0);
    }
    expect(drydock.output()).toContain('drydock: stopped.');
  });

  it('loses no acknowledged write to kill -9', async () => {
    const state = tempState();
    const first = await spawnDrydock(['--state', state]);
    const names = ['one', 'two', 'three'];
    for (const name of names) await clientsFor(first.url).ecs.send(new CreateClusterCommand({ clusterName: name }));
    expect(await stop(first, 'SIGKILL')).toBe('SIGKILL');

    const second = await spawnDrydock(['--state', state]);
    try {
      const listed = await clientsFor(second.url).ecs.send(new ListClustersCommand({}));
      expect(listed.clusterArns?.map((arn) => arn.split('/')[1])).toEqual(['one', 'three', 'two']);
    } finally {
      await stop(second);
    }
  });

  it('says so when drydock is not running', async () => {
    const status = await run(process.execPath, [DRYDOCK_BIN, 'status', '--endpoint', 'http://127.0.0.1:9']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('not answering');
  });
});
