// Every example in the documentation runs: the fenced ```js blocks (and ```html
// pages) of README.md, pkg-template/README.md and docs/*.md are executed in
// Chromium against the emulator, on tests/e2e/pages/docs.html (which provides
// the placeholders `myApp`, `logoutButton`, `logoutLink`, a ready `client`,
// and `createClient`/`SdkError`/`load` for snippets that do not import them).
//
// Before running, a block is rewritten for the test world: imports of
// `schacc-sdk` → /pkg/index.js, `https://login.schacc.example` → the emulator,
// `https://id.news.example` → the emulator's session service (the pages' own
// site: http://127.0.0.1:S, see startWorld in harness.mjs), `abc123` → the
// registered client id, `https://news.example/` → a registered redirect URI; in
// html, `/js/schacc-sdk/` → /pkg/ and 2.x's `server: 'login.schacc.example'` →
// the emulator's host with `https: false`.
//
// The fence's info string (not shown by Markdown renderers) says more:
//   ```js no-run                      not runnable on purpose (counted, reported)
//   ```js expect=session-gone         afterwards SchAcc has no session
//   ```js expect=session-kept         afterwards the SchAcc session is still there
//   ```js expect=token-revoked        afterwards myApp.oauthToken is revoked
//   ```js expect=no-redirect          the page never left (no redirect flow)
//   ```js third-party-cookies=blocked runs in a Chromium that blocks third-party
//                                     cookies (by default they are allowed)
// Each block starts on a fresh page with a SchAcc session (user 1001) and an
// access token in `myApp.oauthToken`. After a js block has run, a handler it
// assigned to `logoutButton.onclick` is called (and awaited), or else a
// `logoutLink` whose href it set is clicked; in an html block, the first
// element with an onclick calling SPiD.logout is clicked. A block must not
// throw, log an error or end on a page other than the registered redirect URI.
// ```sh, ```json and other blocks are not executed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_ID, launch, root, startWorld } from './harness.mjs';

const JS = new Set(['js', 'javascript', 'mjs']);
const RUNNABLE = new Set([...JS, 'html']);
const KNOWN_ATTRIBUTES = new Set(['no-run', 'expect=session-gone', 'expect=session-kept', 'expect=token-revoked',
  'expect=no-redirect', 'third-party-cookies=blocked']);

const files = ['README.md', 'pkg-template/README.md',
  ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** The fenced blocks of a Markdown file: { file, line, lang, attributes, code }. */
function fencedBlocks(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/);
    if (!open) continue;
    const [, fence, lang, rest] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) body.push(lines[j++]);
    const attributes = rest.split(/\s+/).filter(Boolean).flatMap((a) => (a.startsWith('expect=')
      ? a.slice('expect='.length).split(',').map((e) => `expect=${e}`) : [a]));
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), attributes, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

const blocks = files.flatMap(fencedBlocks);
const runnable = blocks.filter((b) => RUNNABLE.has(b.lang) && !b.attributes.includes('no-run'));
const notRun = blocks.filter((b) => RUNNABLE.has(b.lang) && b.attributes.includes('no-run'));

