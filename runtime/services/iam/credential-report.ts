/**
 * The credential report (GenerateCredentialReport / GetCredentialReport): a CSV of the
 * account's users and their credentials, in AWS's columns, the root account first. AWS
 * builds it asynchronously and keeps it four hours; here the first GenerateCredentialReport
 * answers STARTED and builds it at once (the report is ready when a client asks), later ones
 * COMPLETE; a report older than four hours is generated anew.
 */
import { globalArnFor } from '../../aws/arns.js';
import type { IamApi } from './api.generated.js';
import type { OperationContext } from '../provider.js';
import type { Iam } from './common.js';
import { iamError } from './errors.js';
import type { IamState } from './state.js';

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

/** How long a report stays current (AWS: four hours). */
const REPORT_LIFETIME = 4 * 3600_000;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

function buildReport(state: IamState, ctx: OperationContext): string {
  const rows = [COLUMNS.join(',')];
  rows.push(['<root_account>', globalArnFor(ctx, 'iam', 'root'), iso(0), 'not_supported', 'no_information', 'not_supported', 'not_supported', 'false', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'].join(','));
  for (const key of Object.keys(state.users).sort()) {
    const user = state.users[key]!;
    const keys = Object.values(state.accessKeys).filter((k) => k.userKey === key).sort((a, b) => a.created - b.created);
    const certs = Object.values(state.signingCertificates).filter((c) => c.userKey === key);
    const keyColumns = [0, 1].flatMap((i) => {
      const k = keys[i];
      return k ? [String(k.status === 'Active'), iso(k.created), k.lastUsed ? iso(k.lastUsed.date) : 'N/A', k.lastUsed?.region ?? 'N/A', k.lastUsed?.service ?? 'N/A'] : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    });
    const certColumns = [0, 1].flatMap((i) => (certs[i] ? [String(certs[i].status === 'Active'), iso(certs[i].uploaded)] : ['false', 'N/A']));
    const mfa = Object.values(state.mfaDevices).some((d) => d.userKey === key);
    rows.push([user.name, user.arn, iso(user.created), String(user.login !== undefined), user.login ? 'no_information' : 'N/A', user.login ? iso(user.login.created) : 'N/A', 'N/A', String(mfa), ...keyColumns, ...certColumns].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** GenerateCredentialReport and GetCredentialReport. */
export function credentialReportOperations(iam: Iam) {
  const { store } = iam;
  return {
    GenerateCredentialReport(ctx) {
      const state = store.of(ctx);
      const now = iam.now();
      const current = state.account.credentialReport;
      if (current && now - current.generated < REPORT_LIFETIME) return { State: 'COMPLETE' };
      state.account.credentialReport = { csv: buildReport(state, ctx), generated: now };
      store.changedAccount(ctx);
      return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
    },

    GetCredentialReport(ctx) {
      const report = store.of(ctx).account.credentialReport;
      if (!report) throw iamError('CredentialReportNotPresentException', 'Credential report not present. Call GenerateCredentialReport to generate one.');
      if (iam.now() - report.generated >= REPORT_LIFETIME) throw iamError('CredentialReportExpiredException', 'Credential report is expired. Call GenerateCredentialReport to generate a new one.');
      return { Content: new TextEncoder().encode(report.csv), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generated) };
    },
  } satisfies Partial<IamApi>;
}
