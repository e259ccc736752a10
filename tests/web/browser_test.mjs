// Browser tests of the web pages: a real c1tallyd (demo tree, an OCR worker
// beside it, every field sent to people) driven through Debian's Chromium
// by Playwright.
//
//   1. A citizen-uploader signs in on /unggah, finds a TPS by kelurahan
//      name, uploads the real 2024 photos of pages 2 and 3, and sees the
//      upload progress and the machine's reading.
//   2. Two volunteers on /periksa type every cell with the keyboard only
//      (digits, Enter, x for blank/crossed-out); where they differ a third
//      volunteer types, and a moderator settles the disputed cell with a
//      reason in the moderator view.
//   3. The uploader uploads a photo of a DPR sheet, saying which race it is;
//      two volunteers each pick race and sheet (a party) and type that
//      party's numbers, labelled with the ballot's candidates; the photo
//      settles with their numbers.
//   4. A citizen searches the TPS by its code and sees its photos, the
//      numbers with their crops and who vouched for them, on a 360 px
//      wide screen; the kelurahan page lists the TPS; bad input is refused.
//
// Usage: node browser_test.mjs --bin BUILD/bin --shared ../shared/data
//                              --out ARTIFACTS_DIR
// Screenshots of every step go to ARTIFACTS_DIR. Exits non-zero on failure.
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const bin = path.resolve(args.bin);
const shared = path.resolve(args.shared);
const out = path.resolve(args.out);
fs.mkdirSync(out, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'c1tally-web-'));
const data = path.join(work, 'db');
const photos = path.join(shared, 'forms/photos/2024');

// Two demo TPS; the same sheet photographed twice gives both a page 2.
const TRUTH = {
  2: { suara_paslon_1: 123, suara_paslon_2: 274, suara_paslon_3: 32 },
  3: { suara_sah: 427, suara_tidak_sah: 3, suara_total: 430 },
};
// The review page names fields by the form kind's labels.
const FIELD_OF_LABEL = {
  'Suara paslon 01': 'suara_paslon_1', 'Suara paslon 02': 'suara_paslon_2',
  'Suara paslon 03': 'suara_paslon_3', 'Jumlah suara sah': 'suara_sah',
  'Jumlah suara tidak sah': 'suara_tidak_sah',
  'Jumlah suara sah dan tidak sah': 'suara_total',
};
const USERS = {
  warga: 'uploader', relawan1: 'volunteer', relawan2: 'volunteer',
  relawan3: 'volunteer', moderator: 'moderator',
};
const password = (name) => `sandi-${name}-2024`;

let server;
let browser;

function step(text) { console.log(`browser_test: ${text}`); }

function createUsers() {
  for (const [name, roles] of Object.entries(USERS)) {
    const made = spawnSync(path.join(bin, 'c1ctl'),
        ['users', 'create', name, `--data=${data}`, `--roles=${roles}`],
        { env: { ...process.env, C1TALLY_PASSWORD: password(name) }, encoding: 'utf8' });
    assert.equal(made.status, 0, `creating ${name}: ${made.stderr}`);
  }
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(path.join(bin, 'c1tallyd'), [
      `--data=${data}`, '--demo', '--demo_scale=0.002', '--grpc=127.0.0.1:0',
      '--http=127.0.0.1:0', '--services=tally,audit,ingest,http,ocr',
      '--review_every_field', '--http_snapshot_interval=200ms',
      // Every browser here is one IP, and types faster than a person.
      '--http_requests_per_ip=0', '--http_requests_per_user=100',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`c1tallyd did not start: ${log}`)), 60000);
    const listen = (chunk) => {
      log += chunk;
      const port = /HTTP on port (\d+)/.exec(log);
      if (port) { clearTimeout(timer); resolve(`http://127.0.0.1:${port[1]}`); }
    };
    server.stdout.on('data', listen);
    server.stderr.on('data', (chunk) => { log += chunk; process.stderr.write(chunk); });
    server.on('exit', (code) => reject(new Error(`c1tallyd exited ${code}: ${log}`)));
  });
}

async function json(base, url) {
  const response = await fetch(base + url);
  assert.equal(response.status, 200, url);
  return response.json();
}

