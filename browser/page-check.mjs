// Real-browser checks of the employer's verification page (verifier/src/page.rs), in headless
// Chromium driven by playwright-core, with an axe-core accessibility audit (WCAG 2.0, 2.1 and 2.2,
// levels A and AA). Run by the e2e test `page` (tests/tests/e2e/page.rs); install what it needs
// with `bash scripts/setup-browser.sh`.
//
//   node browser/page-check.mjs '{"base": …, "credentialLink": …, "bakedPng": …, "jwtFile": …, "screenshots": …}'
//   node browser/page-check.mjs input.json
//
// - base: the service mounting the page, e.g. http://127.0.0.1:PORT
// - credentialLink: a credential's verifier link (`links.verify`, what its QR code encodes); the
//   credential it names must be a genuine Data Integrity credential of the learner "Amina Yusuf"
// - credentialJson (optional): that credential's public JSON link; taken from credentialLink's
//   `credential` parameter when absent
// - bakedPng: a baked badge PNG file; jwtFile: a file holding a compact vc+jwt
// - screenshots: a directory; each scenario saves `NAME.png` there (full page)
//
// Prints ONE JSON object to stdout, and nothing else:
//   {"browser": …, "scenarios": [{name, ok, detail, ms}], "axe": [{page, url, violations: [{id, impact, help, nodes, targets}]}]}
// A failed scenario is recorded as ok:false with the reason, so that every failure is reported at
// once. Only a failure to start at all sets a top-level "error" (and exits 2).
//
// Nothing is fetched but `base`: every request the page makes is recorded, and one to anywhere
// else fails the scenario (the page promises to load nothing from elsewhere).

import { createRequire } from 'node:module';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const LEARNER = 'Amina Yusuf';
const ENGLISH_VERIFIED = 'Verified: this credential is genuine';
// The whole run, after which whatever was collected is printed (a hung browser must not hang the test).
const DEADLINE_MS = 150_000;
const ACTION_TIMEOUT_MS = 20_000;

const report = { browser: null, scenarios: [], axe: [] };
let printed = false;

function print(extra = {}) {
  if (printed) return;
  printed = true;
  process.stdout.write(`${JSON.stringify({ ...report, ...extra })}\n`);
}

async function readInput() {
  const arg = process.argv[2];
  if (!arg) throw new Error('usage: node page-check.mjs JSON|FILE');
  const text = arg.trimStart().startsWith('{') ? arg : await readFile(arg, 'utf8');
  const input = JSON.parse(text);
  for (const key of ['base', 'credentialLink', 'bakedPng', 'jwtFile', 'screenshots']) {
    if (typeof input[key] !== 'string' || input[key] === '') throw new Error(`input has no string "${key}"`);
  }
  input.base = input.base.replace(/\/+$/, '');
  input.credentialJson ??= new URL(input.credentialLink).searchParams.get('credential');
  if (!input.credentialJson) throw new Error('credentialLink has no credential parameter; pass credentialJson');
  return input;
}

// A failed expectation, with what was seen.
class Expectation extends Error {}

function expect(condition, message) {
  if (!condition) throw new Expectation(message);
}

// What the page shows as its result: the verdict, the summary text, the checks.
async function result(page) {
  const verdict = page.locator('#verdict');
  await verdict.waitFor({ state: 'attached' });
  const checks = await page.locator('#checks li[data-check]').evaluateAll((items) =>
    items.map((li) => ({ check: li.dataset.check, status: li.dataset.status, text: li.textContent.trim() })),
  );
  const summary = (await page.locator('#summary').count()) ? await page.locator('#summary').innerText() : '';
  const problem = (await page.locator('#result .problem').count()) ? await page.locator('#result .problem').innerText() : '';
  return {
    verdict: await verdict.getAttribute('data-verdict'),
    heading: (await verdict.innerText()).trim(),
    summary,
    checks,
    problem,
  };
}

function describe(r) {
  const failing = r.checks.filter((c) => c.status !== 'valid').map((c) => `${c.check}=${c.status} (${c.text})`);
  return `verdict ${r.verdict}${r.problem ? `, problem: ${r.problem}` : ''}${failing.length ? `; checks: ${failing.join('; ')}` : ''}`;
}

