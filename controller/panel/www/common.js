// Shared by the therapist and tech pages: unlock, API calls, the live WebSocket, formatting.
'use strict';

const Haven = (() => {
  const $ = (id) => document.getElementById(id);
  const dash = '—';

  function fmtDuration(seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds)) return dash;
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const mm = String(m).padStart(h ? 2 : 1, '0'), ss = String(r).padStart(2, '0');
    return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  }
  const text = (value) => (value === undefined || value === null || value === '' ? dash : String(value));

  function toast(message) {
    const el = $('toast');
    el.textContent = message;
    el.classList.remove('hidden');
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => el.classList.add('hidden'), 6000);
  }

  async function api(method, path, body) {
    const options = { method, headers: {}, credentials: 'same-origin' };
    if (body !== undefined) {
      options.body = typeof body === 'string' ? body : JSON.stringify(body);
      options.headers['Content-Type'] = 'application/json';
    }
    let response;
    try { response = await fetch(path, options); } catch (e) { return { ok: false, status: 0, error: 'no connection to the room' }; }
    let data = null;
    try { data = await response.json(); } catch (e) { /* not JSON (reports) */ }
    if (response.status === 401 && path !== '/api/unlock') showUnlock();
    return { ok: response.ok, status: response.status, data, error: data && data.error ? data.error : `HTTP ${response.status}` };
  }

  // Sends a command; the button shows it is waiting until the room confirms (journal durable).
  async function command(name, payload, button) {
    if (button) { button.disabled = true; button.classList.add('pending'); }
    const result = await api('POST', `/api/command/${name}`, payload === undefined ? '' : payload);
    if (button) { button.disabled = false; button.classList.remove('pending'); }
    if (!result.ok) toast(result.error);
    return result;
  }

  let role = 'therapist';
  let onUnlocked = () => {};

  function showUnlock() {
    $('unlock').classList.remove('hidden');
    $('pin').value = '';
    $('pin').focus();
  }

  function setupUnlock(wantedRole, unlocked) {
    role = wantedRole;
    onUnlocked = unlocked;
    const keypad = $('keypad');
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0', '✓']) {
      const b = document.createElement('button');
      b.textContent = key;
      b.type = key === '✓' ? 'submit' : 'button';
      if (key === '⌫') b.onclick = () => { $('pin').value = $('pin').value.slice(0, -1); };
      else if (key !== '✓') b.onclick = () => { $('pin').value += key; };
      b.dataset.key = key;
      keypad.appendChild(b);
    }
    $('unlock-form').onsubmit = async (event) => {
      event.preventDefault();
      const result = await api('POST', '/api/unlock', { role, pin: $('pin').value });
      $('pin').value = '';
      if (!result.ok) { $('unlock-error').textContent = result.error; return; }
      $('unlock-error').textContent = '';
      $('unlock').classList.add('hidden');
      onUnlocked();
    };
  }

  async function checkSession() {
    const result = await api('GET', '/api/session');
    const have = result.ok && result.data ? result.data.role : null;
    if (have === role || (have === 'tech' && role === 'therapist')) {
      $('unlock').classList.add('hidden');
      onUnlocked();
    } else {
      showUnlock();
    }
  }

  // The live feed; reconnects with a growing pause, re-checks the lock when refused.
  function connect(handlers) {
    let delay = 500;
    const open = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      ws.onopen = () => { delay = 500; $('link').textContent = 'live'; $('link').classList.remove('down'); };
      ws.onmessage = (msg) => {
        let data;
        try { data = JSON.parse(msg.data); } catch (e) { return; }
        if (data.type === 'state' && handlers.state) handlers.state(data.state || {});
        if (data.type === 'event' && handlers.event) handlers.event(data.event || {});
      };
      ws.onclose = async () => {
        $('link').textContent = 'reconnecting…';
        $('link').classList.add('down');
        const session = await api('GET', '/api/session');
        if (session.ok && session.data && session.data.role === null) { showUnlock(); return; }
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 10000);
      };
    };
    open();
  }

  // The state's `alarms` (e.g. the journal cannot be written) as one steady line under the
  // header: noticed, never flashing; the room itself keeps running.
  function renderAlarms(state) {
    const alarms = Array.isArray(state && state.alarms) ? state.alarms : [];
    $('alarm').classList.toggle('hidden', alarms.length === 0);
    $('alarm-text').textContent = alarms.map((a) => text(a && a.text)).join(' · ');
  }

  return { $, dash, fmtDuration, text, toast, api, command, setupUnlock, checkSession, connect, renderAlarms };
})();
