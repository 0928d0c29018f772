// The reminder chime: a soft two-note tone on the wall panel's own speaker (Web Audio in this
// page), never the room's music output: the patient hears the room's speakers, the therapist
// the tablet. Only reminders configured with `chime: true` ring (off by default), and the
// level is capped: a notice for the therapist, not an alarm in a dissociating patient's ear.
'use strict';

const HavenChime = (() => {
  const maxGain = 0.12;  // of full scale; each note fades in, so it never clicks
  let context = null;
  let played = 0;

  // Browsers let a page make sound only after a tap; any tap on the panel (the PIN keypad
  // first) arms it.
  function arm() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!context && Context) context = new Context();
    if (context && context.state === 'suspended') context.resume();
  }

  function note(frequency, start, length) {
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(maxGain, start + 0.06);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    tone.connect(gain).connect(context.destination);
    tone.start(start);
    tone.stop(start + length + 0.05);
  }

  function play() {
    if (!context) return false;  // never tapped: the banner alone must do
    const now = context.currentTime;
    note(659.25, now, 1.2);  // E5, then A5: a rising, unhurried interval
    note(880, now + 0.35, 1.6);
    played += 1;
    return true;
  }

  document.addEventListener('pointerdown', arm, { passive: true });
  document.addEventListener('keydown', arm, { passive: true });
  return { arm, play, maxGain, played: () => played };
})();
