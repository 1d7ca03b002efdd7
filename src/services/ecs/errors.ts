/**
 * ECS's errors, by the shape names of its model (`M:ecs`). Wording follows what the ECS API
 * returns where it is known (`OBS:` in aws-semantics.md); where it is not, the message says
 * plainly what is wrong and is marked UNCONFIRMED here, so it is easy to change in one place.
 */
import { ServiceError } from '../../kernel/service-error.js';

export const clusterNotFound = () => new ServiceError('ClusterNotFoundException', 'Cluster not found.');

export const invalidParameter = (message: string) => new ServiceError('InvalidParameterException', message);

export const clientException = (message: string) => new ServiceError('ClientException', message);

export const resourceNotFound = (message = 'The specified resource could not be found.') =>
  new ServiceError('ResourceNotFoundException', message);

/** DeleteCluster while container instances are ACTIVE or DRAINING. */
export const clusterContainsContainerInstances = () =>
  new ServiceError(
    'ClusterContainsContainerInstancesException',
    'The Cluster cannot be deleted while Container Instances are active or draining.',
  );

/** DeleteCluster while tasks are not STOPPED. */
export const clusterContainsTasks = () =>
  new ServiceError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');

/** DescribeTaskDefinition (and Deregister) of a task definition that does not exist. */
export const taskDefinitionNotDescribable = () => clientException('Unable to describe task definition.');

/** RunTask/StartTask with a task definition that does not exist (`OBS:` RunTask error text). */
export const taskDefinitionNotFound = () => invalidParameter('TaskDefinition not found.');

/** RunTask/StartTask with a deregistered revision (`OBS:` "TaskDefinition is inactive"). */
export const taskDefinitionInactive = () => invalidParameter('TaskDefinition is inactive');

/** RunTask on a cluster with no container instance at all (`OBS:` RunTask error text). */
export const noContainerInstances = () => invalidParameter('No Container Instances were found in your cluster.');

/** StopTask of a task ECS does not know (`OBS:` StopTask error text). */
export const taskNotFound = () => invalidParameter('The referenced task was not found.');

/** DeregisterContainerInstance of an unknown instance. UNCONFIRMED wording. */
export const containerInstanceNotFound = () => invalidParameter('The referenced container instance was not found.');

/** DeregisterContainerInstance without `force` while tasks are not STOPPED. UNCONFIRMED wording. */
export const containerInstanceHasTasks = () =>
  invalidParameter('Found running tasks on the instance. Stop them or deregister with force.');

/** A nextToken that this drydock did not hand out. */
export const invalidNextToken = () => invalidParameter('Invalid nextToken.');

/** UpdateService/DeleteService of a service that does not exist (`OBS:` "Service not found."). */
export const serviceNotFound = () => new ServiceError('ServiceNotFoundException', 'Service not found.');

/** UpdateService of a DRAINING or INACTIVE service (`OBS:` "Service was not ACTIVE."). */
export const serviceNotActive = () => new ServiceError('ServiceNotActiveException', 'Service was not ACTIVE.');

/** DeleteCluster while services are ACTIVE or DRAINING (`OBS:` terraform/CFN reports). */
export const clusterContainsServices = () =>
  new ServiceError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');

/** CreateService over a DRAINING service of the same name (`OBS:` many CI logs). */
export const serviceStillDraining = () => invalidParameter('Unable to Start a service that is still Draining.');

/** CreateService of a name that is ACTIVE with another request (`OBS:` "Creation of service was not idempotent."). */
export const serviceNotIdempotent = () => invalidParameter('Creation of service was not idempotent.');

/** DeleteService without force while desiredCount > 0 (`OBS:`). */
export const serviceScaledAboveZero = () =>
  invalidParameter('The service cannot be stopped while it is scaled above 0.');

/** A target group ELBv2 does not know (`OBS:` what ECS answers for a bad targetGroupArn). */
export const targetGroupNotValidated = () =>
  invalidParameter(
    'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
  );
