/**
 * Auto Scaling's errors (section A.10 of the semantics reference). On the wire the codec maps
 * shape names to the model's query codes (`ResourceContentionFault` → `ResourceContention`).
 */
import { ServiceError } from '../../kernel/service-error.js';

export const validationError = (message: string) => new ServiceError('ValidationError', message);

export const invalidNextToken = () => new ServiceError('InvalidNextToken', 'The token provided is not valid.');
