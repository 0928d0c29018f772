// The wall panel in a real (Debian) Chromium: unlock, start, infusion, live phase change,
// assist, reminder acknowledgement, wrong PIN. Each test gets a fresh server (fresh room).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const server = process.env.HAVEN_PANEL_SERVER;
const www = process.env.HAVEN_PANEL_WWW;
const shots = process.env.HAVEN_SCREENSHOT_DIR;
let browser;

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(server, [www], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/PORT (\d+)/);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function withPage(fn) {
  const { child, url } = await startServer();
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  try {
    await page.goto(url);
    await fn(page, url);
  } finally {
    await context.close();
    child.kill('SIGTERM');
  }
}

async function unlock(page, pin) {
  for (const digit of pin) await page.click(`#keypad button[data-key="${digit}"]`);
  await page.click('#keypad button[data-key="✓"]');
}

before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
});
after(async () => { await browser?.close(); });

test('a wrong PIN is refused and the panel stays locked', () => withPage(async (page) => {
  await unlock(page, '1111');
  await page.waitForSelector('#unlock-error:has-text("wrong PIN")');
  assert.ok(await page.isVisible('#unlock'));
  assert.ok(await page.isHidden('#templates button'));
}));

test('unlock, start, infusion start, live phase change, assist, reminder ack', () => withPage(async (page) => {
  await unlock(page, '2468');
  await page.waitForSelector('#unlock', { state: 'hidden' });
  await page.click('#templates button[data-template="iv-ketamine"]');
  await page.waitForSelector('#phase:has-text("arrival")');

  await page.click('#infusion-start');
  // The phase change arrives over the WebSocket push, not a page reload.
  await page.waitForSelector('#phase:has-text("onset")');
  await page.waitForSelector('#infusion-state:has-text("running")');
  assert.ok(await page.isVisible('#infusion-pause'));

  await page.click('#assist');
  await page.waitForSelector('#assist.on');
  assert.match(await page.textContent('#assist'), /Assist on/);

  // The demo room makes the blood-pressure reminder due 2 s after the infusion starts.
  await page.waitForSelector('#reminder-banner:not(.hidden)');
  assert.match(await page.textContent('#reminder-text'), /Blood pressure/);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/therapist.png` });
  }
  await page.click('#ack');
  await page.waitForSelector('#reminder-banner.hidden', { state: 'attached' });
}));

test('ending asks for confirmation and shows why the room refuses', () => withPage(async (page) => {
  await unlock(page, '2468');
  await page.click('#templates button[data-template="iv-ketamine"]');
  await page.waitForSelector('#phase:has-text("arrival")');
  await page.click('#end');
  await page.waitForSelector('#confirm:not(.hidden)');
  assert.match(await page.textContent('#confirm-detail'), /Minimum observation/);
  await page.click('#confirm-yes');
  await page.waitForSelector('#toast:has-text("minimum observation not yet complete")');
  assert.ok(await page.isVisible('#session'));
}));

test('the tech page shows lights and sets a test level', () => withPage(async (page, url) => {
  await page.goto(`${url}/tech`);
  await unlock(page, '97531');
  await page.waitForSelector('#lights td:has-text("ceiling")');
  await page.selectOption('#light-id', 'ceiling');
  await page.fill('#light-level', '15');
  await page.click('#light-test button');
  await page.waitForSelector('#toast:has-text("Sent")');
  await page.waitForSelector('#lights td:has-text("15%")');
  // The journal's sessions are listed; a tap picks one for the report download.
  await page.click('#sessions tr[data-session="s1"]');
  assert.equal(await page.inputValue('#report-id'), 's1');
  assert.match(await page.textContent('#sessions tr[data-session="s1"]'), /iv-ketamine.*ended/);
}));

test('the timeline shows reminders before they fall due, and counts down to the next', () => withPage(async (page) => {
  await unlock(page, '2468');
  await page.click('#templates button[data-template="iv-ketamine"]');
  await page.waitForSelector('#phase:has-text("arrival")');
  assert.equal(await page.locator('#timeline .tick').count(), 0, 'no reminder is scheduled before the infusion');
  await page.click('#infusion-start');
  // The demo's first check is 2 s after the infusion start: upcoming first, then due.
  await page.waitForSelector('#timeline .tick.upcoming', { state: 'attached' });
  assert.match(await page.textContent('#next-reminder'), /Blood pressure in 0:0\d/);
  await page.waitForSelector('#reminder-banner:not(.hidden)');
  await page.waitForSelector('#timeline .tick.due', { state: 'attached' });
  assert.match(await page.textContent('#next-reminder'), /Blood pressure — due/);
  // Acknowledged, its tick stays on the arc; the next one (15 min on) is upcoming.
  await page.click('#ack');
  await page.waitForSelector('#next-reminder:has-text("Blood pressure in 15:")');
  assert.equal(await page.locator('#timeline .tick.due').count(), 1);
}));

test('tech: button status, test tone accepted when idle and refused with the reason in a session', () => withPage(async (page, url) => {
  await page.goto(`${url}/tech`);
  await unlock(page, '97531');
  await page.waitForSelector('#buttons tr[data-button="therapist"] td:has-text("online")');
  assert.match(await page.textContent('#buttons tr[data-button="therapist"]'), /zigbee2mqtt.*online.*\d+ s ago/);
  assert.match(await page.textContent('#buttons tr[data-button="bedside"]'), /offline.*never/);
  assert.ok(await page.isVisible('#buttons tr[data-button="bedside"] td.bad'), 'an offline button is marked');
  assert.match(await page.textContent('#buttons tr[data-button="script"]'), /not reported/);

  await page.click('#tone');
  await page.waitForSelector('#toast:has-text("Test tone playing")');
  await page.waitForSelector('#audio-table td:has-text("test_tone")');
  await page.click('#tone');
  await page.waitForSelector('#toast:has-text("already playing")');

  // A session starts (as from the therapist page): the tone and the light test now say why not.
  const started = await page.evaluate(async () => (await fetch('/api/command/start', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ template: 'iv-ketamine' }) })).status);
  assert.equal(started, 200);
  await page.click('#tone');
  await page.waitForSelector('#toast:has-text("No test tone: a session is running")');
  await page.selectOption('#light-id', 'ceiling');
  await page.click('#light-test button');
  await page.waitForSelector('#toast:has-text("Not sent: a session is running")');
}));
