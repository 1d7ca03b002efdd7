/**
 * ECS's errors, by the shape names of its model. Wording follows what the ECS API returns.
 */
import { ServiceError } from '../../kernel/service-error.js';

export const clusterNotFound = () => new ServiceError('ClusterNotFoundException', 'Cluster not found.');

export const invalidParameter = (message: string) => new ServiceError('InvalidParameterException', message);
