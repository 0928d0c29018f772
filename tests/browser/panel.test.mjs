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

// Starting asks to confirm the template by name: a mis-tapped one would run the wrong
// timeline for the whole session.
async function startSession(page, id = 'iv-ketamine', name = 'IV ketamine') {
  await page.click(`#templates button[data-template="${id}"]`);
  await page.waitForSelector('#confirm:not(.hidden)');
  assert.match(await page.textContent('#confirm-text'), new RegExp(name));
  await page.click('#confirm-yes');
  await page.waitForSelector('#phase:has-text("arrival")');
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
  await startSession(page);

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

test('assist: one tap raises; a quick tap never clears; long press or confirmation does', () => withPage(async (page) => {
  await unlock(page, '2468');
  await startSession(page);
  await page.click('#assist');
  await page.waitForSelector('#assist.on');
  assert.match(await page.textContent('#assist'), /Assist on · hold to clear/);
  // A double tap: the second lands on the raised button and only asks.
  await page.click('#assist');
  await page.waitForSelector('#confirm:not(.hidden)');
  assert.match(await page.textContent('#confirm-text'), /Clear assist/);
  await page.click('#confirm-no');
  assert.ok(await page.isVisible('#assist.on'), 'a quick tap must not clear assist');
  // A press released before the hold time is still only a tap.
  const box = await page.locator('#assist').boundingBox();
  const press = async (ms) => {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForTimeout(ms);
    await page.mouse.up();
  };
  await press(600);
  await page.waitForSelector('#confirm:not(.hidden)');
  await page.click('#confirm-no');
  assert.ok(await page.isVisible('#assist.on'));
  // Emergency escalates and hides its own button; the confirmation clears it.
  await page.click('#emergency');
  await page.waitForSelector('#assist.emergency');
  assert.match(await page.textContent('#assist'), /Emergency on/);
  assert.ok(await page.isHidden('#emergency'));
  await page.click('#assist');
  await page.click('#confirm-yes');
  await page.waitForSelector('#assist:not(.on)');
  assert.ok(await page.isVisible('#emergency'));
  // Raised again, a long press clears without asking.
  await page.click('#assist');
  await page.waitForSelector('#assist.on');
  await press(1800);
  await page.waitForSelector('#assist:not(.on)');
  assert.ok(await page.isHidden('#confirm'));
}));

test('ending asks for confirmation and shows why the room refuses', () => withPage(async (page) => {
  await unlock(page, '2468');
  await startSession(page);
  await page.click('#end');
  await page.waitForSelector('#confirm:not(.hidden)');
  assert.match(await page.textContent('#confirm-detail'), /Minimum observation/);
  await page.click('#confirm-yes');
  await page.waitForSelector('#toast:has-text("minimum observation not yet complete")');
  assert.ok(await page.isVisible('#session'));
}));

test('starting asks to confirm the template, and the header names it all session', () => withPage(async (page) => {
  await unlock(page, '2468');
  await page.click('#templates button[data-template="im-ketamine"]');
  await page.waitForSelector('#confirm:not(.hidden)');
  assert.match(await page.textContent('#confirm-text'), /IM ketamine/);
  await page.click('#confirm-no');
  await page.waitForTimeout(300);  // nothing may start: no command went out
  assert.ok(await page.isHidden('#session'));
  assert.ok(await page.isHidden('#template-name'));
  await startSession(page, 'im-ketamine', 'IM ketamine');
  assert.equal(await page.textContent('#template-name'), 'IM ketamine');
  await page.click('#infusion-start');
  await page.waitForSelector('#phase:has-text("onset")');
  assert.ok(await page.isVisible('#template-name:has-text("IM ketamine")'));
}));

test('a mis-tapped infusion start is corrected after a confirmation naming both times', () => withPage(async (page) => {
  await unlock(page, '2468');
  await startSession(page);
  assert.ok(await page.isHidden('#infusion-correct'), 'nothing to correct before the infusion starts');
  await page.click('#infusion-start');
  await page.waitForSelector('#infusion-state:has-text("running")');
  await page.click('#infusion-correct');
  await page.waitForSelector('#correct:not(.hidden)');
  await page.fill('#correct-minutes', '10');
  await page.click('#correct-continue');
  await page.waitForSelector('#confirm:not(.hidden)');
  assert.match(await page.textContent('#confirm-text'), /Move the infusion start to \d\d:\d\d/);
  assert.match(await page.textContent('#confirm-detail'), /It was \d\d:\d\d.*both times are recorded/);
  assert.doesNotMatch(await page.textContent('#infusion-elapsed'), /^10:/, 'nothing moves before the confirmation');
  await page.click('#confirm-yes');
  await page.waitForSelector('#infusion-elapsed:has-text("10:0")');
}));

test('a chiming reminder rings a soft tone in the panel, at the capped level', () => withPage(async (page) => {
  await unlock(page, '2468');  // the keypad taps are what let the page make sound
  await startSession(page);
  assert.equal(await page.evaluate(() => HavenChime.played()), 0);
  assert.ok(await page.evaluate(() => HavenChime.maxGain <= 0.12));
  await page.click('#infusion-start');
  await page.waitForSelector('#reminder-banner:not(.hidden)');
  await page.waitForFunction(() => HavenChime.played() === 1);
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
  await startSession(page);
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
