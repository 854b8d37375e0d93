// OpenApiValidator: checks one HTTP answer (status, headers, body) against an operation of docs/openapi.json with ajv.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SCHEMAS_ID = 'https://drone-delivery.invalid/openapi-schemas.json';

/// A JSON pointer into the document, e.g. "#/components/headers/traceparent".
function resolvePointer(document, pointer) {
  const parts = pointer.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((node, part) => (node === undefined ? undefined : node[part]), document);
}

function escapePointer(part) {
  return String(part).replace(/~/g, '~0').replace(/\//g, '~1');
}

/// Points the document's schema references at the copy of components.schemas ajv holds.
function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/'))
      out[key] = `${SCHEMAS_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`;
    else out[key] = rewriteRefs(value);
  }
  return out;
}

/// The check's strictness: an object schema that names its properties and says nothing about others is
/// taken as closed, so a field the gateway sends that the document does not name fails the check. The
/// document itself stays open, as clients should tolerate new fields.
function closeObjects(node, isPropertiesMap = false) {
  if (Array.isArray(node)) return node.map((item) => closeObjects(item));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node))
    out[key] = closeObjects(value, !isPropertiesMap && (key === 'properties' || key === '$defs'));
  if (!isPropertiesMap && out.properties && !('additionalProperties' in out) && !('unevaluatedProperties' in out))
    out.unevaluatedProperties = false;
  return out;
}

export class OpenApiValidator {
  constructor(document) {
    this.document = document;
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    // OpenAPI's own keywords inside Schema Objects: annotations for this purpose.
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    const schemas = {};
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {}))
      schemas[name] = closeObjects(rewriteRefs(schema));
    this.ajv.addSchema({ $id: SCHEMAS_ID, $defs: schemas });
    this.compiled = new Map();
  }

  /// Follows "$ref" to components/{responses,headers,parameters} until a real object.
  deref(node) {
    let current = node;
    for (let depth = 0; current && current.$ref && depth < 10; ++depth) current = resolvePointer(this.document, current.$ref);
    return current;
  }

  operation(method, path) {
    return this.document.paths?.[path]?.[method.toLowerCase()];
  }

  /// Every documented operation as "METHOD /path/{param}".
  operations() {
    const out = [];
    for (const [path, item] of Object.entries(this.document.paths ?? {}))
      for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'])
        if (item[method]) out.push(`${method.toUpperCase()} ${path}`);
    return out;
  }

  validator(pointer, schema) {
    if (!this.compiled.has(pointer)) this.compiled.set(pointer, this.ajv.compile(closeObjects(rewriteRefs(schema))));
    return this.compiled.get(pointer);
  }

  schemaErrors(pointer, schema, value) {
    const validate = this.validator(pointer, schema);
    if (validate(value)) return [];
    return validate.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }

  /// The Response Object an answer with `status` is documented by, and its pointer.
  responseFor(method, path, status) {
    const responses = this.operation(method, path)?.responses ?? {};
    const code = [String(status), `${String(status)[0]}XX`, 'default'].find((c) => c in responses);
    if (!code) return {};
    const base = `#/paths/${escapePointer(path)}/${method.toLowerCase()}/responses/${escapePointer(code)}`;
    return { code, response: this.deref(responses[code]), pointer: responses[code].$ref ?? base };
  }

  /// Errors of one answer: { status, headers: Headers, text } against "METHOD path" (a documented template),
  /// or against a components/responses entry when `componentResponse` names one.
  check(method, path, answer, componentResponse) {
    let code;
    let response;
    let pointer;
    if (componentResponse) {
      pointer = `#/components/responses/${componentResponse}`;
      response = this.deref({ $ref: pointer });
      code = String(answer.status);
    } else {
      if (!this.operation(method, path)) return [`${method} ${path} is not documented`];
      ({ code, response, pointer } = this.responseFor(method, path, answer.status));
      if (!response) return [`status ${answer.status} is not documented`];
    }
    const errors = [];
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = this.deref(declared);
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) errors.push(`header ${name} is missing`);
        continue;
      }
      const type = header.schema?.type;
      const typed = type === 'integer' || type === 'number' ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
      for (const e of this.schemaErrors(`${pointer}/headers/${escapePointer(name)}`, header.schema ?? {}, typed))
        errors.push(`header ${name}: ${e}`);
    }
    const contentType = (answer.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!response.content) {
      if (answer.text.length > 0) errors.push(`a body where the document has none (${answer.text.length} bytes)`);
      return errors;
    }
    const media = response.content[contentType];
    if (!media) return [...errors, `content type "${contentType}" is not one of ${Object.keys(response.content).join(', ')}`];
    let value = answer.text;
    if (contentType === 'application/json' || contentType.endsWith('+json')) {
      try {
        value = JSON.parse(answer.text);
      } catch (e) {
        return [...errors, `the body is not JSON: ${e.message}`];
      }
    }
    const schemaPointer = `${pointer}/content/${escapePointer(contentType)}/schema`;
    for (const e of this.schemaErrors(schemaPointer, media.schema ?? {}, value)) errors.push(`body ${e}`);
    return errors;
  }

  /// Errors of one WebSocket text message against the x-websocket-message schema of "GET path".
  checkMessage(path, text) {
    const schema = this.operation('GET', path)?.['x-websocket-message'];
    if (!schema) return [`GET ${path} has no x-websocket-message`];
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return [`the message is not JSON: ${e.message}`];
    }
    return this.schemaErrors(`#/paths/${escapePointer(path)}/get/x-websocket-message`, schema, value);
  }
}
