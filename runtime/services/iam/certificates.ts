/**
 * Server certificates (UploadServerCertificate and friends): the PEM body is read with
 * node:crypto's X509Certificate (a body that is not a certificate is MalformedCertificate,
 * a private key that does not belong to it KeyPairMismatch, as AWS answers), its expiration
 * taken from the certificate. The private key is checked and not kept: AWS never returns it.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { IamApi, ServerCertificateMetadata } from './api.generated.js';
import { addTags, date, find, iamArn, mustBeNew, newId, NOT_FOUND, page, pathOf, tagsOut, underPrefix, type Iam } from './common.js';
import { iamError } from './errors.js';
import { keyOf, type IamState, type StoredServerCertificate } from './state.js';

/** A server certificate by name, NoSuchEntity in AWS's words otherwise. */
export function findCertificate(state: IamState, name: string): StoredServerCertificate {
  return find(state.serverCertificates, name, NOT_FOUND.certificate);
}

function metadataOf(cert: StoredServerCertificate): ServerCertificateMetadata {
  return { Path: cert.path, ServerCertificateName: cert.name, ServerCertificateId: cert.id, Arn: cert.arn, UploadDate: date(cert.created), Expiration: date(cert.expiration) };
}

function readCertificate(body: string, privateKey: string): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(body);
  } catch {
    throw iamError('MalformedCertificateException', 'Certificate body is malformed');
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw iamError('MalformedCertificateException', 'Private key is malformed');
  }
  if (!cert.checkPrivateKey(key)) throw iamError('KeyPairMismatchException', 'The private key did not match the public key provided by the certificate.');
  return cert;
}

/** The server certificate operations. */
export function certificateOperations(iam: Iam) {
  const { store } = iam;
  return {
    UploadServerCertificate(ctx, input) {
      const state = store.of(ctx);
      mustBeNew(state.serverCertificates, input.ServerCertificateName, `The Server Certificate with name ${input.ServerCertificateName} already exists.`);
      const x509 = readCertificate(input.CertificateBody, input.PrivateKey);
      if (input.CertificateChain !== undefined) {
        try {
          new X509Certificate(input.CertificateChain);
        } catch {
          throw iamError('MalformedCertificateException', 'Certificate chain is malformed');
        }
      }
      const path = pathOf(input.Path);
      const cert: StoredServerCertificate = {
        name: input.ServerCertificateName,
        path,
        id: newId('certificate'),
        arn: iamArn(ctx, 'server-certificate', path, input.ServerCertificateName),
        created: iam.now(),
        tags: addTags({}, input.Tags),
        body: input.CertificateBody,
        expiration: Date.parse(x509.validTo),
      };
      if (input.CertificateChain !== undefined) cert.chain = input.CertificateChain;
      const key = keyOf(cert.name);
      state.serverCertificates[key] = cert;
      store.changed(ctx, 'serverCertificates', key);
      return { ServerCertificateMetadata: metadataOf(cert), Tags: tagsOut(cert.tags) };
    },

    GetServerCertificate(ctx, input) {
      const cert = findCertificate(store.of(ctx), input.ServerCertificateName);
      return { ServerCertificate: { ServerCertificateMetadata: metadataOf(cert), CertificateBody: cert.body, CertificateChain: cert.chain, Tags: tagsOut(cert.tags) } };
    },

    ListServerCertificates(ctx, input) {
      const state = store.of(ctx);
      const certs = Object.keys(state.serverCertificates)
        .map((k) => state.serverCertificates[k]!)
        .filter((c) => underPrefix(c.path, input.PathPrefix));
      const listing = page(certs, input, `ListServerCertificates:${input.PathPrefix ?? ''}`, (c) => keyOf(c.name));
      return { ServerCertificateMetadataList: listing.items.map(metadataOf), IsTruncated: listing.IsTruncated, Marker: listing.Marker };
    },

    UpdateServerCertificate(ctx, input) {
      const state = store.of(ctx);
      const cert = findCertificate(state, input.ServerCertificateName);
      const oldKey = keyOf(cert.name);
      const name = input.NewServerCertificateName ?? cert.name;
      const newKey = keyOf(name);
      if (newKey !== oldKey) mustBeNew(state.serverCertificates, name, `The Server Certificate with name ${name} already exists.`);
      cert.name = name;
      cert.path = input.NewPath ?? cert.path;
      cert.arn = iamArn(ctx, 'server-certificate', cert.path, name);
      if (newKey !== oldKey) {
        delete state.serverCertificates[oldKey];
        state.serverCertificates[newKey] = cert;
        store.changed(ctx, 'serverCertificates', oldKey);
      }
      store.changed(ctx, 'serverCertificates', newKey);
      return {};
    },

    DeleteServerCertificate(ctx, input) {
      const state = store.of(ctx);
      const cert = findCertificate(state, input.ServerCertificateName);
      const key = keyOf(cert.name);
      delete state.serverCertificates[key];
      store.changed(ctx, 'serverCertificates', key);
      return {};
    },
  } satisfies Partial<IamApi>;
}
