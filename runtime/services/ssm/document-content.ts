/**
 * What SSM reads out of a document's content: the schema version, the description, the
 * parameters (DocumentParameter list, in the order the content declares them), the platforms a
 * Command document runs on (from its plugins), and the plugin (step) names a command's
 * invocations report; plus GetDocument's format conversion (JSON <-> YAML) and the AWS-owned
 * documents users expect to find (AWS-RunShellScript, ...), read-only and the same in every
 * account and region, so they live here as constants rather than in the state.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { DocumentParameter } from './api.generated.js';
import { ssmError } from './errors.js';
import type { StoredDocument } from './ops-state.js';

/** What a document's content says about itself. */
export interface ParsedContent {
  body: Record<string, unknown> | undefined;
  schemaVersion?: string;
  description?: string;
  parameters: DocumentParameter[];
  platformTypes: string[];
  plugins: string[];
}

const ALL_PLATFORMS = ['Windows', 'Linux', 'MacOS'];

/** The platforms of Command plugins AWS documents as single-platform; others run everywhere. */
const PLUGIN_PLATFORMS: Record<string, string[]> = {
  'aws:runShellScript': ['Linux', 'MacOS'],
  'aws:runPowerShellScript': ['Windows', 'Linux'],
  'aws:applications': ['Windows'],
  'aws:domainJoin': ['Windows', 'Linux'],
  'aws:psModule': ['Windows'],
  'aws:updateAgent': ['Windows', 'Linux'],
  'aws:updateSsmAgent': ['Windows', 'Linux', 'MacOS'],
  'aws:configurePackage': ['Windows', 'Linux', 'MacOS'],
};

/** The schema versions each document type accepts (types not listed are not checked). */
const SCHEMA_VERSIONS: Record<string, string[]> = {
  Command: ['1.2', '2.0', '2.2'],
  Automation: ['0.3'],
  Session: ['1.0'],
  Policy: ['2.0', '2.2'],
  Package: ['2.0'],
};

/** InvalidDocumentContent: content that does not parse, or lacks what its type needs. */
export function invalidContent(): Error {
  return ssmError('InvalidDocumentContent', 'The content for the document is not valid.');
}

/** A DocumentFormat the content cannot be given in (TEXT to or from JSON/YAML). */
export function invalidFormat(format: string): Error {
  return ssmError('ValidationException', `Invalid document format ${format}`);
}

/** SHA-256 of the content as lower-case hex: DocumentDescription's Hash (HashType Sha256). */
export function contentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The content as data, or InvalidDocumentContent (TEXT documents are opaque). */
export function parseBody(content: string, format: string): Record<string, unknown> | undefined {
  if (format === 'TEXT') return undefined;
  let value: unknown;
  try {
    value = format === 'YAML' ? parseYaml(content) : JSON.parse(content);
  } catch {
    throw invalidContent();
  }
  const body = asObject(value);
  if (!body) throw invalidContent();
  return body;
}

