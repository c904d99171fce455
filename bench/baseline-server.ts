/**
 * The physical baseline: a bare node:http server answering a fixed small body. Whatever the
 * emulator does per request is measured against this, in the same run, on the same machine.
 */
import { createServer } from 'node:http';

// BASELINE_BODY_SIZE: answer that many bytes instead (bench:s3 compares 4 KiB GETs with 4 KiB answers)
const size = Number(process.env.BASELINE_BODY_SIZE ?? 0);
const body = size > 0 ? Buffer.alloc(size, 'x') : '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>000000000000</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';
const [host = '127.0.0.1', port = '0'] = (process.env.GATEWAY_LISTEN ?? '127.0.0.1:0').split(':');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(body);
  });
});
server.listen(Number(port), host, () => {
  const address = server.address();
  process.stderr.write(`listening on http://${host}:${typeof address === 'object' && address ? address.port : port}\n`);
  process.stdout.write('Ready.\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
