/**
 * Virtual MFA devices, stored: created (a serial number `arn:...:mfa/<path><name>` and a
 * random base32 seed), enabled for a user, deactivated, deleted, listed. Authentication codes
 * are checked for their shape (six digits, the model's pattern) and not against the seed.
 */
import type { IamApi, VirtualMFADevice } from './api.generated.js';
import { randomUpperId } from '../../aws/ids.js';
import { addTags, date, find, iamArn, NOT_FOUND, page, pathOf, tagsOut, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredMfaDevice } from './state.js';
import { aboutRoot, userOrCaller, userOut } from './users.js';

/** A virtual MFA device by serial number, NoSuchEntity otherwise. */
export function findMfaDevice(state: IamState, serial: string): StoredMfaDevice {
  const device = state.mfaDevices[serial];
  if (!device) throw iamError('NoSuchEntityException', `VirtualMFADevice with serial number ${serial} doesn't exist.`);
  return device;
}

function deviceOut(state: IamState, device: StoredMfaDevice, withTags: boolean): VirtualMFADevice {
  const user = device.userKey ? state.users[device.userKey] : undefined;
  return {
    SerialNumber: device.serial,
    User: user ? userOut(user, false) : undefined,
    EnableDate: device.enabled !== undefined ? date(device.enabled) : undefined,
    Tags: withTags ? tagsOut(device.tags) : undefined,
  };
}

/** The virtual MFA device operations. */
export function mfaOperations(iam: Iam) {
  const { store } = iam;
  return {
    CreateVirtualMFADevice(ctx, input) {
      const state = store.of(ctx);
      const serial = iamArn(ctx, 'mfa', pathOf(input.Path), input.VirtualMFADeviceName);
      if (state.mfaDevices[serial]) throw iamError('EntityAlreadyExistsException', 'MFADevice entity at the same path and name already exists.');
      const device: StoredMfaDevice = { serial, seed: randomUpperId(64), created: iam.now(), tags: addTags({}, input.Tags) };
      state.mfaDevices[serial] = device;
      store.changed(ctx, 'mfaDevices', serial);
      return { VirtualMFADevice: { SerialNumber: serial, Base32StringSeed: new TextEncoder().encode(device.seed), Tags: tagsOut(device.tags) } };
    },

    EnableMFADevice(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const device = findMfaDevice(state, input.SerialNumber);
      if (device.userKey) throw iamError('EntityAlreadyExistsException', 'MFA Device is already in use.');
      if (input.AuthenticationCode1 === input.AuthenticationCode2) throw iamError('InvalidAuthenticationCodeException', 'Authentication code for device is not valid.');
      device.userKey = keyOf(user.name);
      device.enabled = iam.now();
      store.changed(ctx, 'mfaDevices', device.serial);
      return {};
    },

    DeactivateMFADevice(ctx, input) {
      const state = store.of(ctx);
      const user = userOrCaller(state, ctx, input.UserName);
      const device = state.mfaDevices[input.SerialNumber];
      if (!device || device.userKey !== keyOf(user.name)) throw iamError('NoSuchEntityException', `MFA Device with serial number ${input.SerialNumber} does not exist.`);
      delete device.userKey;
      delete device.enabled;
      store.changed(ctx, 'mfaDevices', device.serial);
      return {};
    },

    ResyncMFADevice(ctx, input) {
      const state = store.of(ctx);
      const user = find(state.users, input.UserName, NOT_FOUND.user);
      const device = state.mfaDevices[input.SerialNumber];
      if (!device || device.userKey !== keyOf(user.name)) throw iamError('NoSuchEntityException', `MFA Device with serial number ${input.SerialNumber} does not exist.`);
      if (input.AuthenticationCode1 === input.AuthenticationCode2) throw iamError('InvalidAuthenticationCodeException', 'Authentication code for device is not valid.');
      return {};
    },

    DeleteVirtualMFADevice(ctx, input) {
      const state = store.of(ctx);
      const device = findMfaDevice(state, input.SerialNumber);
      if (device.userKey) throw iamError('DeleteConflictException', 'MFA device is still in use.');
      delete state.mfaDevices[input.SerialNumber];
      store.changed(ctx, 'mfaDevices', input.SerialNumber);
      return {};
    },

    ListVirtualMFADevices(ctx, input) {
      const state = store.of(ctx);
      const status = input.AssignmentStatus ?? 'Any';
      const devices = Object.keys(state.mfaDevices)
        .map((s) => state.mfaDevices[s]!)
        .filter((d) => status === 'Any' || (status === 'Assigned') === (d.userKey !== undefined));
      const listing = page(devices, input, `ListVirtualMFADevices:${status}`, (d) => d.serial);
      return { VirtualMFADevices: listing.items.map((d) => deviceOut(state, d, true)), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    ListMFADevices(ctx, input) {
      const state = store.of(ctx);
      if (aboutRoot(state, ctx, input.UserName)) return { MFADevices: [], IsTruncated: false };
      const user = userOrCaller(state, ctx, input.UserName);
      const key = keyOf(user.name);
      const devices = Object.keys(state.mfaDevices)
        .map((s) => state.mfaDevices[s]!)
        .filter((d) => d.userKey === key);
      const listing = page(devices, input, `ListMFADevices:${user.id}`, (d) => d.serial);
      return { MFADevices: listing.items.map((d) => ({ UserName: user.name, SerialNumber: d.serial, EnableDate: date(d.enabled!) })), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    GetMFADevice(ctx, input) {
      const state = store.of(ctx);
      const device = findMfaDevice(state, input.SerialNumber);
      const user = device.userKey ? state.users[device.userKey] : undefined;
      return { SerialNumber: device.serial, UserName: user?.name, EnableDate: device.enabled !== undefined ? date(device.enabled) : undefined };
    },
  } satisfies Partial<IamApi>;
}
