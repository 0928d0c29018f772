// The wall panel against the REAL daemon (`haven run`) on a private mosquitto, in Debian's
// Chromium: what the therapist sees must be what the room does, and what MQTT retains.
// Each test gets a fresh room (broker, daemon, journal). Session time runs 60x.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startRoom, retainedState, waitFor, mqttPublish } from './daemon_room.mjs';

const haven = process.env.HAVEN_BINARY;
const sourceDir = process.env.HAVEN_SOURCE_DIR;
// Opt-in: where to keep the mid-session screenshot (docs/panel-therapist.png when refreshing it).
const docsShot = process.env.HAVEN_DOCS_SCREENSHOT;
const pinFile = (name) => readFileSync(join(sourceDir, 'config', 'rooms', name), 'utf8').split('\n')[0].trim();
const therapistPin = pinFile('demo-therapist.pin');
const techPin = pinFile('demo-tech.pin');
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
});
after(async () => { await browser?.close(); });

async function withRoom(fn, viewport = { width: 1024, height: 768 }) {
  const room = await startRoom({ haven, sourceDir });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  // Script errors and CSP violations (e.g. an inline style) fail the test: the page must work
  // under the panel's Content-Security-Policy exactly as served.
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`); });
  try {
    await page.goto(room.url);
    await fn(page, room);
    assert.deepEqual(problems, [], 'no script errors or CSP violations');
  } catch (e) {
    e.message += `\n--- room output ---\n${room.log()}`;
    throw e;
  } finally {
    await context.close();
    await room.stop();
  }
}

async function unlock(page, pin) {
  for (const digit of pin) await page.click(`#keypad button[data-key="${digit}"]`);
  await page.click('#keypad button[data-key="✓"]');
}

async function startSession(page) {
  await unlock(page, therapistPin);
  await page.waitForSelector('#unlock', { state: 'hidden' });
  await page.click('#templates button[data-template="iv-ketamine"]');
  await page.waitForSelector('#confirm:not(.hidden)');  // the template is confirmed by name
  await page.click('#confirm-yes');
  await page.waitForSelector('#phase:has-text("arrival")');
}

// The state as the page's own session sees it (cookie included).
const apiState = (page) => page.evaluate(async () => (await fetch('/api/state')).json());

test('daemon: a wrong PIN is refused and the panel stays locked', () => withRoom(async (page) => {
  await unlock(page, therapistPin === '1111' ? '2222' : '1111');
  await page.waitForSelector('#unlock-error:has-text("wrong PIN")');
  assert.ok(await page.isVisible('#unlock'));
  assert.equal(await page.evaluate(async () => (await fetch('/api/state')).status), 401);
}));

test('daemon: unlock, start, infusion start, live phase change, assist (page and MQTT), reminder ack', () => withRoom(async (page, room) => {
  await startSession(page);
  assert.match(await page.textContent('#phase'), /arrival \(1\/5\)/);

  await page.click('#infusion-start');
  // Pushed over the WebSocket: no reload happens in between.
  await page.waitForSelector('#phase:has-text("onset")');
  await page.waitForSelector('#infusion-state:has-text("running")');
  assert.ok(await page.isVisible('#infusion-pause'));
  // Before the first check falls due, the strip already shows where the checks will be.
  await page.waitForSelector('#timeline .tick.upcoming', { state: 'attached' });
  assert.match(await page.textContent('#next-reminder'), /Blood pressure.* in \d+:\d\d/);
  assert.equal((await retainedState(room)).session.phase, 'onset');

  await page.click('#assist');
  await page.waitForSelector('#assist.on');
  assert.match(await page.textContent('#assist'), /Assist on/);
  // The retained MQTT state follows: a fresh subscriber gets assist at once.
  await waitFor('MQTT retained state with assist on', async () => (await retainedState(room))?.session?.assist === true);

  // bp is due every 15 min from infusion start: ~15 s at time-scale 60.
  await page.waitForSelector('#reminder-banner:not(.hidden)', { timeout: 30000 });
  assert.match(await page.textContent('#reminder-text'), /Blood pressure/);
  assert.match(await page.textContent('#next-reminder'), /Blood pressure.*due/);
  assert.ok(await page.locator('#timeline .tick.due').count() >= 1, 'a tick marks the due reminder');
  // The 'now' marker sits in the current segment, also in an open-ended phase (peak).
  const marker = await page.evaluate(() => {
    const box = (el) => el.getBoundingClientRect();
    const m = box(document.getElementById('now-marker'));
    const c = box(document.querySelector('#timeline .segment.current'));
    return { m: m.left, from: c.left, to: c.right, phase: document.querySelector('#timeline .segment.current').textContent };
  });
  assert.ok(marker.m >= marker.from - 2 && marker.m <= marker.to + 2, `now marker outside the current segment: ${JSON.stringify(marker)}`);
  if (docsShot) {
    mkdirSync(dirname(docsShot), { recursive: true });
    await page.screenshot({ path: docsShot });
  }
  await page.click('#ack');
  await page.waitForSelector('#reminder-banner.hidden', { state: 'attached' });
  await waitFor('MQTT state without the reminder', async () => (await retainedState(room))?.session?.reminders_pending?.length === 0);

  // Escalate to emergency; the level reaches the retained MQTT state (Home Assistant's sensor).
  await page.click('#emergency');
  await page.waitForSelector('#assist.emergency');
  await waitFor('MQTT retained state with emergency', async () => (await retainedState(room))?.session?.assist_level === 'emergency');
  // Clearing is never a quick tap: a tap asks first...
  await page.click('#assist');
  await page.waitForSelector('#confirm:not(.hidden)');
  await page.click('#confirm-no');
  assert.ok(await page.isVisible('#assist.on'), 'a tap must not clear assist');
  // ...and a long press clears.
  const box = await page.locator('#assist').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(1800);
  await page.mouse.up();
  await page.waitForSelector('#assist:not(.on)');
  assert.ok(await page.isHidden('#confirm'), 'the long press clears without asking');
  await waitFor('MQTT retained state with assist off', async () => (await retainedState(room))?.session?.assist === false);
}, { width: 1024, height: 900 }));

