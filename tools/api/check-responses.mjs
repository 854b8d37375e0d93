// check-responses: drives every route of real drone-backend processes, error cases included, and validates each
// answer's status, headers and body against docs/openapi.json (CTest openapi_responses).
// Usage: node check-responses.mjs --backend PATH/drone-backend --spec PATH/docs/openapi.json
import fs from 'node:fs';
import { parseArgs } from 'node:util';

import { ApiClient, Report } from './lib/ApiClient.mjs';
import { Backend } from './lib/Backend.mjs';
import { EventStream } from './lib/EventStream.mjs';
import { OpenApiValidator } from './lib/OpenApiValidator.mjs';
import { runOpenScenario, sampleParams, scheduleBody } from './lib/OpenScenario.mjs';

const { values: args } = parseArgs({ options: { backend: { type: 'string' }, spec: { type: 'string' } } });
if (!args.backend || !args.spec) {
  console.error('usage: node check-responses.mjs --backend PATH/drone-backend --spec PATH/docs/openapi.json');
  process.exit(2);
}

const started = Date.now();
const specText = fs.readFileSync(args.spec, 'utf8');
const validator = new OpenApiValidator(JSON.parse(specText));
const report = new Report();
const problems = [];
const expectThat = (ok, what) => {
  if (!ok) problems.push(what);
};

const TOKENS = 'tok-dispatch dispatcher alice\ntok-super supervisor bob\ntok-admin admin root\n';
const backends = [];

/// With tokens on: every operation without a token is 401 unless the document says it is open, roles are 403.
async function runTokenScenario(api, baseUrl) {
  const bearer = (token) => ({ Authorization: `Bearer ${token}` });
  for (const operation of validator.operations()) {
    const [method, template] = operation.split(' ');
    const spec = validator.operation(method, template);
    const open = Array.isArray(spec.security) && spec.security.length === 0;
    await api.call(operation, { params: sampleParams(validator, method, template), expect: open ? 200 : 401,
      note: 'without a token' });
  }
  await api.call('GET /api/drones', { headers: bearer('not-a-token'), expect: 401 });
  await api.callUndocumented('GET', '/api/nothing', 'Unauthenticated', { expect: 401 });
  await api.call('GET /api/drones', { headers: bearer('tok-dispatch'), query: { limit: '1' }, expect: 200 });
  await api.call('POST /api/deliveryrequests', { headers: bearer('tok-dispatch'), body: scheduleBody('owner-tokens'), expect: 202 });
  await api.call('POST /api/faults', { headers: bearer('tok-dispatch'), body: { spec: 'drone=delay:1:1' }, expect: 403 });
  await api.call('POST /api/faults', { headers: bearer('tok-super'), body: { spec: 'drone=delay:1:1' }, expect: 403 });
  await api.call('DELETE /api/faults', { headers: bearer('tok-super'), expect: 403 });
  await api.call('POST /api/transactions/{id}/{action}', { params: { id: 't-1', action: 'approve' }, headers: bearer('tok-dispatch'), expect: 403 });
  await api.call('POST /api/accounts/{id}/{action}', { params: { id: 'owner-tokens', action: 'suspend' }, headers: bearer('tok-dispatch'),
    body: { reason: 'test' }, expect: 403 });
  await api.call('GET /api/faults', { headers: bearer('tok-admin'), expect: 200 });

  const refused = await EventStream.open(baseUrl, '/api/events');
  expectThat(refused.status === 101, `tokens on, upgrade without a token: 101 then a close, got ${refused.status}`);
  await refused.until((s) => s.closeCode !== undefined, 5000);
  const closeCodes = validator.operation('GET', '/api/events')['x-websocket-close-codes'] ?? {};
  expectThat(refused.closeCode === 4401 && '4401' in closeCodes, `no token: close code 4401 (documented), got ${refused.closeCode}`);
  refused.close();
  const withToken = await EventStream.open(baseUrl, '/api/events?access_token=tok-dispatch');
  await withToken.until((s) => s.messages.length > 0, 5000);
  expectThat(withToken.messages.length > 0 && JSON.parse(withToken.messages[0]).type === 'Subscribed',
    `?access_token= subscribes, got ${JSON.stringify(withToken.messages.slice(0, 1))} close ${withToken.closeCode}`);
  withToken.close();
}

