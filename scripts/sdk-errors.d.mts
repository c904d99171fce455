/** Types of ./sdk-errors.mjs (a plain-JS script the conformance suite also imports). */
export interface SdkErrorEntry {
  name: string;
  sender: boolean;
  status: number;
  queryCode?: string;
}

export function sdkErrors(pkg: string): { pkg: string; version: string; errors: SdkErrorEntry[] };
