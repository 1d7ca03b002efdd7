/**
 * The EC2 instance: its record, the state machine of the EC2 User Guide's "Instance state
 * changes" (pending → running → stopping → stopped → pending …, shutting-down → terminated, codes
 * 0/16/64/80/32/48) as pure transition functions, and its DescribeInstances shape. Transitions
 * that take time carry the instant they complete (`stateDueAtMs`); the instance controller moves
 * them on at that instant. StateTransitionReason and StateReason read as EC2 writes them.
 */
import type { Instance, InstanceState } from '@aws-sdk/client-ec2';
import type { InstanceStateName } from './ports.js';
import type { ResourceTag } from './tags.js';

export type { InstanceStateName } from './ports.js';

export const STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function instanceState(name: InstanceStateName): InstanceState {
  return { Code: STATE_CODES[name], Name: name };
}

export interface StateReason {
  code: string;
  message: string;
}

export interface InstanceRecord {
  accountId: string;
  region: string;
  instanceId: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  architecture: 'x86_64' | 'arm64';
  keyName?: string;
  state: InstanceStateName;
  /** When the current transitional state (pending, stopping, shutting-down) completes. */
  stateDueAtMs?: number;
  /** `User initiated (2026-01-01 00:00:00 GMT)`; '' while pending or running. */
  stateTransitionReason: string;
  stateReason?: StateReason;
  /** Why the last change happened, for state listeners: `User initiated`, `Spot interruption`, … */
  changeReason: string;
  /** Time of the last start (EC2 moves LaunchTime on every start from stopped). */
  launchTimeMs: number;
  terminatedAtMs?: number;
  /** Spot: the instant the interruption notice ends and termination begins. */
  spotInterruptionAtMs?: number;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  privateDnsName: string;
  networkInterfaceId: string;
  macAddress: string;
  volumeId: string;
  securityGroups: Array<{ groupId: string; groupName: string }>;
  /** Base64, exactly as the caller sent it. */
  userData?: string;
  disableApiTermination: boolean;
  disableApiStop: boolean;
  shutdownBehavior: 'stop' | 'terminate';
  ebsOptimized: boolean;
  monitoring: boolean;
  iamInstanceProfileArn?: string;
  launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
  clientToken?: string;
  amiLaunchIndex: number;
  spot: boolean;
  spotInstanceRequestId?: string;
  tags: ResourceTag[];
  /** Bumped on every change a listener hears about, so a notification can be matched to its commit. */
  revision: number;
}

/** Why a state change began, in EC2's words. */
export interface TransitionCause {
  /** StateTransitionReason's prefix. */
  initiator: 'User initiated' | 'Service initiated';
  stateReason: StateReason;
  /** The short reason state listeners get. */
  reason: string;
}

export const userShutdown = (reason = 'User initiated'): TransitionCause => ({
  initiator: 'User initiated',
  stateReason: {
    code: 'Client.UserInitiatedShutdown',
    message: 'Client.UserInitiatedShutdown: User initiated shutdown',
  },
  reason,
});

export const spotTermination = (): TransitionCause => ({
  initiator: 'Service initiated',
  stateReason: {
    code: 'Server.SpotInstanceTermination',
    message: 'Server.SpotInstanceTermination: Spot instance termination',
  },
  reason: 'Spot interruption',
});

export const instanceFailure = (): TransitionCause => ({
  initiator: 'Service initiated',
  stateReason: { code: 'Server.InternalError', message: 'Server.InternalError: Internal error' },
  reason: 'Instance failure',
});