/// No tokens (the local demo): anonymous reads and dispatches; whatever a supervisor or admin does is a 403.
async function runAnonymousScenario(api) {
  await api.poll('GET /readyz', { expect: [200, 503] }, (a) => a.status === 200, 15000);
  await api.call('GET /api/drones', { expect: 200, note: 'anonymous' });
  await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-anonymous'), expect: 202, note: 'anonymous' });
  await api.call('POST /api/transactions/{id}/{action}', { params: { id: 't-1', action: 'approve' }, expect: 403, note: 'anonymous' });
  await api.call('POST /api/accounts/{id}/{action}', { params: { id: 'owner-anonymous', action: 'suspend' },
    body: { reason: 'x' }, expect: 403, note: 'anonymous' });
  await api.call('POST /api/faults', { body: { spec: 'drone=delay:1:1' }, expect: 403, note: 'anonymous' });
  await api.call('DELETE /api/faults', { expect: 403, note: 'anonymous' });
}

/// Only Ingestion runs: every read the mesh serves is a 503 with Retry-After, never a hang.
async function runPartialScenario(api) {
  const reads = validator.operations().filter((operation) => {
    const [method, template] = operation.split(' ');
    return method === 'GET' && template !== '/readyz' && '503' in validator.operation(method, template).responses;
  });
  await Promise.all(reads.map((operation) => {
    const [method, template] = operation.split(' ');
    return api.call(operation, { params: sampleParams(validator, method, template), expect: 503, note: 'services down' });
  }));
  await api.call('POST /api/transactions/{id}/{action}', { params: { id: 't-1', action: 'retry' }, expect: 503 });
  await api.call('POST /api/accounts/{id}/{action}', { params: { id: 'owner-1', action: 'reinstate' }, expect: 503 });
  // Writes need Ingestion only: accepted while the rest is down.
  await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-partial'), expect: 202 });
  await api.call('GET /readyz', { expect: 200 });
}

try {
  const start = (...options) => Backend.start(args.backend, ...options).then((backend) => (backends.push(backend), backend));
  // The full scenario runs as an admin: approving, account changes and faults need a token.
  const [open, guarded, partial, anonymous] = await Promise.all([
    start(['--fleet', '12', '--time-scale', '50', '--tokens', '{dir}/tokens.txt'], { files: { 'tokens.txt': TOKENS } }),
    start(['--fleet', '2', '--tokens', '{dir}/tokens.txt'], { files: { 'tokens.txt': TOKENS } }),
    start(['--services', 'ingestion', '--tokens', '{dir}/tokens.txt'], { files: { 'tokens.txt': TOKENS } }),
    start(['--fleet', '2']),
  ]);
  const openApi = new ApiClient(open.url, validator, report, 'admin', { Authorization: 'Bearer tok-admin' });
  const anonymousApi = new ApiClient(anonymous.url, validator, report, 'anonymous');
  const guardedApi = new ApiClient(guarded.url, validator, report, 'tokens');
  const partialApi = new ApiClient(partial.url, validator, report, 'ingestion only', { Authorization: 'Bearer tok-admin' });

  const served = await openApi.call('GET /openapi.json', { expect: 200 });
  expectThat(served.text === specText, 'GET /openapi.json serves docs/openapi.json byte for byte');

  await Promise.all([
    runOpenScenario(openApi, validator, open.url, expectThat, '/api/events?access_token=tok-admin'),
    runAnonymousScenario(anonymousApi),
    runTokenScenario(guardedApi, guarded.url),
    runPartialScenario(partialApi),
  ]);

  // Every documented operation was driven and answered with a documented status at least once.
  const coverage = report.coverage();
  for (const operation of validator.operations())
    expectThat(coverage.has(operation), `${operation} was never exercised`);
  for (const [operation, statuses] of [...coverage].sort())
    console.log(`  ${operation.padEnd(40)} ${[...statuses].sort().join(' ')}`);
} catch (error) {
  problems.push(`the check stopped: ${error.stack ?? error}`);
  for (const backend of backends) problems.push(backend.log());
} finally {
  await Promise.all(backends.map((b) => b.stop()));
}

const failures = report.failures();
for (const problem of problems) console.log(`FAIL ${problem}`);
const checked = report.entries.length;
console.log(`${checked} answers of ${validator.operations().length} operations checked against ${args.spec} in ` +
  `${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${checked - failures.length} passed, ${failures.length + problems.length} failed`);
process.exit(failures.length + problems.length ? 1 : 0);
