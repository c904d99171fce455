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
