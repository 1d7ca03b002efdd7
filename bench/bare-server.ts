/**
 * The baseline: a bare `node:http` server in its own process that reads the request body and
 * answers with a fixed body, the one drydock gave for the same request (so the response size
 * matches). It is plain JavaScript run with `node -e`, without the tsx loader, so its start-up
 * and memory are those of Node itself. What drydock costs on top of it is the gateway's work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stderrTail, track, waitForLine } from './children.js';

export interface FixedAnswer {
  contentType: string;
  body: string;
}

export interface BareAnswers {
  /** For requests that carry `x-amz-target` (the JSON protocols). */
  json: FixedAnswer;
  /** For everything else (the query protocols' form posts). */
  query: FixedAnswer;
}

// Kept as source text so the child needs no TypeScript loader.
const SOURCE = `
import http from 'node:http';
const answers = JSON.parse(process.argv[1]);
const fixed = {};
for (const [kind, answer] of Object.entries(answers)) {
  fixed[kind] = {
    headers: {
      'content-type': answer.contentType,
      'content-length': String(Buffer.byteLength(answer.body)),
      'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
    },
    body: answer.body,
  };
}
const server = http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
  const answer = req.headers['x-amz-target'] === undefined ? fixed.query : fixed.json;
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    Buffer.concat(chunks);
    res.writeHead(200, answer.headers);
    res.end(answer.body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('bare server on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
`;

export const BARE_URL_LINE = /bare server on (http:\/\/\S+)/;

export interface BareServer {
  child: ChildProcess;
  url: string;
}

export function spawnBareServer(answers: BareAnswers): ChildProcess {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SOURCE, JSON.stringify(answers)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, 'bare server');
}

export async function startBareServer(answers: BareAnswers): Promise<BareServer> {
  const child = spawnBareServer(answers);
  const stderr = stderrTail(child);
  try {
    const url = await waitForLine(child, 'bare server', BARE_URL_LINE, 10_000);
    return { child, url };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr()}`);
  }
}
