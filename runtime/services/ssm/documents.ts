/**
 * SSM documents: CreateDocument, GetDocument, DescribeDocument, UpdateDocument,
 * UpdateDocumentDefaultVersion, ListDocuments, ListDocumentVersions, DeleteDocument and the
 * sharing permissions (DescribeDocumentPermission, ModifyDocumentPermission).
 *
 * A document is a list of versions ("1", "2", ...), a latest and a default one. Creating
 * answers Status `Creating` and updating `Updating`, as AWS does; every later read says
 * `Active` (nothing is processed asynchronously here). The AWS-owned documents
 * (document-content.ts) are found by every read and listed with Owner `Amazon`; they cannot be
 * changed, deleted, shared or tagged (the account has no such document).
 */
import { parseArn } from '../../aws/arns.js';
import { paginate } from '../../aws/pagination.js';
import type { Tag } from '../../aws/tags.js';
import type { OperationContext } from '../provider.js';
import type { DocumentDescription, DocumentIdentifier, DocumentKeyValuesFilter, GetDocumentResult, SsmApi } from './api.generated.js';
import { contentHash, convertContent, isReservedDocumentName, ownedDocument, ownedDocuments, parseContent } from './document-content.js';
import { ssmError } from './errors.js';
import { own, put, type Ops, type StoredDocument, type StoredDocumentVersion } from './ops-state.js';
import { invalidNextToken, mergeTags, validation } from './validation.js';

/** AWS's quota of versions per document. */
const MAX_VERSIONS = 1000;
/** AWS's limit on a document's content (64 KB). */
const MAX_CONTENT_BYTES = 64 * 1024;
/** AWS's quota of accounts a document is shared with. */
const MAX_SHARES = 1000;

/** InvalidDocument, as LocalStack words it (AWS's own text was not found). */
export function documentNotFound(): Error {
  return ssmError('InvalidDocument', 'The specified document does not exist.');
}

/** The caller's document of that name (or own-account ARN), or an AWS-owned one. */
export function findDocument(ops: Ops, ctx: OperationContext, text: string): StoredDocument | undefined {
  let name = text;
  const arn = parseArn(text);
  if (arn) {
    if (arn.service !== 'ssm' || !arn.resource.startsWith('document/') || arn.accountId !== ctx.accountId || arn.region !== ctx.region) return undefined;
    name = arn.resource.slice('document/'.length);
  }
  return own(ops.state(ctx).documents, name) ?? ownedDocument(name);
}

/** The caller's own document (not an AWS-owned one), or InvalidDocument. */
export function ownDocument(ops: Ops, ctx: OperationContext, name: string): StoredDocument {
  const found = own(ops.state(ctx).documents, name);
  if (!found) throw documentNotFound();
  return found;
}

/** AWS's own (CreateDocument refuses their names, so an account's document is never one). */
function isOwned(document: StoredDocument): boolean {
  return isReservedDocumentName(document.name);
}

/** The version a DocumentVersion ($LATEST, $DEFAULT, "3") and/or VersionName select. */
export function selectVersion(document: StoredDocument, version: string | undefined, versionName: string | undefined): StoredDocumentVersion {
  const versions = Object.values(document.versions);
  let found: StoredDocumentVersion | undefined;
  if (version === undefined && versionName === undefined) found = document.versions[document.default];
  else {
    const number = version === '$LATEST' ? String(document.latest) : version === '$DEFAULT' ? String(document.default) : version;
    found = versions.find((v) => (number === undefined || v.version === number) && (versionName === undefined || v.versionName === versionName));
  }
  if (!found) throw documentNotFound();
  return found;
}

function ownerOf(ctx: OperationContext, document: StoredDocument): string {
  return isOwned(document) ? 'Amazon' : ctx.accountId;
}

/** DocumentDescription, members in the model's order. */
export function describe(ctx: OperationContext, document: StoredDocument, v: StoredDocumentVersion, status = 'Active'): DocumentDescription {
  const d: DocumentDescription = { Hash: v.hash, HashType: 'Sha256', Name: document.name };
  if (v.displayName !== undefined) d.DisplayName = v.displayName;
  if (v.versionName !== undefined) d.VersionName = v.versionName;
  d.Owner = ownerOf(ctx, document);
  d.CreatedDate = new Date(v.created);
  d.Status = status;
  d.DocumentVersion = v.version;
  if (v.description !== undefined) d.Description = v.description;
  d.Parameters = v.parameters.map((p) => ({ ...p }));
  d.PlatformTypes = [...v.platformTypes];
  d.DocumentType = document.documentType;
  if (v.schemaVersion !== undefined) d.SchemaVersion = v.schemaVersion;
  d.LatestVersion = String(document.latest);
  d.DefaultVersion = String(document.default);
  d.DocumentFormat = v.format;
  if (v.targetType !== undefined) d.TargetType = v.targetType;
  d.Tags = document.tags.map((t) => ({ ...t }));
  if (v.requires !== undefined) d.Requires = v.requires.map((r) => ({ ...r }));
  return d;
}