/** Reads a document's content; throws AWS's errors for content a document type cannot have. */
export function parseContent(content: string, format: string, documentType: string): ParsedContent {
  const body = parseBody(content, format);
  if (!body) return { body, parameters: [], platformTypes: ALL_PLATFORMS, plugins: [] };
  // YAML reads `schemaVersion: 1.0` as the number 1: schema versions are always major.minor
  const raw = body.schemaVersion;
  const schemaVersion = typeof raw === 'number' && Number.isInteger(raw) ? raw.toFixed(1) : text(raw);
  const allowed = SCHEMA_VERSIONS[documentType];
  if (allowed) {
    if (schemaVersion === undefined) throw invalidContent();
    if (!allowed.includes(schemaVersion)) throw ssmError('InvalidDocumentSchemaVersion', `Document schema version, ${schemaVersion}, is not supported by document type ${documentType}.`);
  }
  const parameters: DocumentParameter[] = [];
  for (const [name, spec] of Object.entries(asObject(body.parameters) ?? {})) {
    const p = asObject(spec) ?? {};
    const parameter: DocumentParameter = { Name: name };
    if (p.type !== undefined) parameter.Type = text(p.type);
    if (p.description !== undefined) parameter.Description = text(p.description);
    if (p.default !== undefined) parameter.DefaultValue = text(p.default);
    parameters.push(parameter);
  }
  const steps = Array.isArray(body.mainSteps) ? body.mainSteps.map(asObject).filter((s) => s !== undefined) : [];
  const plugins = steps.length > 0 ? steps.map((s) => text(s.name) ?? text(s.action) ?? '') : Object.keys(asObject(asObject(body.runtimeConfig)) ?? {});
  const actions = steps.length > 0 ? steps.map((s) => text(s.action) ?? '') : plugins;
  let platformTypes = ALL_PLATFORMS;
  if (documentType === 'Command' && actions.length > 0) {
    platformTypes = ALL_PLATFORMS.filter((p) => actions.some((a) => (PLUGIN_PLATFORMS[a] ?? ALL_PLATFORMS).includes(p)));
  }
  return { body, schemaVersion, description: text(body.description), parameters, platformTypes, plugins };
}

/** The content in another format, as GetDocument's DocumentFormat asks. */
export function convertContent(content: string, from: string, to: string): string {
  if (from === to) return content;
  if (from === 'TEXT' || to === 'TEXT') throw invalidFormat(to);
  const body = parseBody(content, from);
  return to === 'YAML' ? toYaml(body) : JSON.stringify(body, null, 2);
}

// ---- the AWS-owned documents -------------------------------------------------------------

const OWNED_CREATED = Date.UTC(2017, 7, 31, 0, 0, 0);

function runScript(description: string, commands: string, action: string, step: string, extra: Record<string, unknown> = {}): object {
  return {
    schemaVersion: '2.2',
    description,
    parameters: {
      commands: { type: 'StringList', description: `(Required) Specify a ${commands} or a command to run.`, minItems: 1, displayType: 'textarea' },
      workingDirectory: { type: 'String', default: '', description: '(Optional) The path to the working directory on your instance.', maxChars: 4096 },
      executionTimeout: { type: 'String', default: '3600', description: '(Optional) The time in seconds for a command to complete before it is considered to have failed. Default is 3600 (1 hour). Maximum is 172800 (48 hours).', allowedPattern: '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)' },
      ...extra,
    },
    mainSteps: [{ precondition: { StringEquals: ['platformType', action === 'aws:runShellScript' ? 'Linux' : 'Windows'] }, action, name: step, inputs: { runCommand: '{{ commands }}', workingDirectory: '{{ workingDirectory }}', timeoutSeconds: '{{ executionTimeout }}' } }],
  };
}

const PATCH_PARAMETERS = {
  Operation: { type: 'String', description: '(Required) The update or configuration to perform on the instance. The system checks if patches specified in the patch baseline are installed on the instance. The install operation installs patches missing from the baseline.', allowedValues: ['Scan', 'Install'] },
  SnapshotId: { type: 'String', description: '(Optional) The snapshot ID to use to retrieve a patch baseline snapshot.', allowedPattern: '(^$)|^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$', default: '' },
};