// The contract between state_document.cpp and therapist.js: every field the page reads, with
// the type it expects, from the daemon's API, its WebSocket push and its MQTT state alike.
test('daemon: the state document has every field the pages read', () => withRoom(async (page, room) => {
  await startSession(page);
  await page.click('#infusion-start');
  await page.waitForSelector('#phase:has-text("onset")');
  await page.waitForSelector('#reminder-banner:not(.hidden)', { timeout: 30000 });

  const isNum = (v) => typeof v === 'number';
  const isNumOrNull = (v) => v === null || typeof v === 'number';
  const isStrOrNull = (v) => v === null || typeof v === 'string';
  const check = (state, where) => {
    const at = (path) => `${where}: ${path}`;
    assert.equal(typeof state.room?.name, 'string', at('room.name'));
    const s = state.session;
    assert.equal(typeof s, 'object', at('session'));
    // onset lasts 10 min (10 s here), so by the first reminder the room may be in peak.
    assert.ok(isNum(s.phase_index) && s.phase_index >= 1, at(`session.phase_index = ${s.phase_index}`));
    assert.equal(s.phase, s.phases[s.phase_index].id, at('session.phase'));
    assert.equal(s.phase_count, 5, at('session.phase_count'));
    for (const k of ['phase_remaining_s', 'elapsed_s', 'infusion_elapsed_s', 'min_observation_remaining_s'])
      assert.ok(isNumOrNull(s[k]) && k in s, at(`session.${k} = ${s[k]}`));
    assert.ok(isNum(s.elapsed_s) && isNum(s.infusion_elapsed_s), at('running timers are numbers'));
    // A timed phase counts down; an open-ended one ("until infusion_stop") has no remaining time.
    assert.equal(isNum(s.phase_remaining_s), isNum(s.phases[s.phase_index].planned_s), at('phase_remaining_s vs planned_s'));
    assert.equal(s.infusion, 'running', at('session.infusion'));
    assert.equal(s.held, false, at('session.held'));
    assert.equal(s.assist, false, at('session.assist'));
    assert.equal(s.assist_level, 'none', at('session.assist_level'));
    assert.ok(Array.isArray(s.reminders_pending) && s.reminders_pending.length >= 1, at('session.reminders_pending'));
    for (const r of s.reminders_pending) {
      assert.equal(r.id, 'bp', at('reminders_pending[].id'));
      assert.match(r.text, /Blood pressure/, at('reminders_pending[].text'));
      assert.ok(isNum(r.seq), at('reminders_pending[].seq'));
      assert.ok(isNum(r.due_in_s) && r.due_in_s <= 0, at(`reminders_pending[].due_in_s = ${r.due_in_s}`));
    }
    assert.ok(Array.isArray(s.reminders_upcoming) && s.reminders_upcoming.length >= 1, at('session.reminders_upcoming'));
    for (const r of s.reminders_upcoming) {
      assert.equal(r.id, 'bp', at('reminders_upcoming[].id'));
      assert.ok(isNum(r.seq) && r.seq > s.reminders_pending[0].seq, at('reminders_upcoming[].seq'));
      assert.ok(isNum(r.due_in_s) && r.due_in_s >= 0, at(`reminders_upcoming[].due_in_s = ${r.due_in_s}`));
    }
    assert.deepEqual(s.phases.map((p) => p.id), ['arrival', 'onset', 'peak', 'return', 'recovery'], at('session.phases[].id'));
    for (const p of s.phases) {
      assert.ok(isNumOrNull(p.planned_s), at(`phases[${p.id}].planned_s`));
      assert.ok(isStrOrNull(p.until), at(`phases[${p.id}].until`));
    }
    assert.equal(s.phases[0].until, 'infusion_start', at('phases[arrival].until'));
    assert.equal(s.phases[1].planned_s, 600, at('phases[onset].planned_s'));
    assert.equal(s.music?.playlist, 'deep', at('session.music.playlist'));
    assert.ok(isNum(s.music?.volume), at('session.music.volume'));
    assert.deepEqual(Object.keys(state.lights).sort(), ['bedside', 'ceiling', 'lamp', 'shelf', 'strip'], at('lights'));
    for (const [id, l] of Object.entries(state.lights)) {
      assert.ok(isNum(l.level), at(`lights.${id}.level`));
      assert.equal(typeof l.available, 'boolean', at(`lights.${id}.available`));
      assert.ok('kelvin' in l, at(`lights.${id}.kelvin`));
    }
    for (const k of ['state', 'playlist', 'title', 'volume', 'device_ok', 'underruns'])
      assert.ok(state.audio && k in state.audio, at(`audio.${k}`));
    assert.ok(state.templates.some((t) => t.id === 'iv-ketamine' && typeof t.name === 'string' && isNum(t.min_observation_s)), at('templates[]'));
  };

  check(await apiState(page), 'GET /api/state');
  check(await retainedState(room), 'MQTT haven/cedar/state');
  // What the page got over /ws: read back from a second socket in the page's own session.
  const pushed = await page.evaluate(() => new Promise((done, fail) => {
    const ws = new WebSocket(`ws://${location.host}/ws`);
    ws.onmessage = (m) => { const d = JSON.parse(m.data); if (d.type === 'state') { ws.close(); done(d.state); } };
    ws.onerror = () => fail(new Error('ws failed'));
  }));
  check(pushed, 'WebSocket /ws');

  // And the page shows them.
  assert.match(await page.textContent('#music'), /deep/);
  assert.match(await page.textContent('#phase-remaining'), /\d:\d\d|until infusion stop/);
  assert.notEqual(await page.textContent('#infusion-elapsed'), '—');
}));