async function expectVerdict(page, wanted) {
  const r = await result(page);
  expect(r.verdict === wanted, `expected verdict ${wanted}, got ${describe(r)}`);
  return r;
}

// Opens a page that records every request; `foreign()` lists those not to `base`.
async function openPage(context, base) {
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const origin = new URL(base).origin;
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  page.foreign = () => requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
  return page;
}

async function scenario(name, context, input, body) {
  const started = Date.now();
  let page;
  const entry = { name, ok: false, detail: '' };
  try {
    page = await openPage(context, input.base);
    entry.detail = (await body(page)) ?? 'ok';
    const foreign = page.foreign();
    expect(foreign.length === 0, `the page fetched from elsewhere: ${foreign.join(', ')}`);
    entry.ok = true;
  } catch (error) {
    entry.detail = error instanceof Expectation ? error.message : `${error.name}: ${error.message.split('\n')[0]}`;
  } finally {
    if (page) {
      try {
        await page.screenshot({ path: path.join(input.screenshots, `${name}.png`), fullPage: true });
      } catch (error) {
        entry.detail += ` (no screenshot: ${error.message.split('\n')[0]})`;
      }
      await page.close().catch(() => {});
    }
  }
  entry.ms = Date.now() - started;
  report.scenarios.push(entry);
}

async function audit(label, context, input, load) {
  const entry = { page: label, url: null, violations: [] };
  let page;
  try {
    page = await openPage(context, input.base);
    await load(page);
    entry.url = page.url();
    await page.addScriptTag({ path: AXE_PATH });
    const results = await page.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: 'tag', values } }),
      AXE_TAGS,
    );
    entry.violations = results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.length,
      targets: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
    entry.passes = results.passes.length;
    entry.incomplete = results.incomplete.map((v) => v.id);
  } catch (error) {
    entry.error = `${error.name}: ${error.message.split('\n')[0]}`;
  } finally {
    await page?.close().catch(() => {});
  }
  report.axe.push(entry);
}

// The tampered copy of the genuine credential: same proof, another achievement name.
async function tampered(input) {
  const response = await fetch(input.credentialJson);
  if (!response.ok) throw new Error(`GET ${input.credentialJson}: ${response.status}`);
  const credential = await response.json();
  const achievement = credential?.credentialSubject?.achievement;
  if (!achievement) throw new Error(`${input.credentialJson} has no credentialSubject.achievement`);
  achievement.name = 'Brain Surgery';
  return JSON.stringify(credential);
}

async function pasteAndSubmit(page, input, text) {
  await page.goto(`${input.base}/verify`);
  await page.locator('#paste').fill(text);
  await page.locator('#paste-form button[type=submit]').click();
}

// Keyboard focus: tab from the top, record each stop, with whether the focus is visible.
async function tabStops(page, max) {
  const stops = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const width = parseFloat(style.outlineWidth) || 0;
      return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        type: el.getAttribute('type') ?? '',
        cls: el.className,
        form: el.form?.id ?? '',
        outline: `${style.outlineStyle} ${style.outlineWidth}`,
        visibleFocus: style.outlineStyle !== 'none' && width > 0,
        onScreen: box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.width > 0 && box.height > 0,
      };
    });
    if (!stop) break; // focus left the document: the cycle is over
    stop.key = stop.tag === 'button' ? `submit@${stop.form}` : stop.id ? `#${stop.id}` : stop.tag;
    stops.push(stop);
    if (stop.key === 'submit@paste-form') break; // the last control on the page
  }
  return stops;
}

