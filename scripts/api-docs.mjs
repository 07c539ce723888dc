// Builds the API reference page from web/openapi.json with Redocly's
// build-docs, made to work under the site's Content-Security-Policy
// (script-src 'self'): the page's inline scripts become files beside it
// and Redoc comes from the local @redocly/cli copy instead of its CDN, so
// the page loads with no network.  Its sections are routed under
// /api.html/ (the server answers those paths with the page).  Run by meson (web/meson.build):
//   node scripts/api-docs.mjs OPENAPI OUTDIR REDOCLY_CLI
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [spec, out, cli] = process.argv.slice(2);
const raw = path.join(out, 'api-raw.html');
try {
  execFileSync(process.execPath, [cli, 'build-docs', spec, '-o', raw, '--title', 'cdg API reference',
    '--openapi.routingBasePath=/api.html'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
} catch (e) {
  console.error(`api-docs: redocly build-docs failed\n${e.stderr}`);
  process.exit(1);
}
let html = readFileSync(raw, 'utf8');
rmSync(raw);

const cdn = /https:\/\/cdn\.redocly\.com\/redoc\/[^"']*\/redoc\.standalone\.js/g;
const scripts = [...html.matchAll(/<script( type="module")?>([\s\S]*?)<\/script>/g)];
if (scripts.length !== 2 || !cdn.test(html)) {
  console.error('api-docs: unexpected build-docs output (two inline scripts and the Redoc CDN link expected)');
  process.exit(1);
}
const [mode, init] = scripts;
writeFileSync(path.join(out, 'api-mode.js'), mode[2].trim() + '\n');
writeFileSync(path.join(out, 'api-init.js'), init[2].replace(cdn, '/api-redoc.js').trim() + '\n');
html = html.replace(mode[0], '<script src="/api-mode.js"></script>')
  .replace(init[0], '<script type="module" src="/api-init.js"></script>')
  .replace(/<link rel="modulepreload"[^>]*>/g, '<link rel="modulepreload" href="/api-redoc.js">')
  .replace('<meta charset="utf8" />', '<meta charset="utf-8" />')
  .replace('</head>', '<link rel="stylesheet" href="/api-reference.css">\n</head>');
writeFileSync(path.join(out, 'api.html'), html);
const standalone = path.join(path.dirname(cli), '..', 'lib', 'chunks', 'redoc.standalone.js');
// Redoc's attribution shows a logo from Redocly's CDN: the same word,
// drawn locally, keeps the attribution and the page off the network.
const logo = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='56' height='14'%3E%3Ctext y='11' font-size='11' font-family='sans-serif'%3ERedocly%3C/text%3E%3C/svg%3E";
const redoc = readFileSync(standalone, 'utf8').replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, logo);
writeFileSync(path.join(out, 'api-redoc.js'), redoc);
