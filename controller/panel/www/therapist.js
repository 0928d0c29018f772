// The therapist page: renders the room state pushed over /ws and sends one command per tap.
'use strict';

(() => {
  const { $, dash, fmtDuration, text, command } = Haven;
  let state = {};
  let receivedAt = Date.now();
  let connected = false;
  // Each reminder carries due_in_s (negative once due). A due one leaves the state when it is
  // acknowledged: the page remembers where on the timeline it fell due (id#seq), so the strip
  // keeps its tick for the rest of the session.
  const reminderSeen = new Map();
  // Open-ended phases ("until infusion start/stop") have no planned length; drawn at this
  // nominal length until they are under way, then stretched to what they have become.
  const nominalPhaseS = 600;
  // Where (session elapsed) the current phase began, when the page saw it begin: the state
  // gives no remaining time for an open-ended phase, so the marker needs this to sit in it.
  let phaseKey = null;
  let phaseStartedAt = null;
  const untilText = { infusion_start: 'until infusion start', infusion_stop: 'until infusion stop' };

  const session = () => (state && state.session) || null;
  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : null);

  // Timers tick locally between pushes; a held session or paused infusion stands still.
  function live() {
    const s = session();
    if (!s) return null;
    const dt = (Date.now() - receivedAt) / 1000;
    const moving = !s.held;
    const add = (v, running) => (num(v) === null ? null : v + (running ? dt : 0));
    return {
      elapsed: add(s.elapsed_s, moving),
      remaining: num(s.phase_remaining_s) === null ? null : Math.max(0, s.phase_remaining_s - (moving ? dt : 0)),
      infusion: add(s.infusion_elapsed_s, s.infusion === 'running'),
      // Checks run on real time, through pauses and holds: they always come closer.
      reminderShift: dt,
      observation: num(s.min_observation_remaining_s) === null ? null : Math.max(0, s.min_observation_remaining_s - dt),
    };
  }

  function renderTemplates() {
    const box = $('templates');
    const templates = Array.isArray(state.templates) ? state.templates : [];
    const key = JSON.stringify(templates);
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren();
    if (!templates.length) box.textContent = 'No session templates configured.';
    for (const t of templates) {
      const b = document.createElement('button');
      b.className = 'primary';
      b.textContent = text(t && (t.name || t.id));
      b.dataset.template = t && t.id;
      // A mis-tapped template runs the wrong timeline for the whole session: confirm it.
      b.onclick = () => confirmThen(`Start “${text(t.name || t.id)}”?`, 'Check this is the session planned for this patient.',
        () => command('start', { template: t.id }, b));
      box.appendChild(b);
    }
  }

  const reminderList = (list) => (Array.isArray(list) ? list.filter((r) => r && typeof r === 'object') : []);

  // The due reminder, else the next one with its countdown (live between pushes).
  function nextReminderText(s, now) {
    const due = reminderList(s.reminders_pending)[0];
    if (due) return `${text(due.text || due.id)} — due`;
    const next = reminderList(s.reminders_upcoming)[0];
    const left = next && num(next.due_in_s);
    if (left === null || left === undefined) return dash;
    return `${text(next.text || next.id)} in ${fmtDuration(Math.max(0, left - now.reminderShift))}`;
  }

  function renderTimeline(s, now) {
    const strip = $('timeline');
    strip.replaceChildren();
    const phases = Array.isArray(s.phases) ? s.phases : [];
    const index = num(s.phase_index);
    const elapsed = num(now.elapsed);
    if (!phases.length) return;
    // Past phases at their planned length; the current one stretched to what it has become.
    const lengths = phases.map((p) => Math.max(1, num(p && p.planned_s) ?? nominalPhaseS));
    // The marker sits where the current phase's remaining time says, so a phase skipped
    // early or extended still reads correctly against the segments.
    let marker = elapsed;
    if (index !== null && index < lengths.length && elapsed !== null) {
      const before = lengths.slice(0, index).reduce((a, b) => a + b, 0);
      if (num(now.remaining) !== null) {
        lengths[index] = Math.max(lengths[index], elapsed - before + now.remaining);
        marker = before + lengths[index] - now.remaining;
      } else {
        const into = Math.max(0, phaseStartedAt === null ? elapsed - before : elapsed - phaseStartedAt);
        lengths[index] = Math.max(lengths[index], into);
        marker = before + into;
      }
    }
    const total = lengths.reduce((a, b) => a + b, 0);
    phases.forEach((p, i) => {
      const seg = document.createElement('div');
      seg.className = 'segment' + (i === index ? ' current' : index !== null && i < index ? ' done' : '');
      seg.style.width = `${(100 * lengths[i]) / total}%`;
      seg.textContent = text(p && p.id);
      strip.appendChild(seg);
    });
    const tick = (at, kind) => {
      if (at < 0 || at > total) return;  // beyond the planned arc: not drawn
      const el = document.createElement('div');
      el.className = `tick ${kind}`;
      el.style.left = `${(100 * at) / total}%`;
      strip.appendChild(el);
    };
    for (const r of reminderList(s.reminders_pending)) {
      const key = `${r.id}#${r.seq}`;
      if (!reminderSeen.has(key) && marker !== null) reminderSeen.set(key, marker + Math.min(0, num(r.due_in_s) ?? 0));
    }
    for (const at of reminderSeen.values()) tick(at, 'due');
    if (marker !== null) {
      for (const r of reminderList(s.reminders_upcoming)) {
        const left = num(r.due_in_s);
        if (left !== null) tick(marker + Math.max(0, left - now.reminderShift), 'upcoming');
      }
    }
    if (marker !== null) {
      const now_ = document.createElement('div');
      now_.className = 'now';
      now_.id = 'now-marker';
      now_.style.left = `${Math.min(100, (100 * marker) / total)}%`;
      strip.appendChild(now_);
    }
  }

  function renderInfusion(s) {
    const inf = s.infusion || 'none';
    $('infusion-state').textContent = { none: 'not started', running: 'running', paused: 'paused', stopped: 'stopped' }[inf] || text(s.infusion);
    $('infusion-start').classList.toggle('hidden', inf !== 'none');
    $('infusion-pause').classList.toggle('hidden', inf !== 'running');
    $('infusion-resume').classList.toggle('hidden', inf !== 'paused');
    $('infusion-stop').classList.toggle('hidden', inf !== 'running' && inf !== 'paused');
    $('infusion-correct').classList.toggle('hidden', inf === 'none');
  }

  const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  // A mis-tapped "infusion started" moves the observation clock and every check: the
  // therapist says how many minutes ago it really was, then confirms both times.
  function wireCorrection() {
    $('infusion-correct').onclick = () => {
      const now = live();
      $('correct-minutes').value = Math.max(1, Math.round(((now && now.infusion) || 60) / 60));
      $('correct').classList.remove('hidden');
      $('correct-minutes').focus();
    };
    $('correct-cancel').onclick = () => $('correct').classList.add('hidden');
    $('correct-form').onsubmit = (event) => {
      event.preventDefault();
      const minutes = Math.round(Number($('correct-minutes').value));
      if (!(minutes >= 1 && minutes <= 720)) return;
      $('correct').classList.add('hidden');
      const now = live();
      const was = now && num(now.infusion) !== null ? clock(Date.now() - now.infusion * 1000) : dash;
      confirmThen(`Move the infusion start to ${clock(Date.now() - minutes * 60000)}?`,
        `It was ${was}. Checks, the observation time and the phases that follow it move with it; both times are recorded.`,
        () => command('correct', { event: 'infusion_start', at: `-${minutes}m` }, $('infusion-correct')));
    };
  }

  function renderSession(s) {
    const now = live();
    const phaseName = s.phase || dash;
    const count = num(s.phase_count), index = num(s.phase_index);
    $('phase').textContent = count !== null && index !== null ? `${phaseName} (${index + 1}/${count})` : phaseName;
    $('template-name').textContent = text(s.template_name || s.template);
    const phase = Array.isArray(s.phases) && index !== null ? s.phases[index] : null;
    const remaining = num(now.remaining) === null && phase && untilText[phase.until] ? untilText[phase.until] : fmtDuration(now.remaining);
    $('phase-remaining').textContent = s.held ? `held · ${remaining}` : remaining;
    $('phase-remaining').classList.toggle('words', num(now.remaining) === null);
    $('infusion-elapsed').textContent = fmtDuration(now.infusion);
    renderInfusion(s);
    const pending = Array.isArray(s.reminders_pending) ? s.reminders_pending : [];
    const due = pending[0];
    $('reminder-banner').classList.toggle('hidden', !due);
    if (due) {
      $('reminder-text').textContent = text(due.text || due.id);
      $('ack').dataset.reminder = due.id || '';
    }
    $('next-reminder').textContent = nextReminderText(s, now);
    $('hold').textContent = s.held ? 'Release hold' : 'Hold';
    const obs = num(now.observation);
    $('end').textContent = obs ? `End session (observe ${fmtDuration(obs)} more)` : 'End session';
    renderTimeline(s, now);
  }

  function renderRoom() {
    $('room-name').textContent = text(state.room && (state.room.name || state.room.id));
    // The player's own report first; the session's music plan when no player runs.
    const audio = state.audio || {};
    const planned = (session() && session().music) || {};
    const parts = [audio.playlist || planned.playlist, audio.title].filter((v) => v);
    const level = num(audio.volume) ?? num(planned.volume);
    const volume = level === null ? '' : ` · ${Math.round(level)}%`;
    $('music').textContent = (parts.length ? parts.join(' · ') : dash) + volume;
    const lights = state.lights && typeof state.lights === 'object' ? Object.values(state.lights) : [];
    const levels = lights.filter((l) => l && l.available !== false && num(l.level) !== null).map((l) => l.level);
    $('light-level').textContent = levels.length ? `${Math.round(levels.reduce((a, b) => a + b, 0) / levels.length)}%` : dash;
    HavenAssist.render(session());
  }

  function render() {
    const s = session();
    Haven.renderAlarms(state);
    $('no-session').classList.toggle('hidden', !!s || !connected);
    $('session').classList.toggle('hidden', !s);
    $('template-name').classList.toggle('hidden', !s);
    renderRoom();
    if (s) renderSession(s); else { reminderSeen.clear(); renderTemplates(); }
  }

  function confirmThen(question, detail, action) {
    $('confirm-text').textContent = question;
    $('confirm-detail').textContent = detail || '';
    $('confirm').classList.remove('hidden');
    $('confirm-yes').onclick = () => { $('confirm').classList.add('hidden'); action(); };
    $('confirm-no').onclick = () => $('confirm').classList.add('hidden');
  }

  function wire() {
    const tap = (id, name, payload) => { $(id).onclick = () => command(name, typeof payload === 'function' ? payload() : payload, $(id)); };
    HavenAssist.wire(command, confirmThen);
    tap('infusion-start', 'infusion_start');
    tap('infusion-pause', 'infusion_pause');
    tap('infusion-resume', 'infusion_resume');
    $('infusion-stop').onclick = () => confirmThen('Mark the infusion as stopped?', 'This cannot be undone.', () => command('infusion_stop', undefined, $('infusion-stop')));
    wireCorrection();
    tap('next', 'next');
    tap('extend-5', 'extend', { minutes: 5 });
    tap('extend-10', 'extend', { minutes: 10 });
    $('hold').onclick = () => command(session() && session().held ? 'release' : 'hold', undefined, $('hold'));
    const currentVolume = () => num(state.audio && state.audio.volume) ?? num(session() && session().music && session().music.volume) ?? 0;
    const volume = (delta) => () => ({ volume: Math.max(0, Math.min(100, Math.round(currentVolume() + delta))) });
    tap('volume-down', 'volume', volume(-5));
    tap('volume-up', 'volume', volume(5));
    tap('music-next', 'music_next');
    tap('lights-down', 'lights_down');
    tap('lights-up', 'lights_up');
    $('ack').onclick = () => command('ack', { reminder: $('ack').dataset.reminder || '' }, $('ack'));
    $('mark-form').onsubmit = async (event) => {
      event.preventDefault();
      const note = $('mark-text').value.trim();
      if (!note) return;
      const result = await command('mark', { text: note }, $('mark'));
      if (result.ok) { $('mark-text').value = ''; Haven.toast('Noted'); }
    };
    $('end').onclick = () => {
      const now = live();
      const obs = now && num(now.observation);
      confirmThen('End the session?', obs ? `Minimum observation: ${fmtDuration(obs)} remaining.` : '', () => command('end', undefined, $('end')));
    };
  }

  function notePhase(previous) {
    const s = session();
    const key = s ? `${s.id}#${s.phase_index}` : null;
    if (key === phaseKey) return;
    const sawItBegin = previous && s && previous.id === s.id && previous.phase_index !== s.phase_index;
    phaseKey = key;
    phaseStartedAt = sawItBegin && num(s.elapsed_s) !== null ? s.elapsed_s : null;
  }

  let started = false;
  function start() {
    if (started) return;
    started = true;
    Haven.connect({
      state: (next) => {
        const previous = session();
        state = next;
        receivedAt = Date.now();
        connected = true;
        notePhase(previous);
        render();
      },
      // The daemon's alerts carry `text`; other events (journal records) are not toasted.
      event: (event) => {
        // A due reminder has its own banner; a toast would only repeat it.
        if (event && event.type === 'alert' && event.kind === 'reminder_due' && event.chime === true) HavenChime.play();
        const alert = event && event.type === 'alert' && event.kind !== 'reminder_due';
        const message = event && (event.message || (alert && event.text));
        if (message) Haven.toast(message);
      },
    });
    setInterval(() => { if (session()) renderSession(session()); }, 1000);
  }

  wire();
  Haven.setupUnlock('therapist', start);
  Haven.checkSession();
})();
