// ApiClient: real HTTP requests to one gateway, each answer checked against the document and recorded.

/// "/api/deliveries/{id}" with {id: "d-1"} → "/api/deliveries/d-1".
function fill(template, params) {
  return template.replace(/\{([^}]+)\}/g, (_, name) => {
    if (!(name in params)) throw new Error(`no value for {${name}} of ${template}`);
    return encodeURIComponent(params[name]);
  });
}

export class ApiClient {
  /// `defaultHeaders` go with every request (e.g. an Authorization token); a call's own headers win.
  constructor(baseUrl, validator, report, name, defaultHeaders = {}) {
    this.baseUrl = baseUrl;
    this.defaultHeaders = defaultHeaders;
    this.validator = validator;
    this.report = report;
    this.name = name;
  }

  /// Sends "METHOD /template" and checks the answer: its status must be `expect` (a number or a list) and it
  /// must match the document. `body` may be an object (sent as JSON), a string or undefined.
  async call(operation, { params = {}, query = {}, body, headers = {}, expect, note = '' } = {}) {
    const [method, template] = operation.split(' ');
    const url = new URL(fill(template, params), this.baseUrl);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const init = { method, headers: { ...this.defaultHeaders, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      if (!Object.keys(init.headers).some((h) => h.toLowerCase() === 'content-type'))
        init.headers['Content-Type'] = 'application/json';
    }
    const answer = await this.send(url, init);
    const errors = this.validator.check(method, template, answer);
    return this.record(`${operation}`, `${method} ${url.pathname}${url.search}`, answer, errors, expect, note);
  }

  /// A request no operation documents (an unknown route): checked against components/responses/`response`.
  async callUndocumented(method, path, response, { headers = {}, expect } = {}) {
    const url = new URL(path, this.baseUrl);
    const answer = await this.send(url, { method, headers: { ...this.defaultHeaders, ...headers } });
    const errors = this.validator.check(method, path, answer, response);
    return this.record(`(no route) → ${response}`, `${method} ${path}`, answer, errors, expect, '');
  }

  async send(url, init) {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15000) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  }

  record(operation, request, answer, errors, expect, note) {
    const expected = expect === undefined ? null : [].concat(expect);
    const all = [...errors];
    if (expected && !expected.includes(answer.status)) all.unshift(`status ${answer.status}, expected ${expected.join(' or ')}`);
    this.report.add({ server: this.name, operation, request, status: answer.status, errors: all, note, body: answer.text });
    let json;
    try {
      json = answer.text ? JSON.parse(answer.text) : undefined;
    } catch {
      json = undefined;
    }
    return { ...answer, json };
  }

  /// Calls `operation` until `done(answer)` holds (each answer checked too), for up to `timeoutMs`.
  async poll(operation, options, done, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.call(operation, options);
      if (done(answer)) return answer;
      if (Date.now() > deadline) throw new Error(`${operation}: the awaited state did not come within ${timeoutMs} ms: ${answer.text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/// Every checked answer; the verdict at the end.
export class Report {
  constructor() {
    this.entries = [];
  }

  add(entry) {
    this.entries.push(entry);
    if (entry.errors.length)
      console.log(`FAIL [${entry.server}] ${entry.request} → ${entry.status} (${entry.operation})${entry.note ? ' ' + entry.note : ''}\n  ` +
        `${entry.errors.join('\n  ')}\n  body: ${entry.body.slice(0, 600)}`);
  }

  failures() {
    return this.entries.filter((e) => e.errors.length);
  }

  /// "METHOD /template" → the set of statuses answered and checked.
  coverage() {
    const seen = new Map();
    for (const e of this.entries) {
      if (!seen.has(e.operation)) seen.set(e.operation, new Set());
      seen.get(e.operation).add(e.status);
    }
    return seen;
  }
}
