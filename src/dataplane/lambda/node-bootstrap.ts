/**
 * drydock's Node.js runtime interface client, as text: the process-function runtime writes it to
 * a file and runs it on this machine's node for `nodejs*.x` functions. Like AWS's client it
 * speaks the Lambda Runtime API (`GET …/invocation/next`, `POST …/response`, `…/error`,
 * `…/init/error`) at AWS_LAMBDA_RUNTIME_API, loads `_HANDLER` from LAMBDA_TASK_ROOT (CommonJS
 * with require, ES modules — `.mjs` or `"type": "module"` — with import), and calls it with the
 * event and a `context` (awsRequestId, functionName, functionVersion, invokedFunctionArn,
 * memoryLimitInMB, getRemainingTimeInMillis(), callbackWaitsForEmptyEventLoop, done/succeed/fail).
 * `async` handlers answer with their promise; callback handlers when the callback is called and,
 * unless callbackWaitsForEmptyEventLoop is false, the event loop has emptied. console output is
 * written as `<time>\t<request id>\t<LEVEL>\t<message>`, as Lambda's Node.js runtime logs it.
 *
 * Kept as plain JavaScript text (not a compiled module) so it runs the same from source and from
 * dist/ without tsx's loader in the function's process. The ES-module resolve hook beside it lets
 * `import '@aws-sdk/…'` fall back to drydock's node_modules (NODE_PATH covers `require`).
 */

export const NODE_BOOTSTRAP_FILE = 'node-bootstrap.mjs';
export const NODE_LOADER_FILE = 'node-loader.mjs';

export const NODE_LOADER_SOURCE = String.raw`// drydock: resolve bare specifiers a function cannot find from drydock's node_modules.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let fallbackParent;

export function initialize(data) {
  if (data && data.modulesDir) {
    fallbackParent = pathToFileURL(path.join(path.dirname(data.modulesDir), 'drydock-lambda-resolve.js')).href;
  }
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const bare = !/^(\.|\/|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier);
    if (!fallbackParent || !bare || !error || error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: fallbackParent });
  }
}
`;

