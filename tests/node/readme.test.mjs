// The READMEs run as written: README.md and pkg/README.md (the one npm shows).
// Every ```js block is run against the built package (imported by its name,
// `payhook`, as a user's project does) and type-checked as
// JavaScript under `strict` (checkJs, so `process.env.X` is `string | undefined`
// there as in a user's TypeScript); every ```ts block is type-checked under
// `strict`. Nothing reaches beyond 127.0.0.1 (lib/readme-run.mjs answers other
// hosts itself).
//
// How a block is tested is said by an HTML comment just above it (invisible on
// GitHub and npm), else it is run as a program:
//   <!-- readme-test: run -->                 a program: it must exit 0
//   <!-- readme-test: run; prints: TEXT -->   …and print TEXT
//   <!-- readme-test: handler -->             exports a Fetch handler (Worker default.fetch,
//                                             Next.js POST): sent the sample webhook below (2xx)
//                                             and the same tampered (not 2xx)
//   <!-- readme-test: browser -->             runs in Chromium, in a page with the HAPI stand-in
//   <!-- readme-test: excerpt of PATH -->     its lines are, in order, lines of PATH (an example
//                                             app that tests/node/frameworks.test.mjs runs)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './lib/wrangler.mjs';
import { serveStatic, closeServer, launchChromium, inCheckedPage } from './lib/chromium.mjs';

const run = promisify(execFile);
const OUT = path.join(ROOT, 'tests/artifacts/readme');
const RUNNER = path.join(ROOT, 'tests/node/lib/readme-run.mjs');
// The project's README and the package's own (pkg/README.md, what npm shows).
const DOCS = ['README.md', 'pkg/README.md'];
const TEXT = Object.fromEntries(await Promise.all(DOCS.map(async (d) => [d, await readFile(path.join(ROOT, d), 'utf8')])));

// The README's sample webhook (its Node quickstart defines these two); the handler
// blocks are sent it. Checked here against node:crypto, from the contract's rule.
const SAMPLE_SALT = 'sample-salt-from-the-readme';
const SAMPLE_FIELDS = {
  payment_id: '9b2c8a1e-6f3d-4c7b-a1e2-3d4c5b6a7f80',
  payment_request_id: '9b2c8a1e-6f3d-4c7b-a1e2-3d4c5b6a7f81',
  reference_number: 'ORDER-1',
  phone: '',
  amount: '25.00',
  currency: 'SGD',
  status: 'completed',
};

function hitpayHmac(fields, salt) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHmac('sha256', salt).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
}
const SAMPLE_BODY = `${new URLSearchParams(SAMPLE_FIELDS)}&hmac=${hitpayHmac(SAMPLE_FIELDS, SAMPLE_SALT)}`;

/** The fenced blocks of a Markdown text: { lang, code, line, directive }. */
export function fencedBlocks(markdown) {
  const lines = markdown.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') j += 1;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k -= 1;
    const d = k >= 0 ? /^<!-- readme-test: (.*) -->$/.exec(lines[k].trim()) : null;
    out.push({ lang: open[1], code: lines.slice(i + 1, j).join('\n'), line: i + 1, directive: d ? d[1].trim() : 'run' });
    i = j;
  }
  return out;
}

