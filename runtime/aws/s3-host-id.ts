/**
 * S3's extended request id (the x-amz-id-2 header, HostId in error documents), derived from
 * the request id so that the header and the document agree; base64, as S3's are. Its own
 * module so that the response-header handler need not load the rest-xml codec.
 */
export function s3HostId(requestId: string): string {
  return Buffer.from(requestId.replace(/-/g, ''), 'hex').toString('base64');
}