function identifier(ctx: OperationContext, document: StoredDocument): DocumentIdentifier {
  const v = document.versions[document.default]!;
  const d: DocumentIdentifier = { Name: document.name, CreatedDate: new Date(document.created) };
  if (v.displayName !== undefined) d.DisplayName = v.displayName;
  d.Owner = ownerOf(ctx, document);
  if (v.versionName !== undefined) d.VersionName = v.versionName;
  d.PlatformTypes = [...v.platformTypes];
  d.DocumentVersion = v.version;
  d.DocumentType = document.documentType;
  if (v.schemaVersion !== undefined) d.SchemaVersion = v.schemaVersion;
  d.DocumentFormat = v.format;
  if (v.targetType !== undefined) d.TargetType = v.targetType;
  d.Tags = document.tags.map((t) => ({ ...t }));
  if (v.requires !== undefined) d.Requires = v.requires.map((r) => ({ ...r }));
  return d;
}

function newVersion(number: number, input: { Content: string; DocumentFormat?: string; VersionName?: string; DisplayName?: string; TargetType?: string }, documentType: string, now: number): StoredDocumentVersion {
  if (Buffer.byteLength(input.Content, 'utf8') > MAX_CONTENT_BYTES) throw ssmError('MaxDocumentSizeExceeded', 'The size limit of a document is 64 KB.');
  const format = input.DocumentFormat ?? 'JSON';
  const parsed = parseContent(input.Content, format, documentType);
  const v: StoredDocumentVersion = {
    version: String(number),
    content: input.Content,
    format,
    hash: contentHash(input.Content),
    parameters: parsed.parameters,
    platformTypes: parsed.platformTypes,
    created: now,
  };
  if (input.VersionName !== undefined) v.versionName = input.VersionName;
  if (input.DisplayName !== undefined) v.displayName = input.DisplayName;
  if (input.TargetType !== undefined) v.targetType = input.TargetType;
  if (parsed.schemaVersion !== undefined) v.schemaVersion = parsed.schemaVersion;
  if (parsed.description !== undefined) v.description = parsed.description;
  return v;
}

/** Whether a document passes ListDocuments' Filters (keys as AWS documents them). */
function matches(document: StoredDocument, filters: readonly DocumentKeyValuesFilter[]): boolean {
  const v = document.versions[document.default]!;
  const owned = isOwned(document);
  for (const { Key: key = '', Values: values = [] } of filters) {
    const any = (test: (value: string) => boolean) => values.some(test);
    if (key === 'Owner') {
      // Private (shared with the caller) and Public (shared by others) name nothing here
      if (!any((o) => o === 'All' || (o === 'Self' && !owned) || (o === 'Amazon' && owned))) return false;
    } else if (key === 'Name') {
      if (!any((n) => document.name.startsWith(n))) return false;
    } else if (key === 'DocumentType') {
      if (!any((t) => t === document.documentType)) return false;
    } else if (key === 'PlatformTypes') {
      if (!any((p) => v.platformTypes.includes(p))) return false;
    } else if (key === 'TargetType') {
      if (!any((t) => t === v.targetType)) return false;
    } else if (key === 'SearchKeyword') {
      if (!any((k) => document.name.toLowerCase().includes(k.toLowerCase()))) return false;
    } else if (key.startsWith('tag:')) {
      const tag = document.tags.find((t) => t.Key === key.slice(4));
      if (!tag || (values.length > 0 && !values.includes(tag.Value))) return false;
    } else if (key === 'TagKeys') {
      if (!any((k) => document.tags.some((t) => t.Key === k))) return false;
    } else {
      throw ssmError('InvalidFilterKey', `The filter key ${key} is not valid.`);
    }
  }
  return true;
}

