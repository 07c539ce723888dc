// What the Node tests (tests/api, tests/e2e) share: where things are, TAP
// output, a `cdg serve` on a free loopback port, and Debian's Chromium.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(new URL('./package.json', import.meta.url));

export const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const CDG = process.env.CDG || path.join(SRC, 'build/src/cli/cdg');
export const OUT = path.join(SRC, 'tests/e2e/out'); // screenshots
mkdirSync(OUT, { recursive: true });

// TAP: ok(cond, what) prints one result; done() prints the plan and exits
// with 1 if any result failed.
export function tap() {
  let n = 0, fails = 0;
  return {
    ok(cond, what) {
      n++;
      if (cond) console.log(`ok ${n} - ${what}`);
      else { fails++; console.log(`not ok ${n} - ${what}`); }
    },
    done() {
      console.log(`1..${n}`);
      process.exit(fails ? 1 : 0);
    },
  };
}

// Starts `cdg serve --db DB --port 0 ...extra` and resolves to its child
// process, with .base set to the address it printed.
export function serve(db, extra = []) {
  const srv = spawn(CDG, ['serve', '--db', db, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    srv.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/\S+)\//.exec(out);
      if (m) { srv.base = m[1]; resolve(srv); }
    });
    // Read what the server logs, so that a full pipe never blocks it.
    srv.stderr.on('data', () => {});
    srv.on('exit', (c) => reject(new Error(`cdg serve exited ${c}`)));
    setTimeout(() => reject(new Error('cdg serve did not start')), 5000);
  });
}

// Headless Debian Chromium driven by playwright-core, with the flags that
// work here (../shared/tools/README.md).
export function chromium() {
  return require('playwright-core').chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// True when fn(arg) becomes truthy in the page within ms, false otherwise
// (a failed wait is a failed assertion, not a crash).
export function until(page, fn, arg, ms = 15000) {
  return page.waitForFunction(fn, arg, { timeout: ms }).then(() => true, () => false);
}

// web/openapi.json with an Ajv (JSON Schema 2020-12) that knows its
// components: schemaFor(path, method, status) is the documented JSON body
// of that response, ready for ajv.validate.
export function openapi() {
  const Ajv2020 = require('ajv/dist/2020.js').default ?? require('ajv/dist/2020.js');
  const addFormats = require('ajv-formats').default ?? require('ajv-formats');
  const spec = JSON.parse(readFileSync(path.join(SRC, 'web/openapi.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: spec.components });
  function schemaFor(p, method, status) {
    let r = spec.paths[p]?.[method]?.responses?.[status];
    if (!r) throw new Error(`openapi.json documents no ${status} for ${method} ${p}`);
    if (r.$ref) r = spec.components.responses[r.$ref.split('/').pop()];
    // Local refs resolve against the registered components.
    return JSON.parse(JSON.stringify(r.content['application/json'].schema).replaceAll('"#/components/', '"openapi#/components/'));
  }
  return { spec, ajv, schemaFor };
}
