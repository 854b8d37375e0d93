// OpenScenario: every route of an open (no tokens) gateway, with the answers that can only fail, in one pass.
import { EventStream } from './EventStream.mjs';

/// Path values for a documented template: ids become "x", enumerated segments their first value.
export function sampleParams(validator, method, template) {
  const item = validator.document.paths[template];
  const declared = [...(item.parameters ?? []), ...(validator.operation(method, template).parameters ?? [])];
  const params = {};
  for (const parameter of declared.map((p) => validator.deref(p)))
    if (parameter.in === 'path') params[parameter.name] = parameter.schema?.enum?.[0] ?? 'x';
  return params;
}

export function scheduleBody(ownerId, extra = {}) {
  return {
    ownerId,
    pickupLocation: '47.61,-122.33',
    dropOffLocation: 'Pike Place Market',
    deadline: 'LinkedIn',
    expedited: true,
    confirmationRequired: 'FingerPrint',
    packageInfo: { packageId: `pkg-${ownerId}`, size: 'Small', weight: 1.5, tag: 'books' },
    ...extra,
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const stageOf = (answer) => answer.json?.stage;

async function deliveryRequests(api, expectThat) {
  const accepted = await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-oa'), expect: 202 });
  const first = await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-oa'), headers: { 'Idempotency-Key': 'oa-1' }, expect: 202 });
  const replay = await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-oa'), headers: { 'Idempotency-Key': 'oa-1' }, expect: 202 });
  expectThat(replay.headers.get('idempotent-replayed') === 'true' && replay.json?.deliveryId === first.json?.deliveryId,
    'a repeated Idempotency-Key replays the first answer');
  // The reference README's own payload: free-text places, a past pickup time.
  await api.call('POST /api/deliveryrequests', { expect: 202, body: { ownerId: 'myowner', pickupLocation: 'my pickup',
    pickupTime: '2019-04-05T15:01:00.000Z', deadline: 'LinkedIn', expedited: true, confirmationRequired: 'FingerPrint',
    dropOffLocation: 'drop off', packageInfo: { packageId: 'my package', size: 'Small', weight: 10, tag: 'mytag' } } });
  const bad = [
    [{ ...scheduleBody('o'), packageInfo: { size: 'Huge', weight: 1 } }, 400, 'unknown size'],
    [{ ...scheduleBody('o'), packageInfo: undefined }, 400, 'no package'],
    [{ ...scheduleBody('o'), pickupLocation: '0,0' }, 400, 'outside the area'],
    [{ ...scheduleBody('o'), dropOffLocation: 'Fremnt' }, 400, 'near miss'],
    [{ ...scheduleBody('o'), ownerId: { a: 1 } }, 400, 'object for a string'],
    ['{"ownerId": ', 400, 'malformed JSON'],
    ['[1, 2]', 400, 'not an object'],
  ];
  for (const [body, status, note] of bad) await api.call('POST /api/deliveryrequests', { body, expect: status, note });
  await api.call('POST /api/deliveryrequests', { body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
  await api.call('POST /api/deliveryrequests', { body: `{"pad": "${'x'.repeat(1100 * 1024)}"}`, expect: 413 });
  await api.call('POST /api/deliveryrequests', { body: scheduleBody('o'), headers: { 'Idempotency-Key': 'k'.repeat(300) }, expect: 400 });
  const traced = await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-oa'),
    headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` }, expect: 202 });
  const answeredTrace = traced.headers.get('traceparent') ?? '';
  expectThat(answeredTrace.split('-')[1] === TRACE_ID, `a request's traceparent is continued, got "${answeredTrace}"`);
  return accepted.json?.deliveryId;
}

async function deliveryReads(api, id) {
  await api.call('GET /api/deliveries/{id}', { params: { id }, expect: 200 }); // right after its 202
  await api.call('GET /api/deliveries/{id}/status', { params: { id }, expect: 200 });
  await api.call('GET /api/deliveries/{id}/history', { params: { id }, expect: 200 });
  for (const template of ['GET /api/deliveries/{id}', 'GET /api/deliveries/{id}/status']) {
    await api.call(template, { params: { id: 'd-neveraccepted' }, expect: 404 });
    await api.call(template, { params: { id: 'bad!id' }, expect: 400 });
  }
  await api.call('GET /api/deliveries/{id}/history', { params: { id: 'bad!id' }, expect: 400 });
  await api.call('GET /api/deliveries/{id}/history', { params: { id: 'd-neveraccepted' }, expect: [200, 404] });
  const page = await api.call('GET /api/deliveries', { query: { limit: '2' }, expect: 200 });
  if (page.json?.nextAfter) await api.call('GET /api/deliveries', { query: { limit: '2', after: page.json.nextAfter }, expect: 200 });
  await api.call('GET /api/deliveries', { query: { stage: 'headed_to_pickup', ownerId: 'owner-oa', search: 'd-' }, expect: 200 });
  await api.call('GET /api/deliveries', { query: { limit: '0' }, expect: 400 });
  await api.call('GET /api/deliveries', { query: { limit: '1001' }, expect: 400 });
  await api.call('GET /api/deliveries', { query: { stage: 'Lost' }, expect: 400 });
}

/// A delivery booked for an hour from now waits Created: it can be rescheduled, then cancelled.
async function rescheduleAndCancel(api) {
  const pickupTime = new Date(Date.now() + 3600 * 1000).toISOString();
  const booked = await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-later', { pickupTime }), expect: 202 });
  const id = booked.json?.deliveryId;
  const params = { id };
  await api.poll('GET /api/deliveries/{id}', { params, expect: 200 }, (a) => stageOf(a) !== 'Requested');
  await api.call('PATCH /api/deliveryrequests/{id}', { params, body: { dropoffLocation: 'Space Needle', deadline: 'tomorrow' },
    headers: { 'Idempotency-Key': 'oa-reschedule' }, expect: 200 });
  await api.call('PATCH /api/deliveryrequests/{id}', { params, body: '{"deadline": ', expect: 400 });
  await api.call('PATCH /api/deliveryrequests/{id}', { params, body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
  await api.call('PATCH /api/deliveryrequests/{id}', { params, body: `{"pad": "${'x'.repeat(1100 * 1024)}"}`, expect: 413 });
  await api.call('PATCH /api/deliveryrequests/{id}', { params: { id: 'd-neveraccepted' }, body: { deadline: 'x' }, expect: 404 });
  await api.call('PATCH /api/deliveryrequests/{id}', { params: { id: 'bad!id' }, body: { deadline: 'x' }, expect: 400 });
  await api.call('DELETE /api/deliveryrequests/{id}', { params, expect: 204 });
  await api.poll('GET /api/deliveries/{id}', { params, expect: 200 }, (a) => stageOf(a) === 'Cancelled');
  await api.call('PATCH /api/deliveryrequests/{id}', { params, body: { deadline: 'later' }, expect: 409, note: 'cancelled' });
  await api.call('DELETE /api/deliveryrequests/{id}', { params, expect: 204, note: 'already cancelled' });
  await api.call('DELETE /api/deliveryrequests/{id}', { params: { id: 'd-neveraccepted' }, expect: 404 });
  await api.call('DELETE /api/deliveryrequests/{id}', { params: { id: 'bad!id' }, expect: 400 });
  await api.call('GET /api/deliveries/{id}/history', { params, expect: 200 });
}

/// An injected fault fails a workflow: a Failed delivery, a failed transaction, decisions on it.
async function failedTransaction(api) {
  await api.call('POST /api/faults', { body: { spec: 'delivery.Create=fatal:100' }, expect: 200 });
  await api.call('POST /api/faults', { body: { spec: 'drone=explode:50' }, expect: 400 });
  await api.call('POST /api/faults', { body: {}, expect: 400, note: 'no spec' });
  await api.call('POST /api/faults', { body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
  await api.call('POST /api/faults', { body: `{"pad": "${'x'.repeat(1100 * 1024)}"}`, expect: 413 });
  const failing = await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-fails'), expect: 202 });
  const params = { id: failing.json?.deliveryId };
  const failed = await api.poll('GET /api/deliveries/{id}', { params, expect: 200 }, (a) => stageOf(a) === 'Failed');
  await api.call('DELETE /api/faults', { body: { spec: 'delivery.Create=fatal:100' }, expect: 200 });
  await api.call('GET /api/deliveries/{id}/status', { params, expect: 200 });
  await api.call('DELETE /api/deliveryrequests/{id}', { params, expect: 409, note: 'failed' });
  await api.call('PATCH /api/deliveryrequests/{id}', { params, body: { deadline: 'x' }, expect: 409, note: 'failed' });

  const transactionId = failed.json?.failure?.transactionId;
  const tx = { id: transactionId };
  await api.poll('GET /api/transactions/{id}', { params: tx, expect: [200, 404] }, (a) => a.status === 200);
  await api.call('GET /api/transactions', { expect: 200 });
  await api.call('GET /api/transactions', { query: { state: 'awaiting_approval', limit: '5' }, expect: 200 });
  await api.call('GET /api/transactions', { query: { state: 'Lost' }, expect: 400 });
  await api.call('GET /api/transactions', { query: { limit: '10001' }, expect: 400 });
  await api.call('GET /api/transactions/{id}', { params: { id: 'no-such-transaction' }, expect: 404 });
  await api.call('GET /api/transactions/{id}', { params: { id: 'bad!id' }, expect: 400 });
  const decide = 'POST /api/transactions/{id}/{action}';
  await api.call(decide, { params: { ...tx, action: 'explode' }, expect: 404, note: 'unknown action' });
  await api.call(decide, { params: { ...tx, action: 'approve' }, body: { comment: 5 }, expect: 400 });
  await api.call(decide, { params: { ...tx, action: 'approve' }, body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
  await api.call(decide, { params: { ...tx, action: 'approve' }, body: `{"pad": "${'x'.repeat(1100 * 1024)}"}`, expect: 413 });
  await api.call(decide, { params: { id: 'no-such-transaction', action: 'approve' }, expect: 404 });
  for (const action of ['approve', 'reject', 'retry'])
    await api.call(decide, { params: { ...tx, action }, body: { comment: `openapi check: ${action}` },
      headers: { 'Idempotency-Key': `oa-${action}` }, expect: [200, 409], note: 'depends on the state' });
}

async function dronesAndAccounts(api) {
  const drones = await api.call('GET /api/drones', { query: { limit: '3' }, expect: 200 });
  const last = drones.json?.drones?.at(-1)?.droneId;
  await api.call('GET /api/drones', { query: { after: last ?? '' }, expect: 200 });
  await api.call('GET /api/drones', { query: { limit: '0' }, expect: 400 });
  await api.call('GET /api/drones/{id}', { params: { id: drones.json?.drones?.[0]?.droneId ?? 'x' }, expect: 200 });
  await api.call('GET /api/drones/{id}', { params: { id: 'no-such-drone' }, expect: 404 });
  await api.call('GET /api/drones/{id}', { params: { id: 'bad!id' }, expect: 400 });

  await api.call('POST /api/deliveryrequests', { body: scheduleBody('owner-suspended'), expect: 202 });
  const owner = { id: 'owner-suspended' };
  await api.poll('GET /api/accounts/{id}', { params: owner, expect: [200, 404] }, (a) => a.status === 200);
  const action = 'POST /api/accounts/{id}/{action}';
  await api.call(action, { params: { ...owner, action: 'suspend' }, body: {}, expect: 400, note: 'no reason' });
  await api.call(action, { params: { ...owner, action: 'suspend' }, body: { reason: 7 }, expect: 400 });
  await api.call(action, { params: { ...owner, action: 'suspend' }, body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
  await api.call(action, { params: { ...owner, action: 'suspend' }, body: `{"pad": "${'x'.repeat(1100 * 1024)}"}`, expect: 413 });
  await api.call(action, { params: { ...owner, action: 'suspend' }, body: { reason: 'chargeback' }, expect: 200 });
  await api.call('GET /api/accounts', { query: { suspended: 'true', limit: '10' }, expect: 200 });
  await api.call(action, { params: { ...owner, action: 'reinstate' }, body: { reason: 'paid' }, expect: 200 });
  await api.call(action, { params: { ...owner, action: 'reinstate' }, expect: 200, note: 'no body' });
  await api.call(action, { params: { ...owner, action: 'explode' }, expect: 404 });
  await api.call(action, { params: { id: 'nobody-at-all', action: 'suspend' }, body: { reason: 'x' }, expect: 404 });
  await api.call('GET /api/accounts/{id}', { params: owner, expect: 200 });
  await api.call('GET /api/accounts/{id}', { params: { id: 'nobody-at-all' }, expect: 404 });
  await api.call('GET /api/accounts/{id}', { params: { id: 'bad!id' }, expect: 400 });
  const accounts = await api.call('GET /api/accounts', { query: { limit: '1' }, expect: 200 });
  await api.call('GET /api/accounts', { query: { after: accounts.json?.nextAfter ?? '' }, expect: 200 });
  await api.call('GET /api/accounts', { query: { suspended: 'maybe' }, expect: 400 });
  await api.call('GET /api/accounts', { query: { limit: '1001' }, expect: 400 });
}

async function operations(api) {
  await api.call('GET /healthz', { expect: 200 });
  await api.call('GET /metrics', { expect: 200 });
  for (const window of [undefined, '5m', '15m'])
    await api.call('GET /api/services', { query: window ? { window } : {}, expect: 200 });
  await api.call('GET /api/services', { query: { window: '2h' }, expect: 400 });
  await api.call('GET /api/events', { expect: 426, note: 'a plain GET' });
  await api.call('GET /api/faults', { expect: 200 });
  await api.call('POST /api/faults', { body: { spec: 'drone=delay:1:1' }, expect: 200 });
  await api.call('DELETE /api/faults', { body: { service: 'drone' }, expect: 200 });
  await api.call('DELETE /api/faults', { body: { spec: 'nonsense' }, expect: 400 });
  await api.call('DELETE /api/faults', { body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
  await api.call('DELETE /api/faults', { expect: 200, note: 'all' });
  await api.callUndocumented('GET', '/api/nothing', 'NotFound', { expect: 404 });
  await api.callUndocumented('PUT', '/api/deliveries', 'MethodNotAllowed', { expect: 405 });
}

/// The whole open scenario, with a WebSocket subscriber watching throughout.
/// `eventsPath`: where the subscriber connects (with ?access_token= when the backend has tokens).
export async function runOpenScenario(api, validator, baseUrl, expectThat, eventsPath = '/api/events') {
  await api.poll('GET /readyz', { expect: [200, 503] }, (a) => a.status === 200, 15000);
  const events = await EventStream.open(baseUrl, eventsPath);
  expectThat(events.status === 101 && events.headers.get('sec-websocket-accept') === events.expectedAccept(),
    `the upgrade is a correct 101, got ${events.status}`);
  const documented101 = validator.responseFor('GET', '/api/events', 101).response;
  for (const [name, header] of Object.entries(documented101?.headers ?? {}))
    expectThat(!header.required || events.headers.get(name) !== null, `the 101 carries the documented ${name}`);

  const id = await deliveryRequests(api, expectThat);
  await deliveryReads(api, id);
  await rescheduleAndCancel(api);
  await failedTransaction(api);
  await dronesAndAccounts(api);
  await operations(api);

  const types = () => new Set(events.messages.map((m) => JSON.parse(m).type));
  await events.until(() => ['Subscribed', 'DeliveryCancelled', 'TransactionUpdated', 'DroneTelemetry'].every((t) => types().has(t)), 10000);
  for (const message of events.messages) {
    const errors = validator.checkMessage('/api/events', message);
    expectThat(errors.length === 0, `event message ${message.slice(0, 300)}: ${errors.join('; ')}`);
  }
  for (const type of ['Subscribed', 'DeliveryCancelled', 'TransactionUpdated', 'DroneTelemetry'])
    expectThat(types().has(type), `a ${type} event reached the WebSocket (got ${[...types()].join(', ')})`);
  console.log(`  /api/events: ${events.messages.length} messages checked (${[...types()].sort().join(', ')})`);
  events.close();
}
