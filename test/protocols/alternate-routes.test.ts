/**
 * Alternate routes (`alternateRoutes` in runtime/aws/models/patches.json): an operation that a
 * newer model of its service moved to another route answers on both, and both parse to the
 * same input. SESv2's three moved operations, each sent by real clients that disagree on the
 * route: @aws-sdk/client-sesv2 (the current model's routes, which botocore's has too: list
 * members in a JSON body), aws-sdk v2 (an older model's routes, list members in the query
 * string; a dev dependency kept as such an older client) and the AWS CLI v1 (its own bundled
 * model's routes). An echo provider records what arrived; each client reports the request line
 * it sent, so the test shows the routes differ.
 */
import * as sesv2 from '@aws-sdk/client-sesv2';
import SESV2 from 'aws-sdk/clients/sesv2.js';
import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../../runtime/aws/models/loader.js';
import type { ProviderRegistry } from '../../runtime/services/registry.js';
import { aws } from '../support/aws-cli.js';
import { clientConfig, withInProcessRuntime } from '../support/runtime.js';

interface Case {
  op: 'ListEmailIdentities' | 'ListConfigurationSets' | 'PutEmailIdentityDkimSigningAttributes';
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  cli: string[];
  /** The request line each client sends (path and query string). */
  sent: { sdk: string; v2: string; cli: string };
  /** The route template of the older model (the alternate route). */
  older: string;
}

// a page token with characters that are escaped in a query string and not in JSON
const TOKEN = 'page 2/2 +&=';
const QUERY = 'NextToken=page%202%2F2%20%2B%26%3D&PageSize=7';

const CASES: Case[] = [
  {
    op: 'ListEmailIdentities',
    input: { NextToken: TOKEN, PageSize: 7 },
    output: { EmailIdentities: [{ IdentityType: 'DOMAIN', IdentityName: 'example.com', SendingEnabled: true, VerificationStatus: 'SUCCESS' }] },
    cli: ['sesv2', 'list-email-identities', '--next-token', TOKEN, '--page-size', '7'],
    sent: { sdk: 'POST /v2/email/list-identities', v2: `GET /v2/email/identities?${QUERY}`, cli: `GET /v2/email/identities?${QUERY}` },
    older: 'GET /v2/email/identities',
  },
  {
    op: 'ListConfigurationSets',
    input: { NextToken: TOKEN, PageSize: 7 },
    output: { ConfigurationSets: ['first', 'second'] },
    cli: ['sesv2', 'list-configuration-sets', '--next-token', TOKEN, '--page-size', '7'],
    sent: { sdk: 'POST /v2/email/list-configuration-sets', v2: `GET /v2/email/configuration-sets?${QUERY}`, cli: `GET /v2/email/configuration-sets?${QUERY}` },
    older: 'GET /v2/email/configuration-sets',
  },
  {
    op: 'PutEmailIdentityDkimSigningAttributes',
    input: { EmailIdentity: 'example.com', SigningAttributesOrigin: 'EXTERNAL', SigningAttributes: { DomainSigningSelector: 'sel', DomainSigningPrivateKey: 'a2V5' } },
    output: { DkimStatus: 'PENDING', DkimTokens: ['t1', 't2'] },
    cli: ['sesv2', 'put-email-identity-dkim-signing-attributes', '--email-identity', 'example.com', '--signing-attributes-origin', 'EXTERNAL', '--signing-attributes', 'DomainSigningSelector=sel,DomainSigningPrivateKey=a2V5'],
    sent: {
      sdk: 'PUT /v2/email/identities/example.com/dkim/signing',
      v2: 'PUT /v1/email/identities/example.com/dkim/signing',
      cli: 'PUT /v2/email/identities/example.com/dkim/signing',
    },
    older: 'PUT /v1/email/identities/{EmailIdentity}/dkim/signing',
  },
];

/** What the provider was called with last, and what it answers. */
const exchange: { op?: string; input?: unknown; output: Record<string, unknown> } = { output: {} };

const registry: ProviderRegistry = {
  sesv2: {
    load: async () => ({
      createProvider: () => ({
        operations: new Proxy(
          {},
          {
            get: (_target, op: string) => (_ctx: unknown, input: Record<string, unknown>) => {
              exchange.op = op;
              exchange.input = input;
              return exchange.output;
            },
          },
        ),
      }),
    }),
  },
};

let endpoint: string;
withInProcessRuntime(registry, (url) => (endpoint = url));