export const NODE_BOOTSTRAP_SOURCE = String.raw`// drydock's Node.js runtime interface client (Lambda Runtime API).
import fs from 'node:fs';
import http from 'node:http';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import util from 'node:util';

const BOOTSTRAP = fileURLToPath(import.meta.url);
const [LOADER, MODULES_DIR] = process.argv.slice(2);
const API = process.env.AWS_LAMBDA_RUNTIME_API || '127.0.0.1:9001';
const SEPARATOR = API.lastIndexOf(':');
const API_HOST = API.slice(0, SEPARATOR);
const API_PORT = Number(API.slice(SEPARATOR + 1));
const PREFIX = '/2018-06-01/runtime';
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const HANDLER = process.env._HANDLER || '';

if (LOADER && MODULES_DIR && typeof register === 'function') {
  register(pathToFileURL(LOADER).href, { data: { modulesDir: MODULES_DIR } });
}

let currentRequestId;
const logAt = (level) => (...args) => {
  process.stdout.write(new Date().toISOString() + '\t' + (currentRequestId ?? 'undefined') + '\t' + level + '\t' + util.format(...args) + '\n');
};
console.log = logAt('INFO');
console.info = logAt('INFO');
console.warn = logAt('WARN');
console.error = logAt('ERROR');
console.debug = logAt('DEBUG');
console.trace = logAt('TRACE');

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function call(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: API_HOST,
        port: API_PORT,
        method,
        path: PREFIX + urlPath,
        agent,
        headers: body === undefined ? headers : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function namedError(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

function errorDocument(error) {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: String(error.stack || '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function isEsModule(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

const requireFromTask = createRequire(path.join(TASK_ROOT, 'drydock-lambda-bootstrap.cjs'));
async function loadModule(file) {
  if (isEsModule(file)) return import(pathToFileURL(file).href);
  try {
    return requireFromTask(file);
  } catch (error) {
    if (error && error.code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(file).href);
    throw error;
  }
}

function member(target, dottedPath) {
  let value = target;
  for (const part of dottedPath.split('.')) value = value == null ? undefined : value[part];
  return value;
}

async function loadHandler() {
  const slash = HANDLER.lastIndexOf('/');
  const dot = HANDLER.indexOf('.', slash + 1);
  if (dot < 0) throw namedError('Runtime.MalformedHandlerName', 'Bad handler ' + HANDLER + ': no module and function name');
  const moduleName = HANDLER.slice(0, dot);
  const handlerPath = HANDLER.slice(dot + 1);
  const base = path.resolve(TASK_ROOT, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    throw namedError('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'\nRequire stack:\n- " + BOOTSTRAP);
  }
  let loaded;
  try {
    loaded = await loadModule(file);
  } catch (error) {
    if (error instanceof SyntaxError) throw namedError('Runtime.UserCodeSyntaxError', error.name + ': ' + error.message);
    if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
      throw namedError('Runtime.ImportModuleError', 'Error: ' + error.message);
    }
    throw error;
  }
  let handler = member(loaded, handlerPath);
  if (typeof handler !== 'function' && loaded && loaded.default) handler = member(loaded.default, handlerPath);
  if (typeof handler !== 'function') {
    throw namedError('Runtime.HandlerNotFound', moduleName + '.' + handlerPath + ' is undefined or not exported');
  }
  return handler;
}

function runHandler(handler, event, context) {
  return new Promise((resolve) => {
    let settled = false;
    let callbackOutcome;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      process.removeListener('beforeExit', onEmptyLoop);
      resolve(outcome);
    };
    // The event loop emptied: a callback's answer is due now; a handler that never answered gets null.
    const onEmptyLoop = () => finish(callbackOutcome ?? { ok: true, value: null });
    const callback = (error, value) => {
      if (settled || callbackOutcome) return;
      callbackOutcome = error !== undefined && error !== null ? { ok: false, error } : { ok: true, value };
      if (!context.callbackWaitsForEmptyEventLoop) finish(callbackOutcome);
    };
    context.done = callback;
    context.succeed = (value) => callback(null, value);
    context.fail = (error) => callback(error ?? 'handled');
    process.on('beforeExit', onEmptyLoop);
    let result;
    try {
      result = handler(event, context, callback);
    } catch (error) {
      finish({ ok: false, error });
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then((value) => finish({ ok: true, value }), (error) => finish({ ok: false, error }));
    }
  });
}

async function postError(urlPath, error, label) {
  const document = errorDocument(error);
  console.error(label, JSON.stringify(document));
  await call('POST', urlPath, JSON.stringify(document), { 'Lambda-Runtime-Function-Error-Type': document.errorType });
}

async function fatal(error, errorType) {
  const document = errorDocument(error);
  const wrapped = errorType ? namedError(errorType, document.errorType + ': ' + document.errorMessage) : error;
  try {
    if (currentRequestId) await postError('/invocation/' + currentRequestId + '/error', wrapped, 'Uncaught Exception');
    else await postError('/init/error', wrapped, 'Init Error');
  } finally {
    process.exit(129);
  }
}
process.on('uncaughtException', (error) => void fatal(error));
process.on('unhandledRejection', (reason) => void fatal(reason, 'Runtime.UnhandledPromiseRejection'));

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  await postError('/init/error', error, 'Init Error');
  process.exit(1);
}

for (;;) {
  const next = await call('GET', '/invocation/next');
  if (next.status !== 200) process.exit(1);
  const requestId = String(next.headers['lambda-runtime-aws-request-id']);
  const deadlineMs = Number(next.headers['lambda-runtime-deadline-ms']);
  const trace = next.headers['lambda-runtime-trace-id'];
  if (trace) process.env._X_AMZN_TRACE_ID = String(trace);
  else delete process.env._X_AMZN_TRACE_ID;
  const clientContext = next.headers['lambda-runtime-client-context'];
  currentRequestId = requestId;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: undefined,
    clientContext: clientContext ? JSON.parse(String(clientContext)) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  let outcome;
  try {
    outcome = await runHandler(handler, JSON.parse(next.body.toString('utf8')), context);
  } catch (error) {
    outcome = { ok: false, error };
  }
  let body;
  if (outcome.ok) {
    try {
      body = JSON.stringify(outcome.value === undefined ? null : outcome.value);
    } catch (error) {
      outcome = { ok: false, error: namedError('Runtime.MarshalError', 'Unable to stringify response body: ' + error.message) };
    }
  }
  if (outcome.ok) await call('POST', '/invocation/' + requestId + '/response', body);
  else await postError('/invocation/' + requestId + '/error', outcome.error, 'Invoke Error');
  currentRequestId = undefined;
}
`;