test('daemon: hold freezes the phase, +5 min extends it exactly, end asks and ends', () => withRoom(async (page, room) => {
  await startSession(page);
  await page.click('#infusion-start');
  await page.waitForSelector('#phase:has-text("onset")');
  await page.click('#hold');
  await page.waitForSelector('#phase-remaining:has-text("held")');
  await waitFor('MQTT retained state held', async () => (await retainedState(room))?.session?.held === true);
  const before = (await apiState(page)).session.phase_remaining_s;
  await page.click('#extend-5');
  await waitFor(`phase_remaining_s ${before} + 300`, async () => (await apiState(page)).session.phase_remaining_s === before + 300, 5000);
  await page.click('#hold');
  await page.waitForSelector('#hold:has-text("Hold")');
  await waitFor('MQTT retained state released', async () => (await retainedState(room))?.session?.held === false);

  await page.click('#end');
  await page.waitForSelector('#confirm:not(.hidden)');
  await page.click('#confirm-yes');
  // iv-ketamine has min_observation 0m: the session ends and the templates come back.
  await page.waitForSelector('#templates button[data-template="iv-ketamine"]');
  await waitFor('MQTT state without a session', async () => (await retainedState(room))?.session === null);
}));

test('daemon: the tech page renders lights, audio, MQTT and config as tables and tests a light', () => withRoom(async (page, room) => {
  await page.goto(`${room.url}/tech`);
  await unlock(page, techPin);
  await page.waitForSelector('#lights td:has-text("ceiling")');
  await page.waitForSelector('#mqtt td:has-text("connected") + td:has-text("yes")');
  await page.waitForSelector(`#mqtt td:has-text("127.0.0.1:${room.mqttPort}")`);
  await page.waitForSelector('#config td:has-text("room") + td:has-text("cedar")');
  await page.waitForSelector('#config td:has-text("lights") + td:has-text("5")');
  await page.waitForSelector('#audio-table td:has-text("device")');
  await page.waitForSelector('#config-errors:has-text("none")');
  assert.equal(await page.locator('pre:has-text("{")').count(), 0, 'no raw JSON left on the page');

  await page.selectOption('#light-id', 'lamp');
  await page.fill('#light-level', '15');
  await page.click('#light-test button');
  await page.waitForSelector('#toast:has-text("Sent")');
  await page.waitForSelector('#lights tr[data-light="lamp"] td:has-text("15%")');
}));