// The first kelurahan of the demo tree with at least two TPS.
async function pickKelurahan(base) {
  let code = '';
  for (let depth = 0; depth < 4; depth++) {
    const region = await json(base, `/api/v1/regions/${code || '0'}`);
    code = region.children[0].code;
  }
  const kelurahan = await json(base, `/api/v1/regions/${code}`);
  assert.ok(kelurahan.tps.length >= 2, 'a kelurahan with two TPS');
  return {
    code, name: kelurahan.region.name, kecamatan: kelurahan.ancestors[3].name,
    tps: kelurahan.tps.slice(0, 2).map((t) => t.code),
  };
}

async function newPage(viewport = { width: 1000, height: 900 }) {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}

async function signIn(page, base, pathName, name) {
  await page.goto(base + pathName);
  await page.fill('input[name=user]', name);
  await page.fill('input[name=password]', password(name));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#work:not(.hidden)');
}

async function uploadAll(base, kelurahan) {
  const page = await newPage({ width: 360, height: 800 });
  await signIn(page, base, '/unggah', 'warga');
  const plan = [
    [kelurahan.tps[0], 'ppwp-page2-a.jpg'], [kelurahan.tps[0], 'ppwp-page3-a.jpg'],
    [kelurahan.tps[1], 'ppwp-page2-b.jpg'], [kelurahan.tps[1], 'ppwp-page3-a.jpg'],
  ];
  for (const [index, [tps, file]] of plan.entries()) {
    if (index === 0) {
      // Find the TPS by the kelurahan's name, then pick it from the list.
      await page.fill('#place', `${kelurahan.name} ${kelurahan.kecamatan}`);
      await page.getByRole('button', { name: `${kelurahan.name}, ${kelurahan.kecamatan}`, exact: false }).first().click();
      await page.getByRole('button', { name: new RegExp(tps) }).click();
      assert.equal(await page.inputValue('#tps'), tps);
    } else {
      await page.fill('#tps', tps);
    }
    await page.setInputFiles('#photo', path.join(photos, file));
    await page.click('#upload button');
    await page.waitForFunction(() => /Terunggah|Gagal/.test(document.getElementById('upload-message').textContent));
    assert.match(await page.textContent('#upload-message'), /Terunggah/);
    assert.equal(await page.getAttribute('#progress', 'value'), '100');
    // The machine reads it; every field then waits for people.
    await page.waitForFunction(() => /menunggu relawan/.test(document.getElementById('result-state').textContent),
        null, { timeout: 60000 });
    await page.screenshot({ path: path.join(out, `upload-${index + 1}.png`), fullPage: true });
  }
  // A non-digit TPS code is refused in the page, before any upload.
  await page.fill('#tps', '31ab');
  await page.click('#upload button');
  assert.match(await page.textContent('#upload-message'), /13 angka/);
  step('uploads: 4 photos read, waiting for volunteers');
  await page.context().close();
}

// Types every task offered to `name`: the truth, except `typo` (a function
// of the task label and the field) which may return another number.
async function review(base, name, typo = () => null) {
  const page = await newPage();
  await signIn(page, base, '/periksa', name);
  let typed = 0;
  for (;;) {
    await page.waitForFunction(() => /Halaman|Belum ada tugas/.test(document.getElementById('task-label').textContent));
    const label = await page.textContent('#task-label');
    if (/Belum ada tugas/.test(label)) break;
    const [, pageNumber, fieldLabel] = /Halaman (\d) · (.+) · TPS/.exec(label);
    const field = FIELD_OF_LABEL[fieldLabel];
    assert.ok(field, `a known field: ${fieldLabel}`);
    const value = typo(label, field) ?? TRUTH[pageNumber][field];
    // Keyboard only: a stray letter first (refused), then the number.
    await page.keyboard.press('a');
    assert.match(await page.textContent('#task-message'), /bukan angka/);
    if (value === 0) {
      await page.keyboard.press('x');
    } else {
      await page.keyboard.type(String(value));
      if (typed === 0) {
        // The whole page is shown beside the crop, as context.
        await page.waitForFunction(() => {
          const image = document.getElementById('context-image');
          return image.complete && image.naturalWidth > 0;
        });
        await page.screenshot({ path: path.join(out, `review-${name}.png`), fullPage: true });
      }
      await page.keyboard.press('Enter');
    }
    await page.waitForFunction((old) => document.getElementById('task-label').textContent !== old, label);
    typed++;
  }
  await page.context().close();
  step(`${name} typed ${typed} cells`);
  return typed;
}

