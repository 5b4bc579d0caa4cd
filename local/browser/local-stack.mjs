// The backend as a browser meets it: ./run-local's API on 127.0.0.1, in front of a Twilio emulator of its own,
// plus pages served from origins of the test's choosing, and the system's Chromium. Nothing here downloads a
// browser: playwright-core drives the Chromium at CHROMIUM (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/**
 * A ./run-local command in its own process group, its output collected line by line. Only what a fresh shell
 * would have is passed on (PATH, HOME, JAVA_HOME), so no Twilio setting of the caller's can point it at a real
 * account; it runs in an empty folder, so no .env is read.
 */
function runLocal(args, env) {
  const child = spawn(join(root, 'run-local'), args, {
    cwd: mkdtempSync(join(tmpdir(), 'browser-test-')),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
      SKIP_BUILD: '1', // ./run-local browser-test has built it; two builds at once would collide
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const waiters = [];
  let exited = null;
  const collect = (stream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      for (const line of parts) {
        lines.push(line);
        for (const w of [...waiters]) w.check();
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const done = new Promise((ok) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    for (const w of [...waiters]) w.check();
    ok(exited);
  }));

  return {
    lines,
    /** The first line (from index `from` on) matching `pattern`, waiting up to `ms`. */
    waitFor(pattern, ms = 60_000, from = 0) {
      return new Promise((ok, fail) => {
        const waiter = {
          check() {
            const line = lines.slice(from).find((l) => pattern.test(l));
            if (line !== undefined) {
              finish();
              ok(line);
            } else if (exited) {
              finish();
              fail(new Error(`./run-local ${args.join(' ')} exited (${JSON.stringify(exited)}) before printing ${pattern}:\n${lines.join('\n')}`));
            }
          },
        };
        const timer = setTimeout(() => {
          finish();
          fail(new Error(`./run-local ${args.join(' ')} printed no ${pattern} within ${ms} ms:\n${lines.join('\n')}`));
        }, ms);
        const finish = () => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
        };
        waiters.push(waiter);
        waiter.check();
      });
    },
    /** Ctrl-C to the whole group, as a terminal sends it; SIGKILL if it is still there after 10 s. */
    async stop() {
      if (exited) return exited;
      try { process.kill(-child.pid, 'SIGINT'); } catch { /* already gone */ }
      const killer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      const result = await done;
      clearTimeout(killer);
      return result;
    },
  };
}

/**
 * The Twilio emulator (./run-local emulator) and the local API (./run-local) pointed at it, allowing
 * `allowedOrigins`. Returns the API's URL, its output lines, the emulator's URL and test account, and stop().
 */
export async function startLocalStack({ allowedOrigins }) {
  const emulatorPort = await freePort();
  const emulator = runLocal(['emulator', String(emulatorPort)], {});
  let api;
  try {
    const listening = await emulator.waitFor(/^Twilio emulator listening on (\S+)/);
    const emulatorUrl = listening.match(/listening on (\S+)/)[1];
    const accountSid = (await emulator.waitFor(/^\s+account SID\s+(AC\w+)/)).trim().split(/\s+/).pop();
    const authToken = (await emulator.waitFor(/^\s+auth token\s+\S+/)).trim().split(/\s+/).pop();
    const apiKeyLine = (await emulator.waitFor(/^\s+API key \/ secret\s+/)).trim().split(/\s+/);
    const apiPort = await freePort();
    api = runLocal([], {
      PORT: String(apiPort),
      ALLOWED_ORIGINS: allowedOrigins.join(','),
      TWILIO_API_BASE_URL: emulatorUrl,
    });
    await api.waitFor(/^Ctrl-C stops\./);
    return {
      apiUrl: `http://127.0.0.1:${apiPort}`,
      apiLog: api.lines,
      waitForApiLine: (pattern, ms, from) => api.waitFor(pattern, ms, from),
      emulator: {
        url: emulatorUrl,
        accountSid,
        authToken,
        apiKey: apiKeyLine[apiKeyLine.length - 3],
        apiSecret: apiKeyLine[apiKeyLine.length - 1],
      },
      async stop() {
        const results = await Promise.all([api.stop(), emulator.stop()]);
        return { api: results[0], emulator: results[1] };
      },
    };
  } catch (e) {
    await Promise.all([api?.stop(), emulator.stop()]);
    throw e;
  }
}

/** GET on the emulator's REST API with the test account, as twilio-java would call Twilio. */
export async function twilioGet(emulator, path) {
  const response = await fetch(emulator.url + path, {
    headers: { Authorization: 'Basic ' + Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64') },
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** An HTTP server on 127.0.0.1 answering every request with the page `html()` gives; its origin is http://127.0.0.1:PORT. */
export async function servePage(html) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html());
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** The system's Chromium, headless, with none of its background traffic (this machine's network is closed). */
export async function launchChromium() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: install Debian's chromium package, or set CHROMIUM to a Chromium or Chrome binary.`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** The claims of a JWT, unverified. */
export function jwtClaims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