test('daemon: tech page lists buttons with availability and last seen, plays a test tone only when idle', () => withRoom(async (page, room) => {
  await page.goto(`${room.url}/tech`);
  await unlock(page, techPin);
  const row = '#buttons tr[data-button="therapist"]';
  await page.waitForSelector(`${row} td:has-text("zigbee2mqtt")`);
  assert.match(await page.textContent(row), /not reported.*never/);
  // The button's dialect says it is online; then it sends a battery report (not a press).
  await mqttPublish({ port: room.mqttPort, topic: 'zigbee2mqtt/cedar/therapist-button/availability', payload: '{"state":"online"}' });
  await mqttPublish({ port: room.mqttPort, topic: 'zigbee2mqtt/cedar/therapist-button', payload: '{"battery":90}' });
  await page.reload();  // the table refreshes every 5 s; a reload reads it now
  await page.waitForSelector(`${row} td:has-text("online")`);
  assert.match(await page.textContent(row), /online.*\d+ s ago/);
  // Not in the MQTT state: last-seen times would make every publish a new document.
  assert.equal((await retainedState(room))?.buttons, undefined);

  // Idle room, audio output "none": the tone plays through the music path.
  await page.click('#tone');
  await page.waitForSelector('#toast:has-text("Test tone playing")');
  await page.click('#tone');
  await page.waitForSelector('#toast:has-text("already playing")');

  const started = await page.evaluate(async () => (await fetch('/api/command/start', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ template: 'iv-ketamine' }) })).status);
  assert.equal(started, 200);
  await waitFor('the session to open', async () => (await retainedState(room))?.session !== null);
  await page.click('#tone');
  await page.waitForSelector('#toast:has-text("No test tone: a session is running")');
  await page.selectOption('#light-id', 'lamp');
  await page.click('#light-test button');
  await page.waitForSelector('#toast:has-text("Not sent: a session is running")');
}));

// The disk stops taking writes (prlimit caps the daemon's file size, as a full disk would):
// both pages show the alarm quietly, the room goes on, and the alarm leaves when writes work.
test('daemon: a journal that cannot be written shows an alarm on both pages until it recovers', () => withRoom(async (page, room) => {
  await startSession(page);
  const stateDir = join(room.dir, 'state');
  const largest = Math.max(...readdirSync(stateDir).map((f) => statSync(join(stateDir, f)).size));
  execFileSync('prlimit', [`--pid=${room.daemonPid}`, `--fsize=${largest}:unlimited`]);
  await page.click('#infusion-start');
  await page.waitForSelector('#alarm:not(.hidden)');
  assert.match(await page.textContent('#alarm-text'), /journal cannot be written/);
  await page.waitForSelector('#infusion-state:has-text("running")');  // the room carried on

  const tech = await page.context().newPage();
  await tech.goto(`${room.url}/tech`);
  await unlock(tech, techPin);
  await tech.waitForSelector('#alarm:not(.hidden)');

  execFileSync('prlimit', [`--pid=${room.daemonPid}`, '--fsize=unlimited:unlimited']);
  await page.waitForSelector('#alarm', { state: 'hidden', timeout: 15000 });
  await tech.waitForSelector('#alarm', { state: 'hidden', timeout: 15000 });
  await tech.close();
}));

test('daemon: the HTML session report downloads as an HTML file', () => withRoom(async (page, room) => {
  await startSession(page);
  const id = (await apiState(page)).session.id;
  await page.click('#end');
  await page.waitForSelector('#confirm:not(.hidden)');
  await page.click('#confirm-yes');
  await page.waitForSelector('#templates button[data-template="iv-ketamine"]');
  await page.goto(`${room.url}/tech`);
  await unlock(page, techPin);
  await page.waitForSelector('#lights td:has-text("ceiling")');
  // The journal is the daemon's while it runs: the tech finds the session in the panel's
  // list, newest first, ended, and picks it with a tap.
  const row = `#sessions tr[data-session="${id}"]`;
  await page.waitForSelector(row);
  assert.equal(await page.getAttribute('#sessions tr:first-child', 'data-session'), id);
  assert.match(await page.textContent(row), /iv-ketamine.*ended/);
  await page.click(row);
  assert.equal(await page.inputValue('#report-id'), id);
  await page.selectOption('#report-format', 'html');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-form button')]);
  assert.equal(download.suggestedFilename(), `haven-${id}.html`);
  const reply = await page.evaluate(async (sid) => {
    const r = await fetch(`/api/report/${sid}?format=html`);
    return { type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), body: await r.text() };
  }, id);
  assert.equal(reply.type, 'text/html; charset=utf-8');
  assert.match(reply.disposition, /^attachment/);
  assert.match(reply.body, /<html/i);
}));
