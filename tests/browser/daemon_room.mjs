// A real room for the browser tests: a private mosquitto on a free loopback port and the real
// `haven run` on a temp copy of config/rooms/demo.yaml (no audio device, panel on a free port,
// every relative path made absolute, session time running 60x so minutes pass in seconds).
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';

export const timeScale = 60;

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

// Polls `probe` until it returns a truthy value; the last error explains a timeout.
export async function waitFor(what, probe, timeoutMs = 10000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// demo.yaml with the broker port, panel address, audio output and absolute paths substituted.
// Throws if the demo room no longer has the lines this rewrites, so drift fails loudly.
export function roomYaml(sourceDir, mqttPort, panelPort) {
  const roomsDir = join(sourceDir, 'config', 'rooms');
  const original = readFileSync(join(roomsDir, 'demo.yaml'), 'utf8');
  const abs = (p) => resolve(roomsDir, p);
  const rewrites = [
    [/^(\s*port:\s*)1883\b/m, `$1${mqttPort}`],
    [/^panel:.*$/m, `panel: {listen: "127.0.0.1:${panelPort}", therapist_pin_file: ${abs('demo-therapist.pin')}, tech_pin_file: ${abs('demo-tech.pin')}}`],
    [/^audio:\s*\{output:\s*[^,}]+/m, 'audio: {output: none'],
    [/(?<=[\s[])(\.\.\/[^\s,\]}]+)/g, (p) => abs(p) + (p.endsWith('/') ? '/' : '')],
  ];
  let yaml = original;
  for (const [pattern, replacement] of rewrites) {
    const next = yaml.replace(pattern, replacement);
    if (next === yaml) throw new Error(`demo.yaml changed shape: ${pattern} no longer matches`);
    yaml = next;
  }
  return yaml;
}

function canConnect(port) {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

function waitForExit(child) {
  return new Promise((r) => (child.exitCode !== null || child.signalCode ? r() : child.once('exit', r)));
}

// Starts broker + daemon; resolves once the panel answers HTTP. `stop()` ends both and
// removes the temp dir. The daemon's log is kept in `log()` for failure messages.
export async function startRoom({ haven, sourceDir }) {
  const dir = mkdtempSync(join(tmpdir(), 'haven-browser-'));
  const mqttPort = await freePort();
  const panelPort = await freePort();
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${mqttPort} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const configFile = join(dir, 'room.yaml');
  writeFileSync(configFile, roomYaml(sourceDir, mqttPort, panelPort));

  let output = '';
  const children = [];
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && !child.signalCode) child.kill('SIGTERM');
      await Promise.race([waitForExit(child), new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const collect = (child, name) => {
    children.push(child);
    child.stdout?.on('data', (c) => { output += c; });
    child.stderr?.on('data', (c) => { output += c; });
    child.on('exit', (code, signal) => { output += `\n[${name} exited ${code ?? signal}]\n`; });
  };
  try {
    collect(spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] }), 'mosquitto');
    await waitFor('mosquitto to listen', () => canConnect(mqttPort), 10000, 100);
    collect(spawn(haven, ['run', '--config', configFile, '--state-dir', join(dir, 'state'), '--time-scale', String(timeScale)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HAVEN_WWW: join(sourceDir, 'controller', 'panel', 'www') } }), 'haven');
    const url = `http://127.0.0.1:${panelPort}`;
    await waitFor('the panel to answer', async () => (await fetch(`${url}/api/session`)).ok, 15000, 200);
    const daemonPid = children[children.length - 1].pid;
    return { url, mqttPort, configFile, dir, daemonPid, stop, log: () => output };
  } catch (e) {
    await stop();
    e.message += `\n--- room output ---\n${output}`;
    throw e;
  }
}

// One message from `topic` (a retained one arrives at once), or null after timeoutS.
export function mqttGet({ port, topic, timeoutS = 3 }) {
  return new Promise((done) => {
    execFile('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-C', '1', '-W', String(timeoutS)],
      { timeout: (timeoutS + 2) * 1000 }, (error, stdout) => done(error ? null : stdout.trim()));
  });
}

// Publishes one message (QoS 1) as a device on the room's broker would.
export function mqttPublish({ port, topic, payload }) {
  return new Promise((done, fail) => {
    execFile('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', topic, '-m', payload],
      { timeout: 5000 }, (error) => (error ? fail(error) : done()));
  });
}

// The room's retained MQTT state document, parsed.
export async function retainedState(room) {
  const text = await mqttGet({ port: room.mqttPort, topic: 'haven/cedar/state', timeoutS: 2 });
  return text ? JSON.parse(text) : null;
}

export const sourceDirOf = (file) => resolve(dirname(file), '..', '..');
