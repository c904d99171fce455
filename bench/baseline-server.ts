/**
 * The physical baseline: a bare node:http server answering a fixed small body. Whatever the
 * emulator does per request is measured against this, in the same run, on the same machine.
 * SQS's json-protocol requests (`x-amz-target: AmazonSQS.*`) get a small JSON document
 * instead, shaped as a ReceiveMessage answer with one message (about the size of SQS's
 * answers), so that the messaging cycles (bench/compare/messaging.ts) find the receipt handle
 * they need in it. Other requests (SSM's json included) keep the fixed body the earlier runs
 * had.
 */
import { createServer } from 'node:http';

// BASELINE_BODY_SIZE: answer that many bytes instead (bench:s3 compares 4 KiB GETs with 4 KiB answers);
// BASELINE_GET_BODY_SIZE: that many bytes to GETs only (npm run bench: an S3 write and read in turn)
const size = Number(process.env.BASELINE_BODY_SIZE ?? 0);
const getSize = Number(process.env.BASELINE_GET_BODY_SIZE ?? 0);
const body = size > 0 ? Buffer.alloc(size, 'x') : '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>000000000000</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';
const getBody = getSize > 0 ? Buffer.alloc(getSize, 'x') : body;
const jsonBody = JSON.stringify({
  Messages: [{ MessageId: '5fea7756-0ea4-451a-a703-a558b933e274', ReceiptHandle: 'AQEBbaselinereceipthandle'.padEnd(120, 'x'), MD5OfBody: 'fafb00f5732ab283681e124bf8747ed1', Body: 'bench message: '.padEnd(100, 'x') }],
});
const [host = '127.0.0.1', port = '0'] = (process.env.GATEWAY_LISTEN ?? '127.0.0.1:0').split(':');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (String(req.headers['x-amz-target']).startsWith('AmazonSQS.')) {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(jsonBody);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(req.method === 'GET' ? getBody : body);
  });
});
server.listen(Number(port), host, () => {
  const address = server.address();
  process.stderr.write(`listening on http://${host}:${typeof address === 'object' && address ? address.port : port}\n`);
  process.stdout.write('Ready.\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