async function moderate(base) {
  const page = await newPage();
  await signIn(page, base, '/periksa', 'moderator');
  await page.click('#load-disputed');
  const form = page.locator('#disputed form').first();
  await form.waitFor();
  await page.screenshot({ path: path.join(out, 'moderator.png'), fullPage: true });
  await form.locator('input.entry').fill('430');
  await form.locator('input[placeholder^=Alasan]').fill('angka 430 jelas di foto');
  await form.locator('input[placeholder^=Alasan]').press('Enter');
  await form.waitFor({ state: 'detached' });
  step('moderator resolved the disputed cell');
  await page.context().close();
}

// The uploader sends a photo of a DPR sheet for `tps`, saying so.
async function uploadDpr(base, tps) {
  const page = await newPage({ width: 360, height: 800 });
  await signIn(page, base, '/unggah', 'warga');
  await page.fill('#tps', tps);
  await page.selectOption('#race', 'pdpr');
  await page.setInputFiles('#photo', path.join(photos, 'ppwp-page1-blank-a.jpg'));
  await page.click('#upload button');
  await page.waitForFunction(() => /dua relawan/.test(document.getElementById('result-state').textContent),
      null, { timeout: 30000 });
  await page.screenshot({ path: path.join(out, 'upload-dpr.png'), fullPage: true });
  const id = await page.evaluate(async () => {
    const listed = await (await fetch('/api/v1/submissions')).json();
    return listed.submissions.find((s) => s.form_kind === 'pdpr').name.replace(/^submissions\//, '');
  });
  step('uploads: a DPR sheet waiting for two volunteers');
  return { page, id };
}

// `name` types the first party's DPR sheet with the keyboard only: party
// votes 5, each candidate 1..n, the total; returns the labels shown.
async function reviewSheet(base, name) {
  const page = await newPage();
  await signIn(page, base, '/periksa', name);
  await page.waitForFunction(() => /Foto utuh/.test(document.getElementById('task-label').textContent));
  assert.match(await page.textContent('#task-label'), /DPR/);
  // The race list starts at the uploader's choice; the sheet list at page 1.
  assert.equal(await page.inputValue('#race-pick'), 'pdpr');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  const sheet = await page.evaluate(() => {
    const pick = document.getElementById('sheet-choice');
    return pick.options[pick.selectedIndex].textContent;
  });
  assert.match(sheet, /^1\. PKB$/);
  await page.keyboard.press('Enter');
  const labels = await page.$$eval('#page-fields label', (all) => all.map((l) => l.textContent.trim()));
  assert.match(labels[0], /PKB: suara partai/);
  assert.match(labels[labels.length - 1], /PKB: jumlah suara/);
  const candidates = labels.length - 2;
  assert.ok(candidates >= 3, `candidates listed: ${labels.join(' | ')}`);
  assert.match(labels[1], /^PKB 1\. [A-Z]+ [A-Z]+$/);
  await page.screenshot({ path: path.join(out, `review-dpr-${name}.png`), fullPage: true });
  let total = 5;
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  for (let i = 1; i <= candidates; i++) {
    await page.keyboard.type(String(i));
    await page.keyboard.press('Enter');
    total += i;
  }
  await page.keyboard.type(String(total));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Terkirim/.test(document.getElementById('task-message').textContent));
  await page.context().close();
  step(`${name} typed PKB's DPR sheet (${candidates} candidates)`);
  return { candidates, total };
}