/** `2026-01-01 00:00:00 GMT`, the timestamp EC2 puts in StateTransitionReason. */
export function gmt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} GMT`;
}

function moved(
  record: InstanceRecord,
  state: InstanceStateName,
  changes: Partial<InstanceRecord>,
  dueAtMs: number | undefined,
): InstanceRecord {
  const next: InstanceRecord = { ...record, ...changes, state, revision: record.revision + 1 };
  if (dueAtMs === undefined) delete next.stateDueAtMs;
  else next.stateDueAtMs = dueAtMs;
  return next;
}

function caused(cause: TransitionCause, nowMs: number): Partial<InstanceRecord> {
  return {
    stateTransitionReason: `${cause.initiator} (${gmt(nowMs)})`,
    stateReason: cause.stateReason,
    changeReason: cause.reason,
  };
}

/**
 * TerminateInstances: shutting-down now, terminated after shutdownMs. Undefined when the instance
 * is already on its way out (EC2 answers such calls with the current state and changes nothing).
 */
export function beginTermination(
  record: InstanceRecord,
  nowMs: number,
  shutdownMs: number,
  cause: TransitionCause,
): InstanceRecord | undefined {
  if (record.state === 'shutting-down' || record.state === 'terminated') return undefined;
  const next = moved(record, 'shutting-down', caused(cause, nowMs), nowMs + shutdownMs);
  delete next.spotInterruptionAtMs;
  return next;
}

export type StopOutcome = InstanceRecord | 'unchanged' | 'refused';

/** StopInstances: running → stopping → stopped. Already stopping/stopped is no change; others refuse. */
export function beginStop(record: InstanceRecord, nowMs: number, stopMs: number): StopOutcome {
  if (record.state === 'stopping' || record.state === 'stopped') return 'unchanged';
  if (record.state !== 'running') return 'refused';
  return moved(record, 'stopping', caused(userShutdown(), nowMs), nowMs + stopMs);
}

/** StartInstances: stopped → pending → running. Pending/running is no change; others refuse. */
export function beginStart(record: InstanceRecord, nowMs: number, startMs: number): StopOutcome {
  if (record.state === 'pending' || record.state === 'running') return 'unchanged';
  if (record.state !== 'stopped') return 'refused';
  const next = moved(
    record,
    'pending',
    { stateTransitionReason: '', changeReason: 'User initiated', launchTimeMs: nowMs },
    nowMs + startMs,
  );
  delete next.stateReason;
  return next;
}

/** The end of a transitional state, once its instant has come; undefined when nothing is due. */
export function completeTransition(record: InstanceRecord, nowMs: number): InstanceRecord | undefined {
  if (record.stateDueAtMs === undefined || nowMs < record.stateDueAtMs) return undefined;
  switch (record.state) {
    case 'pending':
      return moved(record, 'running', {}, undefined);
    case 'stopping':
      return moved(record, 'stopped', {}, undefined);
    case 'shutting-down':
      return moved(record, 'terminated', { terminatedAtMs: nowMs }, undefined);
    default:
      return undefined;
  }
}

/** An abrupt failure: terminated at once, without passing shutting-down. */
export function failNow(record: InstanceRecord, nowMs: number): InstanceRecord | undefined {
  if (record.state === 'terminated') return undefined;
  const next = moved(record, 'terminated', { ...caused(instanceFailure(), nowMs), terminatedAtMs: nowMs }, undefined);
  delete next.spotInterruptionAtMs;
  return next;
}

/** EC2 frees a terminated instance's network interface, so it shows no address or subnet any more. */
function hasNetwork(record: InstanceRecord): boolean {
  return record.state !== 'terminated';
}

export function instanceArn(record: Pick<InstanceRecord, 'region' | 'accountId' | 'instanceId'>): string {
  return `arn:aws:ec2:${record.region}:${record.accountId}:instance/${record.instanceId}`;
}

export function toInstance(record: InstanceRecord, cpu: { cores: number; threadsPerCore: number }): Instance {
  const network = hasNetwork(record);
  const groups = network
    ? record.securityGroups.map((group) => ({ GroupId: group.groupId, GroupName: group.groupName }))
    : [];
  return {
    InstanceId: record.instanceId,
    ImageId: record.imageId,
    InstanceType: record.instanceType as Instance['InstanceType'],
    KeyName: record.keyName,
    LaunchTime: new Date(record.launchTimeMs),
    AmiLaunchIndex: record.amiLaunchIndex,
    State: instanceState(record.state),
    StateTransitionReason: record.stateTransitionReason,
    StateReason: record.stateReason
      ? { Code: record.stateReason.code, Message: record.stateReason.message }
      : undefined,
    Placement: { AvailabilityZone: record.availabilityZone, GroupName: '', Tenancy: 'default' },
    PrivateDnsName: network ? record.privateDnsName : '',
    PrivateIpAddress: network ? record.privateIpAddress : undefined,
    PublicDnsName: '',
    SubnetId: network ? record.subnetId : undefined,
    VpcId: network ? record.vpcId : undefined,
    Architecture: record.architecture,
    ClientToken: record.clientToken ?? '',
    EbsOptimized: record.ebsOptimized,
    EnaSupport: true,
    Hypervisor: 'xen',
    Monitoring: { State: record.monitoring ? 'enabled' : 'disabled' },
    ProductCodes: [],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    BlockDeviceMappings: network
      ? [
          {
            DeviceName: '/dev/xvda',
            Ebs: {
              VolumeId: record.volumeId,
              Status: 'attached',
              AttachTime: new Date(record.launchTimeMs),
              DeleteOnTermination: true,
            },
          },
        ]
      : [],
    SecurityGroups: groups,
    SourceDestCheck: true,
    VirtualizationType: 'hvm',
    NetworkInterfaces: network
      ? [
          {
            NetworkInterfaceId: record.networkInterfaceId,
            SubnetId: record.subnetId,
            VpcId: record.vpcId,
            OwnerId: record.accountId,
            MacAddress: record.macAddress,
            PrivateIpAddress: record.privateIpAddress,
            PrivateDnsName: record.privateDnsName,
            PrivateIpAddresses: [
              { Primary: true, PrivateIpAddress: record.privateIpAddress, PrivateDnsName: record.privateDnsName },
            ],
            Groups: groups,
            SourceDestCheck: true,
            Status: 'in-use',
            InterfaceType: 'interface',
            Description: '',
            Ipv6Addresses: [],
            Attachment: {
              AttachmentId: `eni-attach-${record.networkInterfaceId.slice('eni-'.length)}`,
              AttachTime: new Date(record.launchTimeMs),
              DeleteOnTermination: true,
              DeviceIndex: 0,
              NetworkCardIndex: 0,
              Status: 'attached',
            },
          },
        ]
      : [],
    IamInstanceProfile: record.iamInstanceProfileArn ? { Arn: record.iamInstanceProfileArn, Id: undefined } : undefined,
    InstanceLifecycle: record.spot ? 'spot' : undefined,
    SpotInstanceRequestId: record.spotInstanceRequestId,
    CpuOptions: { CoreCount: cpu.cores, ThreadsPerCore: cpu.threadsPerCore },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: {
      State: 'applied',
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    },
    EnclaveOptions: { Enabled: false },
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: new Date(record.launchTimeMs),
    PrivateDnsNameOptions: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    MaintenanceOptions: { AutoRecovery: 'default' },
    CurrentInstanceBootMode: record.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
    BootMode: record.architecture === 'arm64' ? 'uefi' : undefined,
    Tags: record.tags.length > 0 ? record.tags : undefined,
  };
}