const blocks = DOCS.flatMap((doc) => fencedBlocks(TEXT[doc]).map((b) => ({ ...b, doc })));
const js = blocks.filter((b) => b.lang === 'js');
const ts = blocks.filter((b) => b.lang === 'ts');
// tests/artifacts/readme/<doc>-line-<N>.<ext>, N the block's line in the document.
const nameOf = (b) => `${b.doc === 'README.md' ? 'readme' : 'pkg-readme'}-line-${b.line}`;
const fileOf = (b) => {
  const commonjs = /\brequire\(/.test(b.code) && !/^import /m.test(b.code);
  return path.join(OUT, `${nameOf(b)}.${b.lang === 'ts' ? 'ts' : commonjs ? 'cjs' : 'mjs'}`);
};

before(async () => {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  for (const b of [...js, ...ts]) await writeFile(fileOf(b), `${b.code}\n`);
});

describe('the READMEs\' sample webhook', () => {
  for (const doc of DOCS) {
    it(`${doc}: the Node quickstart gives the sample body and salt, which verify by node:crypto`, () => {
      assert.ok(TEXT[doc].includes(`const salt = '${SAMPLE_SALT}';`), 'the quickstart\'s salt');
      assert.ok(TEXT[doc].includes(`const body = '${SAMPLE_BODY}';`), `the quickstart's body: ${SAMPLE_BODY}`);
    });
  }

  it('there are JavaScript and TypeScript blocks to test', () => {
    assert.ok(js.filter((b) => b.doc === 'README.md').length >= 8, `${js.length} js blocks`);
    assert.ok(js.filter((b) => b.doc === 'pkg/README.md').length >= 4, `${js.length} js blocks`);
    assert.ok(ts.length >= 1, `${ts.length} ts blocks`);
  });
});

describe('every ```js block runs', () => {
  let browser;
  let site;
  before(async () => {
    if (!js.some((b) => b.directive === 'browser')) return;
    site = await serveStatic({ '/pkg/': path.join(ROOT, 'pkg'), '/www/': path.join(ROOT, 'www'), '/readme/': OUT });
    // A loaded machine can miss the launch timeout once: one more try.
    browser = await launchChromium().catch(() => launchChromium());
  });
  after(async () => {
    await browser?.close();
    await closeServer(site?.server);
  });

  for (const b of js) {
    const [mode, arg] = b.directive.split(/[:;]\s*|\s+of\s+/).map((s) => s.trim());
    it(`${b.doc}:${b.line} (${b.directive})`, async () => {
      if (mode === 'excerpt') {
        const file = await readFile(path.join(ROOT, b.directive.replace(/^excerpt of /, '')), 'utf8');
        const lines = file.split('\n');
        let at = 0;
        for (const line of b.code.split('\n')) {
          if (line.trim() === '' || line.trim() === '// …') continue;
          const found = lines.findIndex((l, i) => i >= at && l.trim() === line.trim());
          assert.ok(found >= 0, `not in ${b.directive} (in order): ${line}`);
          at = found + 1;
        }
        return;
      }
      if (mode === 'browser') {
        await writeFile(path.join(OUT, `${nameOf(b)}.html`), `<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "payhook": "/pkg/browser.js", "payhook/hapi": "/pkg/hapi.js" } }</script>
<script src="/www/hapi-elements-standin.js"></script>
<script>window.hapiInjector.setConfig('clientToken', 'readme-token');</script>
</head><body><script type="module">
import('/readme/${nameOf(b)}.mjs').then(() => { document.body.dataset.done = 'yes'; },
  (e) => { document.body.dataset.done = 'error: ' + e.message; });
// HAPI loads a little later, as on a real page, unless the block injected it.
setTimeout(() => { if (!window.hapi?.wallet?.state) window.hapiInjector.inject(); }, 500);
</script></body></html>`);
        await inCheckedPage(browser, async (page) => {
          await page.goto(`${site.origin}/readme/${nameOf(b)}.html`);
          await page.waitForFunction(() => document.body.dataset.done !== undefined);
          assert.equal(await page.evaluate(() => document.body.dataset.done), 'yes');
          const url = await page.evaluate(() => window.hapi.wallet.state.paymentIntentSuccessCallbackUrl);
          assert.match(url, /^https:\/\//, 'the block set HAPI\'s callback URL');
        }, { what: `${b.doc}:${b.line}` });
        return;
      }
      assert.ok(mode === 'run' || mode === 'handler', `unknown directive ${b.directive}`);
      const { stdout } = await run(process.execPath, [RUNNER, mode, fileOf(b)], {
        cwd: OUT,
        env: { PATH: process.env.PATH, README_SAMPLE_SALT: SAMPLE_SALT, README_SAMPLE_BODY: SAMPLE_BODY },
        timeout: 30_000,
      }).catch((err) => assert.fail(`${b.doc}:${b.line} failed:\n${err.stderr || err.message}`));
      if (mode === 'run' && arg === 'prints') {
        const want = b.directive.replace(/^run; prints: /, '');
        assert.ok(stdout.includes(want), `${b.doc}:${b.line} printed:\n${stdout}\nnot: ${want}`);
      }
    });
  }
});

describe('every block type-checks under strict', () => {
  it('```js blocks (checkJs) and ```ts blocks, with tsc', async () => {
    const files = [...js, ...ts].filter((b) => !b.directive.startsWith('excerpt')).map((b) => path.basename(fileOf(b)));
    // What a page that uses HAPI Elements declares about it (HAPI ships no types).
    await writeFile(path.join(OUT, 'hapi-globals.d.ts'), `export {};
declare global {
  interface Window {
    hapiInjector: { setConfig(key: string, value: string): void; inject(): Promise<void> };
    hapi: { wallet: { state: { paymentIntentSuccessCallbackUrl: string | null } } };
  }
}
`);
    // JavaScript has no parameter types to give: noImplicitAny is off for the js
    // blocks only (the rest of strict, strictNullChecks included, is on).
    for (const [name, list, extra] of [
      ['tsconfig.js.json', files.filter((f) => !f.endsWith('.ts')), { noImplicitAny: false }],
      ['tsconfig.ts.json', files.filter((f) => f.endsWith('.ts')), {}],
    ]) {
      await writeFile(path.join(OUT, name), JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, allowJs: true, checkJs: true, target: 'ES2022', module: 'NodeNext',
          moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: ['node'], skipLibCheck: false, ...extra,
        },
        files: [...list, 'hapi-globals.d.ts'],
      }, null, 2));
      try {
        await run(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(OUT, name)], { cwd: OUT, timeout: 120_000 });
      } catch (err) {
        // tsc names the file (<doc>-line-<N>.<ext>) and the line within the block.
        assert.fail(`tsc found errors in the README's blocks (file readme-line-N is the block at README.md:N, pkg-readme-line-N at pkg/README.md:N):\n${err.stdout}${err.stderr}`);
      }
    }
  });
});