/** The document operations' slice of the operation table. */
export function documentOperations(ops: Ops) {
  const now = () => Date.now();

  function checkUnshared(document: StoredDocument): void {
    if (document.shared.length > 0) {
      throw ssmError('InvalidDocumentOperation', 'You attempted to delete a document while it is still shared. You must stop sharing the document before you can delete it.');
    }
  }

  return {
    CreateDocument(ctx, input) {
      if (isReservedDocumentName(input.Name)) throw validation(`Invalid document name ${input.Name}`);
      const state = ops.state(ctx);
      if (own(state.documents, input.Name)) throw ssmError('DocumentAlreadyExists', `Document with same name ${input.Name} already exists`);
      const documentType = input.DocumentType ?? 'Command';
      const tags: Tag[] = mergeTags([], input.Tags ?? []);
      const created = now();
      const version = newVersion(1, input, documentType, created);
      if (input.Requires !== undefined) version.requires = input.Requires.map((r) => ({ ...r }));
      const document: StoredDocument = { name: input.Name, documentType, created, versions: { 1: version }, latest: 1, default: 1, next: 2, tags, shared: [] };
      put(state.documents, input.Name, document);
      ops.changed(ctx, 'documents', input.Name);
      return { DocumentDescription: describe(ctx, document, version, 'Creating') };
    },

    GetDocument(ctx, input) {
      const document = findDocument(ops, ctx, input.Name);
      if (!document) throw documentNotFound();
      const v = selectVersion(document, input.DocumentVersion, input.VersionName);
      const format = input.DocumentFormat ?? v.format;
      const out: GetDocumentResult = { Name: document.name, CreatedDate: new Date(v.created) };
      if (v.displayName !== undefined) out.DisplayName = v.displayName;
      if (v.versionName !== undefined) out.VersionName = v.versionName;
      Object.assign(out, { DocumentVersion: v.version, Status: 'Active', Content: convertContent(v.content, v.format, format), DocumentType: document.documentType, DocumentFormat: format });
      if (v.requires !== undefined) out.Requires = v.requires.map((r) => ({ ...r }));
      return out;
    },

    DescribeDocument(ctx, input) {
      const document = findDocument(ops, ctx, input.Name);
      if (!document) throw documentNotFound();
      return { Document: describe(ctx, document, selectVersion(document, input.DocumentVersion, input.VersionName)) };
    },

    UpdateDocument(ctx, input) {
      const document = ownDocument(ops, ctx, input.Name);
      const requested = input.DocumentVersion;
      if (requested !== undefined && requested !== '$LATEST' && requested !== String(document.latest)) {
        throw ssmError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
      }
      const versions = Object.values(document.versions);
      if (versions.length >= MAX_VERSIONS) throw ssmError('DocumentVersionLimitExceeded', 'The document has too many versions. Delete one or more document versions and try again.');
      if (input.VersionName !== undefined && versions.some((v) => v.versionName === input.VersionName)) {
        throw ssmError('DuplicateDocumentVersionName', 'The specified version name is a duplicate.');
      }
      const latest = document.versions[document.latest]!;
      const format = input.DocumentFormat ?? latest.format;
      if (versions.some((v) => v.content === input.Content)) {
        throw ssmError('DuplicateDocumentContent', 'The content of the association document matches another document. Change the content of the document and try again.');
      }
      const number = document.next;
      const version = newVersion(number, { ...input, DocumentFormat: format, TargetType: input.TargetType ?? latest.targetType, DisplayName: input.DisplayName ?? latest.displayName }, document.documentType, now());
      if (latest.requires !== undefined) version.requires = latest.requires.map((r) => ({ ...r }));
      document.versions[number] = version;
      document.latest = number;
      document.next = number + 1;
      // the new version and the two counters, not the whole history (a document keeps up to 1000)
      for (const path of [['versions', String(number)], ['latest'], ['next']]) ops.changed(ctx, 'documents', document.name, ...path);
      return { DocumentDescription: describe(ctx, document, version, 'Updating') };
    },

    UpdateDocumentDefaultVersion(ctx, input) {
      const document = ownDocument(ops, ctx, input.Name);
      const v = own(document.versions, input.DocumentVersion === '$LATEST' ? String(document.latest) : input.DocumentVersion);
      if (!v) throw ssmError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
      document.default = Number(v.version);
      ops.changed(ctx, 'documents', document.name);
      const Description: { Name: string; DefaultVersion: string; DefaultVersionName?: string } = { Name: document.name, DefaultVersion: v.version };
      if (v.versionName !== undefined) Description.DefaultVersionName = v.versionName;
      return { Description };
    },

    ListDocuments(ctx, input) {
      const filters: DocumentKeyValuesFilter[] = [...(input.Filters ?? [])];
      // the legacy DocumentFilterList: Owner, PlatformTypes and DocumentType as in Filters, Name exact
      const legacyNames: string[] = [];
      for (const f of input.DocumentFilterList ?? []) {
        if (!['Name', 'Owner', 'PlatformTypes', 'DocumentType'].includes(f.key)) throw ssmError('InvalidFilterKey', `The filter key ${f.key} is not valid.`);
        if (f.key === 'Name') legacyNames.push(f.value);
        else filters.push({ Key: f.key, Values: [f.value] });
      }
      const all = [...ownedDocuments(), ...Object.values(ops.state(ctx).documents)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const matched = all.filter((d) => matches(d, filters) && legacyNames.every((n) => d.name === n));
      const { page, nextToken } = paginate(matched, { scope: `ListDocuments:${JSON.stringify([filters, legacyNames])}`, key: (d) => d.name, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      return { DocumentIdentifiers: page.map((d) => identifier(ctx, d)), NextToken: nextToken };
    },

    ListDocumentVersions(ctx, input) {
      const document = findDocument(ops, ctx, input.Name);
      if (!document) throw documentNotFound();
      const versions = Object.values(document.versions);
      const { page, nextToken } = paginate(versions, { scope: `ListDocumentVersions:${document.name}`, key: (v) => Number(v.version), nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken });
      return {
        DocumentVersions: page.map((v) => {
          const info: Record<string, unknown> = { Name: document.name, CreatedDate: new Date(v.created) };
          if (v.displayName !== undefined) info.DisplayName = v.displayName;
          info.DocumentVersion = v.version;
          if (v.versionName !== undefined) info.VersionName = v.versionName;
          Object.assign(info, { IsDefaultVersion: Number(v.version) === document.default, DocumentFormat: v.format, Status: 'Active' });
          return info;
        }),
        NextToken: nextToken,
      };
    },

    DeleteDocument(ctx, input) {
      const state = ops.state(ctx);
      const document = ownDocument(ops, ctx, input.Name);
      checkUnshared(document);
      if (Object.values(state.associations).some((a) => a.Name === document.name)) {
        throw ssmError('AssociatedInstances', 'You must disassociate a document from all managed nodes before you can delete it.');
      }
      if (input.DocumentVersion === undefined && input.VersionName === undefined) {
        delete state.documents[document.name];
        ops.changed(ctx, 'documents', document.name);
        return {};
      }
      const v = selectVersion(document, input.DocumentVersion, input.VersionName);
      if (Number(v.version) === document.default) throw ssmError('InvalidDocumentOperation', "Default version of the document can't be deleted.");
      delete document.versions[v.version];
      if (Number(v.version) === document.latest) document.latest = Math.max(...Object.keys(document.versions).map(Number));
      ops.changed(ctx, 'documents', document.name);
      return {};
    },

    DescribeDocumentPermission(ctx, input) {
      const document = ownDocument(ops, ctx, input.Name);
      if (input.PermissionType !== 'Share') throw ssmError('InvalidPermissionType', 'The permission type is not supported. Share is the only supported permission type.');
      const { page, nextToken } = paginate(
        document.shared.map((s, i) => ({ ...s, i })),
        { scope: `DescribeDocumentPermission:${document.name}`, key: (s) => s.i, nextToken: input.NextToken, max: input.MaxResults ?? 50, invalidToken: invalidNextToken },
      );
      return {
        AccountIds: page.map((s) => s.AccountId),
        AccountSharingInfoList: page.map((s) => ({ AccountId: s.AccountId, SharedDocumentVersion: s.SharedDocumentVersion })),
        NextToken: nextToken,
      };
    },

    ModifyDocumentPermission(ctx, input) {
      const document = ownDocument(ops, ctx, input.Name);
      if (input.PermissionType !== 'Share') throw ssmError('InvalidPermissionType', 'The permission type is not supported. Share is the only supported permission type.');
      const add = (input.AccountIdsToAdd ?? []).map((a) => (a.toLowerCase() === 'all' ? 'all' : a));
      const remove = (input.AccountIdsToRemove ?? []).map((a) => (a.toLowerCase() === 'all' ? 'all' : a));
      for (const list of [add, remove]) {
        if (list.includes('all') && list.length > 1) throw ssmError('DocumentPermissionLimit', 'Accounts can either be all or a group of AWS accounts');
      }
      const version = input.SharedDocumentVersion ?? '$DEFAULT';
      if (!/^(\$DEFAULT|\$LATEST|\d+)$/.test(version) || (/^\d+$/.test(version) && !own(document.versions, version))) {
        throw ssmError('InvalidDocumentVersion', 'The document version is not valid or does not exist.');
      }
      let shared = document.shared.filter((s) => !remove.includes(s.AccountId) && !add.includes(s.AccountId) && !remove.includes('all'));
      // sharing publicly replaces the list of accounts, and accounts replace public sharing
      if (add.includes('all')) shared = [];
      else if (add.length > 0) shared = shared.filter((s) => s.AccountId !== 'all');
      shared.push(...add.map((AccountId) => ({ AccountId, SharedDocumentVersion: version })));
      if (shared.length > MAX_SHARES) {
        throw ssmError('DocumentPermissionLimit', `The document can't be shared with more than ${MAX_SHARES} accounts.`);
      }
      document.shared = shared;
      ops.changed(ctx, 'documents', document.name);
      return {};
    },
  } satisfies Partial<SsmApi>;
}