/** AWS-owned documents by name: type, content (JSON) and the version AWS marks default. */
const OWNED: Record<string, { type: string; content: object }> = {
  'AWS-RunShellScript': { type: 'Command', content: runScript('Run a shell script.', 'shell script', 'aws:runShellScript', 'runShellScript') },
  'AWS-RunPowerShellScript': { type: 'Command', content: runScript('Run a PowerShell script or specify the paths to scripts to run.', 'PowerShell script', 'aws:runPowerShellScript', 'runPowerShellScript') },
  'AWS-RunPatchBaseline': {
    type: 'Command',
    content: {
      schemaVersion: '2.2',
      description: 'Scans for or installs patches from a patch baseline to a Linux or Windows operating system.',
      parameters: {
        ...PATCH_PARAMETERS,
        InstallOverrideList: { type: 'String', description: '(Optional) An https URL or an Amazon S3 path-style URL to the list of patches to be installed. This patch installation list overrides the patches specified by the default patch baseline.', allowedPattern: '(^$)|^https://.+$|^s3://([^/]+)/(.*?([^/]+))$', default: '' },
        RebootOption: { type: 'String', description: '(Optional) Reboot behavior after a patch Install operation.', allowedValues: ['RebootIfNeeded', 'NoReboot'], default: 'RebootIfNeeded' },
      },
      mainSteps: [
        { precondition: { StringEquals: ['platformType', 'Windows'] }, action: 'aws:runPowerShellScript', name: 'PatchWindows', inputs: { timeoutSeconds: 7200, runCommand: ['# patching runs on the instance (not emulated)'] } },
        { precondition: { StringEquals: ['platformType', 'Linux'] }, action: 'aws:runShellScript', name: 'PatchLinux', inputs: { timeoutSeconds: 7200, runCommand: ['# patching runs on the instance (not emulated)'] } },
        { precondition: { StringEquals: ['platformType', 'MacOS'] }, action: 'aws:runShellScript', name: 'PatchMacOS', inputs: { timeoutSeconds: 7200, runCommand: ['# patching runs on the instance (not emulated)'] } },
      ],
    },
  },
  'AWS-ApplyPatchBaseline': {
    type: 'Command',
    content: {
      schemaVersion: '1.2',
      description: 'Scans for or installs patches from a patch baseline to a Windows instance.',
      parameters: PATCH_PARAMETERS,
      runtimeConfig: { 'aws:runPowerShellScript': { properties: [{ id: '0.aws:runPowerShellScript', timeoutSeconds: 7200, runCommand: ['# patching runs on the instance (not emulated)'] }] } },
    },
  },
};

/** The AWS-owned document of that name, as a stored document of owner `Amazon`. */
export function ownedDocument(name: string): StoredDocument | undefined {
  if (!Object.hasOwn(OWNED, name)) return undefined;
  const { type, content: body } = OWNED[name]!;
  const content = JSON.stringify(body, null, 2);
  const parsed = parseContent(content, 'JSON', type);
  return {
    name,
    documentType: type,
    created: OWNED_CREATED,
    versions: {
      1: {
        version: '1',
        content,
        format: 'JSON',
        hash: contentHash(content),
        schemaVersion: parsed.schemaVersion,
        description: parsed.description,
        parameters: parsed.parameters,
        platformTypes: name === 'AWS-ApplyPatchBaseline' ? ['Windows'] : parsed.platformTypes,
        created: OWNED_CREATED,
      },
    },
    latest: 1,
    default: 1,
    next: 2,
    tags: [],
    shared: [],
  };
}

/** Every AWS-owned document, by name. */
export function ownedDocuments(): StoredDocument[] {
  return Object.keys(OWNED).map((name) => ownedDocument(name)!);
}

/** Names AWS reserves for its own documents (CreateDocument refuses them). */
export function isReservedDocumentName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('aws-') || lower.startsWith('amazon') || lower.startsWith('amzn');
}

/**
 * Whether `given` fits the parameters a document version declares: no undeclared name and every
 * parameter without a default given. AWS answers a mismatch with InvalidParameters and an empty
 * message (seen from SendCommand and CreateAssociation by users of both).
 */
export function checkParameters(document: StoredDocument, version: string, given: Record<string, unknown> | undefined): void {
  const declared = document.versions[version]?.parameters ?? [];
  const names = Object.keys(given ?? {});
  const fits = names.every((n) => declared.some((p) => p.Name === n)) && declared.every((p) => p.DefaultValue !== undefined || names.includes(p.Name!));
  if (!fits) throw ssmError('InvalidParameters', '');
}

/** The plugin names a document's invocations report. */
export function pluginsOf(document: StoredDocument, version: string): string[] {
  const v = document.versions[version];
  if (!v) return [];
  return parseContent(v.content, v.format, document.documentType).plugins;
}
