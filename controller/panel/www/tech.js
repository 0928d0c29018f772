// The tech page: live light levels, audio, MQTT link, config summary and errors, recent
// events and report download, all as plain tables (never raw JSON: read at a glance).
'use strict';

(() => {
  const { $, dash, text, api, toast } = Haven;
  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : null);
  const pct = (v) => (num(v) === null ? dash : `${Math.round(v)}%`);
  const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : dash);

  function cell(row, value, className) {
    const td = row.insertCell();
    td.textContent = value;
    if (className) td.className = className;
    return td;
  }

  // A two-column table of label → value; `bad` marks values a tech must look at.
  function keyValues(table, rows) {
    table.replaceChildren(...rows.map(([label, value, bad]) => {
      const tr = document.createElement('tr');
      cell(tr, label, 'key');
      cell(tr, text(value), bad ? 'bad' : '');
      return tr;
    }));
  }

  function lightStatus(l) {
    if (l.available === false) return ['offline', true];
    if (l.fading) return [`fading → ${pct(l.target)}`, false];
    return ['ok', false];
  }

  function renderLights(lights) {
    const head = document.createElement('tr');
    for (const h of ['light', 'level', '', 'kelvin', 'status']) head.appendChild(Object.assign(document.createElement('th'), { textContent: h }));
    const rows = Object.entries(lights).map(([id, raw]) => {
      const l = raw && typeof raw === 'object' ? raw : {};
      const tr = document.createElement('tr');
      tr.dataset.light = id;
      cell(tr, id);
      const bar = cell(tr, '');
      bar.innerHTML = '<div class="bar"><div></div></div>';
      bar.firstChild.firstChild.style.width = `${Math.max(0, Math.min(100, num(l.level) ?? 0))}%`;
      cell(tr, pct(l.level));
      cell(tr, num(l.kelvin) === null ? dash : `${l.kelvin} K`);
      const [status, bad] = lightStatus(l);
      cell(tr, status, bad ? 'bad' : '');
      return tr;
    });
    $('lights').replaceChildren(head, ...rows);
    const select = $('light-id');
    const ids = Object.keys(lights);
    if (select.dataset.key !== ids.join()) {
      select.dataset.key = ids.join();
      select.replaceChildren(...ids.map((id) => Object.assign(document.createElement('option'), { value: id, textContent: id })));
    }
  }

  function renderAudio(a) {
    if (!a || typeof a !== 'object') { keyValues($('audio-table'), [['output', 'not running', true]]); return; }
    keyValues($('audio-table'), [
      ['state', a.state],
      ['playlist', a.playlist],
      ['title', a.title],
      ['volume', num(a.volume) === null ? null : `${Math.round(a.volume)}%`],
      ['device', a.device_ok === false ? 'FAILED' : a.device_ok === true ? 'ok' : null, a.device_ok === false],
      ['underruns', a.underruns, num(a.underruns) > 0],
    ]);
  }

  // "12 s ago" / "5 min ago" / "3 h ago", with the clock time for anything older than a minute.
  function ago(iso) {
    const when = typeof iso === 'string' ? new Date(iso) : null;
    if (!when || isNaN(when)) return 'never';
    const s = Math.max(0, Math.round((Date.now() - when) / 1000));
    const clock = when.toLocaleTimeString([], { hour12: false });
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago (${clock})`;
    return `${Math.floor(s / 3600)} h ago (${clock})`;
  }

  // available is null when the dialect does not report it (generic) or has not yet.
  function renderButtons(buttons) {
    const list = Array.isArray(buttons) ? buttons.filter((b) => b && typeof b === 'object') : [];
    if (!list.length) { keyValues($('buttons'), [['', 'none configured']]); return; }
    const head = document.createElement('tr');
    for (const h of ['button', 'driver', 'available', 'last seen']) head.appendChild(Object.assign(document.createElement('th'), { textContent: h }));
    $('buttons').replaceChildren(head, ...list.map((b) => {
      const tr = document.createElement('tr');
      tr.dataset.button = text(b.id);
      cell(tr, text(b.id));
      cell(tr, text(b.driver));
      cell(tr, b.available === false ? 'offline' : b.available === true ? 'online' : 'not reported', b.available === false ? 'bad' : '');
      cell(tr, ago(b.last_seen));
      return tr;
    }));
  }

  function renderState(state) {
    $('room-name').textContent = `${text(state.room && (state.room.name || state.room.id))} · tech`;
    renderLights(state.lights && typeof state.lights === 'object' ? state.lights : {});
    renderAudio(state.audio);
    Haven.renderAlarms(state);
  }

  // Events are journal records and alerts: {at, type, ...details}.
  function renderEvents(events) {
    const list = Array.isArray(events) ? events.slice(-20).reverse() : [];
    if (!list.length) { keyValues($('events'), [['', 'none yet']]); return; }
    $('events').replaceChildren(...list.map((e) => {
      const event = e && typeof e === 'object' ? e : { type: String(e) };
      const tr = document.createElement('tr');
      const when = typeof event.at === 'string' ? new Date(event.at) : null;
      const at = when && !isNaN(when) ? when.toLocaleTimeString([], { hour12: false }) : dash;
      // A tap on a session's event picks it for the report download below.
      if (typeof event.session === 'string') {
        tr.classList.add('pick');
        tr.onclick = () => { $('report-id').value = event.session; };
      }
      cell(tr, at, 'key');
      cell(tr, text(event.type || event.kind));
      const details = Object.entries(event)
        .filter(([k]) => k !== 'at' && k !== 'type')
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join(' · ');
      cell(tr, details || '');
      return tr;
    }));
  }

  function renderConfig(c, version) {
    const config = c && typeof c === 'object' ? c : {};
    keyValues($('config'), [
      ['room', config.room],
      ['file', config.file],
      ['lights', config.lights],
      ['scenes', config.scenes],
      ['templates', config.templates],
      ['version', version],
    ]);
    const errors = Array.isArray(config.errors) ? config.errors : [];
    const items = errors.length ? errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : ['none'];
    $('config-errors').replaceChildren(...items.map((line) => Object.assign(document.createElement('li'), { textContent: line, className: errors.length ? 'bad' : '' })));
  }

  // The journal's sessions, newest first: the daemon holds its journal, so this (not
  // `haven report` on the machine) is how a tech finds a session to export while it runs.
  function renderSessions(sessions) {
    const list = Array.isArray(sessions) ? sessions : [];
    if (!list.length) { keyValues($('sessions'), [['', 'none yet']]); return; }
    const when = (iso) => {
      const at = typeof iso === 'string' ? new Date(iso) : null;
      return at && !isNaN(at) ? at.toLocaleString([], { hour12: false }) : dash;
    };
    $('sessions').replaceChildren(...list.map((s) => {
      const tr = document.createElement('tr');
      tr.classList.add('pick');
      tr.dataset.session = text(s.session);
      tr.onclick = () => { $('report-id').value = s.session; };
      cell(tr, when(s.started), 'key');
      cell(tr, text(s.template));
      cell(tr, s.open ? 'open' : `ended ${when(s.ended)}`);
      cell(tr, text(s.session));
      return tr;
    }));
  }

  async function refreshSessions() {
    const result = await api('GET', '/api/sessions');
    if (result.ok) renderSessions(result.data);
  }

  async function refreshTech() {
    const result = await api('GET', '/api/tech');
    if (!result.ok) return;
    const t = result.data || {};
    const mqtt = t.mqtt && typeof t.mqtt === 'object' ? t.mqtt : {};
    keyValues($('mqtt'), [['connected', yesNo(mqtt.connected), mqtt.connected === false], ['broker', mqtt.broker]]);
    renderConfig(t.config, t.version);
    renderEvents(t.events);
    if (t.lights && typeof t.lights === 'object') renderLights(t.lights);
    renderButtons(t.buttons);
    if ('audio' in t) renderAudio(t.audio);
  }

  $('light-test').onsubmit = async (event) => {
    event.preventDefault();
    const result = await api('POST', '/api/tech/light', { light: $('light-id').value, level: Number($('light-level').value) });
    toast(result.ok ? 'Sent' : `Not sent: ${result.error}`);
  };
  $('tone').onclick = async () => {
    $('tone').disabled = true;
    const result = await api('POST', '/api/tech/tone');
    $('tone').disabled = false;
    toast(result.ok ? 'Test tone playing' : `No test tone: ${result.error}`);
  };
  $('report-form').onsubmit = (event) => {
    event.preventDefault();
    const id = encodeURIComponent($('report-id').value.trim());
    if (id) location.href = `/api/report/${id}?format=${encodeURIComponent($('report-format').value)}`;
  };

  let started = false;
  Haven.setupUnlock('tech', () => {
    if (started) return;
    started = true;
    Haven.connect({
      state: renderState,
      event: (e) => {
        refreshTech();
        if (e && typeof e.type === 'string' && e.type.startsWith('session_')) refreshSessions();
      },
    });
    refreshTech();
    refreshSessions();
    setInterval(refreshTech, 5000);
    setInterval(refreshSessions, 30000);
  });
  Haven.checkSession();
})();
