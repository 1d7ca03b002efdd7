/**
 * EC2's errors, by the codes and messages EC2 answers with (EC2 API Reference "Error codes", and
 * messages as AWS returns them to boto3 and the CLI). EC2's model declares no error shapes, so the
 * code thrown here is the code on the wire.
 */
import { ServiceError } from '../../kernel/service-error.js';

const error = (code: string, message: string) => new ServiceError(code, message);

export const invalidParameterValue = (message: string) => error('InvalidParameterValue', message);
export const invalidParameterCombination = (message: string) => error('InvalidParameterCombination', message);
export const missingParameter = (message: string) => error('MissingParameter', message);

export const invalidFilter = (name: string) => invalidParameterValue(`The filter '${name}' is invalid`);
export const invalidPageToken = () => invalidParameterValue('Unable to parse pagination token');

/** DryRun=true on a request that would have succeeded: EC2 answers 412 with this code. */
export const dryRunOperation = () =>
  new ServiceError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', { httpStatus: 412 });

export const instanceIdMalformed = (id: string) =>
  error('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`);

export function instanceNotFound(ids: readonly string[]): ServiceError {
  return ids.length === 1
    ? error('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
    : error('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`);
}

export const cannotStop = (id: string) =>
  error('IncorrectInstanceState', `This instance '${id}' is not in a state from which it can be stopped.`);
export const cannotStart = (id: string) =>
  error('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be started.`);
export const notStopped = (id: string) =>
  error('IncorrectInstanceState', `The instance '${id}' is not in the 'stopped' state.`);

export const stopProtected = (id: string) =>
  error(
    'OperationNotPermitted',
    `The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`,
  );
/** One-time Spot instances cannot be stopped (EC2 User Guide, "Stop a Spot Instance"). */
export const spotCannotStop = (id: string) =>
  error(
    'UnsupportedOperation',
    `You can't stop the Spot Instance '${id}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`,
  );

export const terminationProtected = (id: string) =>
  error(
    'OperationNotPermitted',
    `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
  );

/** RunInstances' answer to a type EC2 does not have. */
export const invalidInstanceType = (instanceType: string) =>
  invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
/** DescribeInstanceTypes' answer (ModifyInstanceAttribute says the same with InvalidParameterValue). */
export const instanceTypesNotFound = (types: readonly string[], code = 'InvalidInstanceType') =>
  error(code, `The following supplied instance types do not exist: [${types.join(', ')}]`);

export const amiIdMalformed = (id: string) =>
  error('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
export const invalidUserData = () => error('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');

export const subnetNotFound = (id: string) => error('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
export const vpcNotFound = (id: string) => error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
export const securityGroupNotFound = (id: string) =>
  error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
export const securityGroupNameNotFound = (name: string, vpcId: string) =>
  error('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId}'`);
export const invalidAvailabilityZone = (zone: string) => invalidParameterValue(`Invalid availability zone: [${zone}]`);
export const addressInUse = (address: string) => error('InvalidIPAddress.InUse', `Address ${address} is in use.`);
export const insufficientAddresses = (subnetId: string) =>
  error(
    'InsufficientFreeAddressesInSubnet',
    `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`,
  );

export const invalidResourceId = (id: string) => error('InvalidID', `The ID '${id}' is not valid`);
export const tagLimitExceeded = () =>
  error('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
export const reservedTagKey = () =>
  invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");

export const launchTemplateNameMalformed = () =>
  error(
    'InvalidLaunchTemplateName.MalformedException',
    'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
  );
export const launchTemplateNameInUse = () =>
  error('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.');
export const launchTemplateIdNotFound = (id: string) =>
  error('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
export const launchTemplateNameNotFound = (name: string) =>
  error(
    'InvalidLaunchTemplateName.NotFoundException',
    `The specified launch template, with template name ${name}, does not exist.`,
  );
/** DescribeLaunchTemplates names templates in a list, and says so less precisely. */
export const someLaunchTemplatesNotFound = () =>
  error(
    'InvalidLaunchTemplateName.NotFoundException',
    'At least one of the launch templates specified in the request does not exist.',
  );
export const launchTemplateVersionNotFound = (version: string, launchTemplateId: string) =>
  error(
    'InvalidLaunchTemplateId.VersionNotFound',
    `Could not find the specified version ${version} for the launch template with ID ${launchTemplateId}.`,
  );
/** ModifyLaunchTemplate words a missing DefaultVersion its own way. */
export const defaultVersionNotFound = (version: string) =>
  error(
    'InvalidLaunchTemplateId.VersionNotFound',
    `The launch template version ${version} is not found for the specified launch template.`,
  );