async function main() {
  const input = await readInput();
  await mkdir(input.screenshots, { recursive: true });
  const jwt = (await readFile(input.jwtFile, 'utf8')).trim();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  report.browser = `${browser.browserType().name()} ${browser.version()}`;
  try {
    // bypassCSP: the page's Content-Security-Policy (default-src 'none') rightly refuses the
    // injected axe-core script; the page itself runs no script either way.
    const context = await browser.newContext({ locale: 'en-US', bypassCSP: true });
    const { base, credentialLink } = input;
    const tamperedText = await tampered(input).catch((error) => error);

    await scenario('qr-link', context, input, async (page) => {
      await page.goto(credentialLink);
      const r = await expectVerdict(page, 'verified');
      expect(r.summary.includes(LEARNER), `#summary does not name ${LEARNER}: ${JSON.stringify(r.summary)}`);
      expect(r.checks.length > 0, 'no checks are listed');
      return `verified; ${r.checks.map((c) => `${c.check}=${c.status}`).join(' ')}`;
    });

    await scenario('upload-baked-png', context, input, async (page) => {
      await page.goto(`${base}/verify`);
      await page.locator('#file').setInputFiles(input.bakedPng);
      await page.locator('#upload-form button[type=submit]').click();
      const r = await expectVerdict(page, 'verified');
      expect(r.summary.includes(LEARNER), `#summary does not name ${LEARNER}`);
      return 'verified';
    });

    await scenario('paste-jwt', context, input, async (page) => {
      await pasteAndSubmit(page, input, jwt);
      const r = await expectVerdict(page, 'verified');
      expect(r.summary.includes(LEARNER), `#summary does not name ${LEARNER}`);
      return 'verified';
    });

    await scenario('arabic-rtl', context, input, async (page) => {
      // From the English result, as a reader would: the Arabic link of the language switcher.
      await page.goto(credentialLink);
      await page.locator('header nav a[hreflang="ar"]').click();
      await page.waitForURL(/lang=ar/);
      const doc = await page.evaluate(() => ({
        dir: document.documentElement.dir,
        lang: document.documentElement.lang,
        direction: getComputedStyle(document.body).direction,
      }));
      expect(doc.dir === 'rtl', `<html dir> is ${JSON.stringify(doc.dir)}`);
      expect(doc.lang === 'ar', `<html lang> is ${JSON.stringify(doc.lang)}`);
      expect(doc.direction === 'rtl', `the body's computed direction is ${doc.direction}`);
      const r = await expectVerdict(page, 'verified');
      expect(r.heading !== '' && !r.heading.includes(ENGLISH_VERIFIED), `the verdict is not in Arabic: ${r.heading}`);
      expect(/[\u0600-\u06FF]/.test(r.heading), `the verdict has no Arabic script: ${r.heading}`);
      expect(r.summary.includes(LEARNER), `#summary does not name ${LEARNER}`);
      // The credential was issued in English: its achievement name stays English, marked as such.
      const english = await page.locator('#summary [lang="en"]').allInnerTexts();
      expect(english.includes('First Aid'), `the achievement name is not marked lang=en: ${JSON.stringify(english)}`);
      const links = await page.locator('header nav ul li a[hreflang]').evaluateAll((as) =>
        as.map((a) => ({ hreflang: a.hreflang, current: a.getAttribute('aria-current') })),
      );
      expect(links.length === 6, `the language switcher has ${links.length} links, not 6`);
      const current = links.filter((l) => l.current === 'true').map((l) => l.hreflang);
      expect(current.length === 1 && current[0] === 'ar', `aria-current marks ${JSON.stringify(current)}, not ar`);
      return `rtl; verdict "${r.heading}"`;
    });

    await scenario('arabic-bidi', context, input, async (page) => {
      // Left-to-right text in the Arabic page (the English credential texts, the check messages)
      // must be laid out left to right, or its punctuation and numbers move to the wrong end:
      // "Can give first aid." shows as ".Can give first aid".
      await page.goto(`${credentialLink}&lang=ar`);
      await expectVerdict(page, 'verified');
      const texts = await page.locator('#result [lang]').evaluateAll((els) =>
        els.map((el) => ({
          lang: el.lang,
          text: el.textContent.trim(),
          direction: getComputedStyle(el).direction,
        })),
      );
      const rtlLanguages = ['ar', 'he', 'fa', 'ur'];
      const ltr = texts.filter((t) => !rtlLanguages.includes(t.lang.split('-')[0]));
      expect(ltr.length > 0, 'no text marked with another language in the Arabic result');
      const wrong = ltr.filter((t) => t.direction !== 'ltr');
      expect(
        wrong.length === 0,
        `${wrong.length} of ${ltr.length} texts in a left-to-right language are laid out right to left: ${wrong
          .map((t) => `lang=${t.lang} ${JSON.stringify(t.text)}`)
          .join(', ')}`,
      );
      return `${ltr.length} left-to-right texts, all laid out left to right`;
    });

    await scenario('keyboard', context, input, async (page) => {
      await page.goto(`${base}/verify`);
      const stops = await tabStops(page, 40);
      const keys = stops.map((s) => s.key);
      const trail = keys.join(' → ');
      expect(stops[0]?.tag === 'a' && stops[0].cls.split(' ').includes('skip'), `the first Tab stop is not the skip link: ${trail}`);
      expect(stops[0].onScreen, 'the skip link is focused but not shown on screen');
      const wanted = await page.evaluate(() =>
        Array.from(document.querySelectorAll('#credential-url, #file, #photo, #paste, button[type=submit]'), (el) =>
          el.tagName === 'BUTTON' ? `submit@${el.form?.id ?? ''}` : `#${el.id}`,
        ),
      );
      const reached = keys.filter((k) => wanted.includes(k));
      expect(
        JSON.stringify(reached) === JSON.stringify(wanted),
        `controls reached in the order ${reached.join(', ')}; expected ${wanted.join(', ')} (stops: ${trail})`,
      );
      const url = stops.find((s) => s.key === '#credential-url');
      expect(url?.visibleFocus, `#credential-url shows no focus outline (${url?.outline})`);
      const invisible = stops.filter((s) => !s.visibleFocus).map((s) => `${s.key} (${s.outline})`);
      expect(invisible.length === 0, `no visible focus outline on: ${invisible.join(', ')}`);
      // Keyboard only: type the credential's link and press Enter.
      await page.focus('#credential-url');
      await page.keyboard.type(input.credentialJson);
      await page.keyboard.press('Enter');
      await page.waitForURL(/credential=/);
      await expectVerdict(page, 'verified');
      return `${stops.length} stops: ${trail}; Enter verified`;
    });

    await scenario('not-verified', context, input, async (page) => {
      if (tamperedText instanceof Error) throw tamperedText;
      await pasteAndSubmit(page, input, tamperedText);
      const r = await expectVerdict(page, 'not-verified');
      const proof = r.checks.filter((c) => c.check === 'proof' && c.status === 'invalid');
      expect(proof.length > 0, `no invalid proof check: ${describe(r)}`);
      return `not-verified; ${proof.map((c) => c.text).join('; ')}`;
    });

    const noScript = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
    await scenario('no-javascript', noScript, input, async (page) => {
      await page.goto(credentialLink);
      const r = await expectVerdict(page, 'verified');
      expect(r.summary.includes(LEARNER), `#summary does not name ${LEARNER}`);
      return 'verified without JavaScript';
    });
    await noScript.close();

    await audit('form-en', context, input, (page) => page.goto(`${base}/verify?lang=en`));
    await audit('verified-en', context, input, async (page) => {
      await page.goto(`${credentialLink}&lang=en`);
      await expectVerdict(page, 'verified');
    });
    await audit('verified-ar', context, input, async (page) => {
      await page.goto(`${credentialLink}&lang=ar`);
      await expectVerdict(page, 'verified');
    });
    await audit('not-verified-en', context, input, async (page) => {
      if (tamperedText instanceof Error) throw tamperedText;
      await pasteAndSubmit(page, input, tamperedText);
      await expectVerdict(page, 'not-verified');
    });
    await context.close();
  } finally {
    await browser.close();
  }
}

const deadline = setTimeout(() => {
  print({ error: `page-check did not finish within ${DEADLINE_MS / 1000} s` });
  process.exit(3);
}, DEADLINE_MS);
deadline.unref();

main().then(
  () => print(),
  (error) => {
    print({ error: `${error.name}: ${error.message}` });
    process.exitCode = 2;
  },
);