async function citizen(base, kelurahan) {
  const page = await newPage({ width: 360, height: 740 });
  await page.goto(base + '/');
  await page.screenshot({ path: path.join(out, 'national-360.png'), fullPage: true });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 360, `national page fits 360 px (scrollWidth ${scrollWidth})`);
  const [tps] = kelurahan.tps;
  await page.fill('input[name=q]', tps);
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/tps/${tps}`);
  const text = await page.textContent('main');
  for (const value of ['123', '274', '32', '427', '430']) assert.ok(text.includes(value), `TPS page shows ${value}`);
  assert.match(text, /dua relawan/);
  assert.match(text, /moderator/);
  assert.match(text, /angka 430 jelas di foto/);
  const photoCount = await page.locator('img.photo').count();
  assert.equal(photoCount, 2, 'both photos shown');
  const crops = page.locator('img.crop');
  assert.equal(await crops.count(), 6, 'a crop beside each number');
  const loaded = await page.evaluate(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0));
  assert.ok(loaded, 'every photo and crop loads');
  await page.screenshot({ path: path.join(out, 'tps-360.png'), fullPage: true });

  // The kelurahan lists both TPS with their votes; a click sorts by 01.
  await page.goto(`${base}/wilayah/${kelurahan.code}`);
  await page.getByRole('button', { name: 'Paslon 01' }).click();
  assert.equal(await page.getAttribute('table.sortable th:nth-child(2)', 'aria-sort'), 'ascending');
  assert.match(await page.textContent('main'), /123/);
  await page.screenshot({ path: path.join(out, 'kelurahan-360.png'), fullPage: true });

  // A wrong TPS code and a search with markup: clear answers, escaped.
  const missing = await page.goto(`${base}/tps/3101019999999`);
  assert.equal(missing.status(), 404);
  await page.goto(`${base}/cari?q=${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.equal(await page.locator('main script').count(), 0);
  assert.match(await page.textContent('main h1'), /<script>/);
  step('citizen saw the TPS, its photos, numbers and provenance');
  await page.context().close();
}

async function main() {
  createUsers();
  const base = await startServer();
  step(`server at ${base}`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const kelurahan = await pickKelurahan(base);
  await uploadAll(base, kelurahan);
  // relawan1 and relawan2 differ on TPS A's suara_total; relawan3 differs
  // from both, so it goes to the moderator.
  const isDisputed = (label, field) => label.includes(kelurahan.tps[0]) && field === 'suara_total';
  assert.ok(await review(base, 'relawan1', (l, f) => (isDisputed(l, f) ? 431 : null)) >= 10);
  assert.ok(await review(base, 'relawan2', (l, f) => (isDisputed(l, f) ? 432 : null)) >= 10);
  assert.equal(await review(base, 'relawan3', (l, f) => (isDisputed(l, f) ? 433 : null)), 1);
  await moderate(base);
  // Both TPS are published: the numbers as typed, through the pages.
  for (const tps of kelurahan.tps) {
    // The demo has results of the other races too; the photos were ppwp's.
    const result = (await json(base, `/api/v1/tps/${tps}`)).tps.results
        .find((r) => r.form_kind === 'ppwp');
    assert.equal(result.values.suara_paslon_1, '123');
    assert.equal(result.values.suara_total, '430');
  }
  // A DPR party sheet, typed whole by two volunteers.
  const dpr = await uploadDpr(base, kelurahan.tps[0]);
  const first = await reviewSheet(base, 'relawan1');
  const second = await reviewSheet(base, 'relawan2');
  assert.deepEqual(first, second);
  const settled = await dpr.page.evaluate(async (id) =>
    (await fetch(`/api/v1/submissions/${encodeURIComponent(id)}`)).json(), dpr.id);
  assert.equal(settled.state, 'STATE_SETTLED');
  assert.equal(settled.settled_form_kind, 'pdpr');
  assert.equal(settled.settled_values.suara_partai_1, '5');
  assert.equal(settled.settled_values.suara_total_partai_1, String(first.total));
  assert.equal(Object.keys(settled.settled_values).length, first.candidates + 2);
  assert.ok(Object.values(settled.settled_by).every((by) => by === 'people'));
  // The DPR page of the TPS shows the sheet's photo; the presidential one
  // does not (citizen() below counts its two photos).
  const dprPage = await newPage();
  await dprPage.goto(`${base}/tps/${kelurahan.tps[0]}?form_kind=pdpr`);
  assert.equal(await dprPage.locator('img.photo').count(), 1, 'the DPR sheet on the DPR page');
  await dprPage.context().close();
  await dpr.page.context().close();
  step('the DPR sheet settled with both volunteers\' numbers');
  await citizen(base, kelurahan);
}

main().then(() => {
  step('PASS');
}, (error) => {
  console.error(error);
  process.exitCode = 1;
}).finally(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
});