describe('documentation examples run against the emulator', () => {
  let world;
  let browser;
  let blockingBrowser = null;
  let host;
  let docsPage;
  let docsHtmlPage;

  before(async () => {
    world = await startWorld({ sessionService: true });
    browser = await launch({ thirdPartyCookies: 'allow' });
    host = new URL(world.emulator.url).host;
    docsPage = `${world.pages.origin}/tests/e2e/pages/docs.html`;
    docsHtmlPage = `${world.pages.origin}/tests/e2e/pages/docs-html.html`;
  });
  after(async () => {
    await browser?.close();
    await blockingBrowser?.close();
    await world?.stop();
  });

  test('every js/html block is either run or marked no-run, with known attributes only', (t) => {
    for (const block of blocks.filter((b) => RUNNABLE.has(b.lang))) {
      for (const attribute of block.attributes) {
        assert.ok(KNOWN_ATTRIBUTES.has(attribute), `${block.file}:${block.line}: unknown fence attribute "${attribute}"`);
      }
    }
    assert.ok(runnable.filter((b) => b.file === 'README.md').length >= 8, 'README.md has its runnable examples');
    t.diagnostic(`${runnable.length} examples run, ${notRun.length} marked no-run: ${notRun.map((b) => `${b.file}:${b.line}`).join(', ')}`);
    console.log(`docs: ${runnable.length} examples run, ${notRun.length} marked no-run (${notRun.map((b) => `${b.file}:${b.line}`).join(', ')})`);
  });

  const rewrite = (code) => code
    .replace(/(\bfrom\s+|\bimport\s*\(\s*)(['"])schacc-sdk\2/g, "$1'/pkg/index.js'")
    .replaceAll('https://login.schacc.example', world.emulator.url)
    .replaceAll('https://id.news.example', world.sessionUrl)
    .replaceAll('abc123', CLIENT_ID)
    .replaceAll('https://news.example/', world.landingPage)
    .replaceAll('/js/schacc-sdk/', '/pkg/')
    .replaceAll("server: 'login.schacc.example'", `server: '${host}', https: false`);

  const navigatedAway = (error) => /Execution context was destroyed|navigation|Target closed|frame was detached/i.test(String(error));
  // Records in the page where it started to navigate to (the Navigation API's navigate event fires
  // synchronously in location.assign), so the test knows a redirect flow began even before it commits.
  const watchNavigation = (page) => page.evaluate(() => navigation.addEventListener('navigate', (event) => {
    window.navigatingTo = event.destination.url;
  }));

  for (const [index, block] of runnable.entries()) {
    test(`${block.file}:${block.line} (\`\`\`${block.lang}${block.attributes.length ? ' ' + block.attributes.join(' ') : ''})`, async () => {
      const blocking = block.attributes.includes('third-party-cookies=blocked');
      if (blocking) blockingBrowser ??= await launch({ thirdPartyCookies: 'block' });
      const context = blocking ? blockingBrowser : browser;
      await world.emulator.reset();
      await context.clearCookies();
      const { access_token: token } = await world.emulator.token();
      const page = await context.newPage();
      const problems = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      try {
        const url = `${world.pages.origin}/__docs__/${index}.${block.lang === 'html' ? 'html' : 'mjs'}`;
        const source = rewrite(block.code);
        if (block.lang !== 'html') await page.route(url, (route) => route.fulfill({
          status: 200,
          contentType: block.lang === 'html' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
          body: source,
        }));

        if (block.lang === 'html') {
          // Written into a page this server really served: a page fulfilled by the test
          // would not count as the loopback address space and could not call SchAcc.
          await page.goto(world.emulator.loginUrl(docsHtmlPage));
          await page.evaluate((html) => window.writeExample(html), source);
          await page.waitForFunction(() => window.SPiD);
          await watchNavigation(page);
          const logout = await page.$('[onclick*="SPiD.logout"]');
          if (logout) await logout.click();
        } else {
          await page.goto(world.emulator.loginUrl(docsPage));
          await page.waitForFunction(() => window.docsReady === true);
          await page.evaluate(async ({ token, options }) => {
            window.oauthToken = token;
            await window.prepare(options);
          }, { token, options: { clientId: CLIENT_ID, server: world.emulator.url, redirectUri: world.landingPage } });
          await watchNavigation(page);
          let away = false;
          await page.evaluate((url) => import(url).then(() => undefined), url).catch((error) => {
            if (!navigatedAway(error)) throw error;
            away = true;
          });
          if (!away && page.url().startsWith(docsPage)) {
            const handler = await page.evaluate(() => (typeof logoutButton.onclick === 'function' ? 'button'
              : logoutLink.getAttribute('href') !== '#' ? 'link' : null));
            if (handler === 'button') {
              await page.evaluate(() => Promise.resolve(logoutButton.onclick(new MouseEvent('click'))).then(() => undefined))
                .catch((error) => {
                  if (!navigatedAway(error)) throw error;
                });
            } else if (handler === 'link') {
              await page.click('#logoutLink');
            }
          }
        }
        // A redirect flow ends on the registered redirect URI; give it the time to get there. A
        // navigation that has begun but not yet committed still shows the old URL: the page's own
        // record tells (and closing a page in mid-navigation can hang).
        const home = (where) => where.startsWith(docsPage) || where.startsWith(docsHtmlPage);
        const leaving = !home(page.url()) || await page.evaluate(() => window.navigatingTo !== undefined).catch((error) => {
          if (!navigatedAway(error)) throw error;
          return true;
        });
        if (leaving) await page.waitForURL(world.landingPage, { timeout: 10_000 });
        else await page.waitForLoadState('load');

        const expects = (what) => block.attributes.includes(`expect=${what}`);
        if (expects('session-gone')) {
          const deadline = Date.now() + 5000;
          while ((await world.emulator.state()).sessions.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
          assert.deepEqual((await world.emulator.state()).sessions, [], 'the SchAcc session is gone');
        }
        if (expects('session-kept')) assert.equal((await world.emulator.state()).sessions.length, 1, 'the SchAcc session is still there');
        if (expects('token-revoked')) assert.equal((await world.emulator.me(token)).status, 401, 'the token is revoked');
        const where = page.url();
        assert.ok(home(where) || where === world.landingPage, `ended on ${where}`);
        if (expects('no-redirect')) {
          assert.ok(home(where), `no redirect: ended on ${where}`);
          const redirects = (await world.emulator.state()).requests.filter((r) => r.path === '/logout');
          assert.deepEqual(redirects, [], 'no /logout navigation');
        }
        assert.deepEqual(problems, [], 'no error was logged');
      } finally {
        await page.close();
      }
    });
  }
});
