/**
 * What ECS knows of the terminating instance: the container instance an EC2 instance id belongs
 * to (ListContainerInstances with the cluster query `ec2InstanceId == i-…`, in the configured
 * clusters or in every cluster), and the tasks on it that are not STOPPED yet. The count is taken
 * from the tasks themselves, not from `runningTasksCount`: a task that is DEACTIVATING, STOPPING
 * or DEPROVISIONING is no longer counted there, but its process (and its connections) are still
 * on the instance, and terminating the instance under it is what a drain exists to prevent.
 */
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';

/**
 * @typedef {object} ContainerInstanceRef
 * @property {string} clusterArn
 * @property {string} containerInstanceArn
 * @property {string} status `ACTIVE` or `DRAINING`
 */

/**
 * @typedef {{ send(command: any): Promise<any> }} SdkClient
 */

/** DescribeTasks takes at most 100 tasks a call. */
const DESCRIBE_BATCH = 100;

/**
 * @param {SdkClient} ecs
 * @param {string} instanceId
 * @param {string[] | undefined} clusters
 * @returns {Promise<ContainerInstanceRef | undefined>}
 */
export async function findContainerInstance(ecs, instanceId, clusters) {
  for (const cluster of clusters ?? (await listClusters(ecs))) {
    let arns;
    try {
      arns = await listAll((nextToken) =>
        ecs
          .send(new ListContainerInstancesCommand({ cluster, filter: `ec2InstanceId == ${instanceId}`, nextToken }))
          .then((page) => ({ items: page.containerInstanceArns ?? [], nextToken: page.nextToken })),
      );
    } catch (error) {
      // A configured cluster that does not exist (or was deleted meanwhile) holds no instance.
      if (errorName(error) === 'ClusterNotFoundException') continue;
      throw error;
    }
    if (arns.length === 0) continue;
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arns[0]] }));
    const instance = described.containerInstances?.[0];
    if (!instance?.containerInstanceArn || instance.status === 'INACTIVE') continue;
    const clusterArn = instance.containerInstanceArn.replace(/:container-instance\/([^/]+)\/.*$/, ':cluster/$1');
    return {
      clusterArn: clusterArn === instance.containerInstanceArn ? cluster : clusterArn,
      containerInstanceArn: instance.containerInstanceArn,
      status: instance.status ?? 'ACTIVE',
    };
  }
  return undefined;
}

/**
 * Every task on the container instance whose lastStatus is not STOPPED: those ECS still wants
 * running, and those it is stopping (desiredStatus STOPPED, lastStatus not yet STOPPED).
 * @param {SdkClient} ecs
 * @param {ContainerInstanceRef} ref
 * @returns {Promise<any[]>} ECS Task objects
 */
export async function tasksNotStopped(ecs, ref) {
  const arns = new Set();
  for (const desiredStatus of /** @type {const} */ (['RUNNING', 'STOPPED'])) {
    const page = await listAll((nextToken) =>
      ecs
        .send(
          new ListTasksCommand({
            cluster: ref.clusterArn,
            containerInstance: ref.containerInstanceArn,
            desiredStatus,
            nextToken,
          }),
        )
        .then((answer) => ({ items: answer.taskArns ?? [], nextToken: answer.nextToken })),
    );
    for (const arn of page) arns.add(arn);
  }
  const all = [...arns];
  const tasks = [];
  for (let start = 0; start < all.length; start += DESCRIBE_BATCH) {
    const described = await ecs.send(
      new DescribeTasksCommand({ cluster: ref.clusterArn, tasks: all.slice(start, start + DESCRIBE_BATCH) }),
    );
    tasks.push(...(described.tasks ?? []));
  }
  return tasks.filter((task) => task.lastStatus !== 'STOPPED');
}

/**
 * A task a service owns: ECS replaces it elsewhere when its instance drains. Everything else
 * (RunTask, StartTask) is standalone, and draining leaves it alone.
 * @param {{ group?: string, startedBy?: string }} task
 */
export function isServiceTask(task) {
  return (task.group ?? '').startsWith('service:') || (task.startedBy ?? '').startsWith('ecs-svc/');
}

/**
 * @param {SdkClient} ecs
 * @returns {Promise<string[]>}
 */
async function listClusters(ecs) {
  return listAll((nextToken) =>
    ecs
      .send(new ListClustersCommand({ nextToken }))
      .then((page) => ({ items: page.clusterArns ?? [], nextToken: page.nextToken })),
  );
}

/**
 * @template T
 * @param {(nextToken: string | undefined) => Promise<{ items: T[], nextToken?: string }>} page
 * @returns {Promise<T[]>}
 */
async function listAll(page) {
  const items = [];
  let nextToken;
  do {
    const answer = await page(nextToken);
    items.push(...answer.items);
    nextToken = answer.nextToken;
  } while (nextToken);
  return items;
}

/** @param {unknown} error */
export function errorName(error) {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}
