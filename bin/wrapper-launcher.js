// What the wrapper executables share (awslocal, tflocal, cdklocal): load the wrapper's code
// from dist/ and run it, every failure one line on stderr, never a stack trace (unless
// LOCALSTACK_DEBUG=1).
export async function launch(name) {
  let main;
  try {
    ({ main } = await import(`../dist/src/wrappers/${name}.js`));
  } catch (error) {
    process.stderr.write(`${name}: cannot load its code from dist/ (${error.code ?? error.message}); build it: npm run build\n`);
    process.exit(1);
  }
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${name}: ${error?.message ?? error}\n`);
    if (process.env.LOCALSTACK_DEBUG === '1' && error?.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
