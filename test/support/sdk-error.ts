import { expect } from 'vitest';

/** What a test needs of an error an AWS SDK call threw. */
export interface SdkError {
  name: string;
  message: string;
  status?: number;
  /** The query error code, for awsQueryCompatible services. */
  code?: string;
  attempts?: number;
}

/** Awaits a call that must fail and returns its error; a success fails the test. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (e) {
    const err = e as Error & { Code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, code: err.Code, attempts: err.$metadata?.attempts };
  }
  throw new Error('expected the call to fail');
}

/**
 * Awaits a call that must fail with the error `name`, HTTP `status` (400 unless given) and,
 * when given, the exact `message` (a string) or one that matches (a RegExp).
 */
export async function expectSdkError(call: Promise<unknown>, name: string, message?: string | RegExp, status = 400): Promise<void> {
  const e = await sdkError(call);
  expect(e.name, e.message).toBe(name);
  expect(e.status).toBe(status);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
}