/** Sends with @aws-sdk/client-sesv2: the request line sent, and the output. */
async function viaSdk(c: Case): Promise<{ sent: string; output: Record<string, unknown> }> {
  const client = new sesv2.SESv2Client({ ...clientConfig(endpoint), maxAttempts: 1 });
  let sent = '';
  client.middlewareStack.add(
    (next) => async (args) => {
      const r = args.request as { method: string; path: string; query?: Record<string, string> };
      const qs = new URLSearchParams(r.query ?? {}).toString();
      sent = `${r.method} ${r.path}${qs ? `?${qs}` : ''}`;
      return next(args);
    },
    { step: 'finalizeRequest' },
  );
  const Command = (sesv2 as unknown as Record<string, new (input: unknown) => sesv2.ListEmailIdentitiesCommand>)[`${c.op}Command`]!;
  const answer: object = await client.send(new Command(c.input));
  const { $metadata: _metadata, ...output } = answer as Record<string, unknown>;
  return { sent, output };
}

/** Sends with aws-sdk v2, whose model is the older one. */
async function viaSdkV2(c: Case): Promise<{ sent: string; output: Record<string, unknown> }> {
  const client = new SESV2({ ...clientConfig(endpoint), maxRetries: 0 });
  const request = client.makeRequest(c.op[0]!.toLowerCase() + c.op.slice(1), c.input);
  let sent = '';
  request.on('sign', (r) => {
    sent = `${r.httpRequest.method} ${r.httpRequest.path}`;
  });
  const output = (await request.promise()) as Record<string, unknown>;
  return { sent, output };
}

/** Sends with the AWS CLI; its debug log names the request line it sent. */
async function viaCli(c: Case): Promise<{ sent: string; output: Record<string, unknown> }> {
  const r = await aws(endpoint, [...c.cli, '--debug']);
  expect(r.code, r.stderr.slice(-2000)).toBe(0);
  const m = /Making request for OperationModel\(name=(\w+)\) with params: \{'url_path': '[^']*', 'query_string': [^\n]*?'method': '([A-Z]+)'[^\n]*?'url': '([^']+)'/.exec(r.stderr);
  expect(m?.[1], 'the CLI logs its request').toBe(c.op);
  const url = new URL(m![3]!);
  return { sent: `${m![2]} ${url.pathname}${url.search}`, output: r.json as Record<string, unknown> };
}

describe('alternate routes: SESv2 operations the current model moved', () => {
  it('the patch gives each its older route as an alternate, and only the list ones bind members differently', () => {
    const model = loadServiceModel('sesv2');
    for (const c of CASES) {
      const op = model.operations.get(c.op)!;
      expect(`${op.method} ${op.requestUri}`, c.op).toBe(c.sent.sdk.replace('example.com', '{EmailIdentity}'));
      expect(op.alternates.map((a) => `${a.method} ${a.requestUri}`), c.op).toEqual([c.older]);
      const where = (o: typeof op) => Object.fromEntries(model.members(o.input!).map(([n, m]) => [n, m.location ?? 'body']));
      if (c.op.startsWith('List')) {
        // (the current model has more body members, such as ListEmailIdentities' Filter, which older clients never send)
        expect(where(op), c.op).toMatchObject({ NextToken: 'body', PageSize: 'body' });
        expect(where(op.alternates[0]!), c.op).toEqual({ ...where(op), NextToken: 'querystring', PageSize: 'querystring' });
      } else {
        expect(where(op.alternates[0]!), c.op).toEqual(where(op));
      }
    }
  });

  for (const c of CASES) {
    it(`${c.op}: the current SDK, aws-sdk v2 and the AWS CLI reach it with the same input`, async () => {
      const results: Record<string, { sent: string; input: unknown; output: Record<string, unknown> }> = {};
      for (const [client, send] of [['sdk', viaSdk], ['v2', viaSdkV2], ['cli', viaCli]] as const) {
        exchange.op = undefined;
        exchange.input = undefined;
        exchange.output = c.output;
        const { sent, output } = await send(c);
        expect(exchange.op, client).toBe(c.op);
        results[client] = { sent, input: exchange.input, output };
      }
      // three different request lines...
      expect({ sdk: results.sdk!.sent, v2: results.v2!.sent, cli: results.cli!.sent }).toEqual(c.sent);
      // ... one input and one output
      for (const client of ['sdk', 'v2', 'cli']) {
        expect(results[client]!.input, client).toEqual(c.input);
        expect(results[client]!.output, client).toEqual(c.output);
      }
    }, 60_000);
  }
});
