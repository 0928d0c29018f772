// The panel's assist controls. Raising is one tap: "Assist" (calm: warm light over a few
// seconds, music ducked) or "Emergency" (full light at once, music out). Clearing is never
// the same quick tap, which a double tap or a flustered second press would give: it is a
// long press on the raised button (holdMs, with the button filling to show it) or a tap and
// then a confirmation.
'use strict';

const HavenAssist = (() => {
  const holdMs = 1500;
  const levelText = { calm: 'Assist on', emergency: 'Emergency on' };

  // level: "none" | "calm" | "emergency"; an older daemon sends only `assist`.
  function levelOf(session) {
    if (!session) return 'none';
    if (typeof session.assist_level === 'string') return session.assist_level;
    return session.assist ? 'calm' : 'none';
  }

  function render(session) {
    const level = levelOf(session);
    const assist = document.getElementById('assist');
    const emergency = document.getElementById('emergency');
    assist.classList.toggle('on', level !== 'none');
    assist.classList.toggle('emergency', level === 'emergency');
    assist.dataset.level = level;
    assist.textContent = level === 'none' ? 'Assist' : `${levelText[level] || 'Assist on'} · hold to clear`;
    assist.title = level === 'none' ? 'Warm light up gently, music quieter'
                                    : 'Hold, or tap and confirm, to clear assist';
    emergency.classList.toggle('hidden', level === 'emergency');
  }

  // confirmThen(question, detail, action) is the page's confirmation dialog.
  function wire(command, confirmThen) {
    const assist = document.getElementById('assist');
    const emergency = document.getElementById('emergency');
    const raised = () => (assist.dataset.level || 'none') !== 'none';
    const clear = () => command('assist_clear', undefined, assist);
    let timer = null;
    let cleared = false;
    const cancelHold = () => { clearTimeout(timer); timer = null; assist.classList.remove('holding'); };

    assist.addEventListener('pointerdown', () => {
      cleared = false;
      if (!raised()) return;
      assist.classList.add('holding');
      timer = setTimeout(() => { cancelHold(); cleared = true; clear(); }, holdMs);
    });
    for (const end of ['pointerup', 'pointerleave', 'pointercancel']) assist.addEventListener(end, cancelHold);
    assist.addEventListener('click', () => {
      if (cleared) { cleared = false; return; }  // the long press already cleared it
      if (!raised()) { command('assist', undefined, assist); return; }
      confirmThen('Clear assist?', 'The room goes back to the phase’s lights and music.', clear);
    });
    emergency.onclick = () => command('emergency', undefined, emergency);
  }

  return { render, wire, levelOf, holdMs };
})();
