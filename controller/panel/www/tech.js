// The tech page: device status, live light levels, per-light test, config and reports.
'use strict';

(() => {
  const { $, text, api, toast } = Haven;
  const pretty = (v) => (v === undefined || v === null ? Haven.dash : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

  function renderState(state) {
    $('room-name').textContent = `${text(state.room && (state.room.name || state.room.id))} · tech`;
    const lights = state.lights && typeof state.lights === 'object' ? state.lights : {};
    const rows = Object.entries(lights).map(([id, l]) => {
      const tr = document.createElement('tr');
      const level = typeof l?.level === 'number' ? l.level : null;
      tr.innerHTML = '<td></td><td><div class="bar"><div></div></div></td><td></td><td></td>';
      tr.cells[0].textContent = id;
      tr.cells[1].firstChild.firstChild.style.width = `${level ?? 0}%`;
      tr.cells[2].textContent = level === null ? Haven.dash : `${Math.round(level)}%`;
      tr.cells[3].textContent = l?.available === false ? 'offline' : 'ok';
      return tr;
    });
    $('lights').replaceChildren(...rows);
    const select = $('light-id');
    const ids = Object.keys(lights);
    if (select.dataset.key !== ids.join()) {
      select.dataset.key = ids.join();
      select.replaceChildren(...ids.map((id) => Object.assign(document.createElement('option'), { value: id, textContent: id })));
    }
    const a = state.audio || {};
    $('audio').textContent = `${text(a.state)} · ${text(a.playlist)} · ${text(a.title)} · vol ${text(a.volume)} · device ${a.device_ok === false ? 'FAILED' : 'ok'} · underruns ${text(a.underruns)}`;
  }

  async function refreshTech() {
    const result = await api('GET', '/api/tech');
    if (!result.ok) return;
    const t = result.data || {};
    $('devices').textContent = pretty(t.devices);
    $('config').textContent = pretty(t.config);
    $('config-errors').textContent = pretty(t.config_errors);
    $('events').textContent = pretty(t.events);
  }

  $('light-test').onsubmit = async (event) => {
    event.preventDefault();
    const result = await api('POST', '/api/tech/light', { light: $('light-id').value, level: Number($('light-level').value) });
    toast(result.ok ? 'Sent' : result.error);
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
    Haven.connect({ state: renderState, event: () => refreshTech() });
    refreshTech();
    setInterval(refreshTech, 5000);
  });
  Haven.checkSession();
})();
