#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ from real payloads used by the tests.

Run it after changing a target's input format; the fuzzers add their own finds beside these
(scripts/fuzz.sh keeps new inputs in a scratch dir, so the repo corpus stays small).
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
SOURCE = ROOT.parent


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}").write_bytes(data)


# fuzz_command: "NAME\nPAYLOAD" (parse_command); the whole text is also read as a cue.
commands = {
    "next": "next\n", "press": "next\nPRESS", "start_plain": "start\niv-ketamine",
    "start_json": 'start\n{"template":"iv-ketamine"}', "extend_plain": "extend\n5m",
    "extend_minutes": 'extend\n{"minutes":5}', "extend_duration": 'extend\n{"duration":"1h30m"}',
    "volume": "volume\n40", "volume_json": 'volume\n{"volume":40.5}', "volume_pct": "volume\n40 %",
    "ack": 'ack\n{"reminder":"bp"}', "mark": 'mark\n{"text":"patient asked for water"}',
    "end_force": 'end\n{"force":true}', "end_plain": "end\nforce", "bad_kind": "explode\n",
    "cue_extend": "extend 5m", "cue_mark": "mark patient asked for water", "cue_end": "end force",
    "cue_volume": "volume 40", "cue_ms": "extend 1m30s250ms", "cue_ack": "ack",
}
for name, text in commands.items():
    write("fuzz_command", name, text)

# fuzz_command_pipeline: flag byte (bit 0: no UTF-8 repair, as the panel), then messages
# "NAME\nPAYLOAD" separated by NUL, run through the engine of the shipped demo room.
sessions = {
    "whole_session": [b"start\niv-ketamine", b"infusion_start\n", b"volume\n35", b"extend\n5m",
                      b"ack\nbp", b"mark\npatient asked for water", b"infusion_stop\n",
                      b"next\n", b"end\nforce"],
    "bad_byte_idle": [b"mark\n\xff", b"volume\n\xff", b"extend\n\xff", b"start\n\xff"],
    "bad_byte_running": [b"start\nesketamine-nasal", b"mark\n{\"text\":\"\xc3\x28\"}",
                         b"ack\n\xed\xa0\x80", b"\xffname\nx", b"end\n{\"force\":true}"],
    "wrong_keys": [b"start\nim-ketamine", b"end\n{\"volume\":[1,2,3]}", b"hold\n", b"resume\n",
                   b"assist\n", b"assist\n", b"end\nforce"],
}
for name, messages in sessions.items():
    for flags in (0, 1):
        write("fuzz_command_pipeline", f"{name}_{flags}", bytes([flags]) + b"\0".join(messages))

# fuzz_room_config: every room and broken config the tests load.
for path in sorted((SOURCE / "config/rooms").glob("*.yaml")) + sorted(
        (SOURCE / "tests/config/broken").glob("*.yaml")):
    write("fuzz_room_config", path.stem, path.read_bytes())

# fuzz_light_message: [dialect (+5: color_temp)] [topic index] payload. Topic order is each
# driver's subscriptions(); index past the last reads "topic\npayload".
Z2M, TASMOTA, SHELLY, WLED, HA = range(5)
lights = [
    ("z2m_state", Z2M, 0, '{"state":"ON","brightness":127,"color_temp":370,"linkquality":80}'),
    ("z2m_off", Z2M, 0, '{"state":"OFF","brightness":127}'),
    ("z2m_avail_plain", Z2M, 1, "offline"),
    ("z2m_avail_json", Z2M, 1, '{"state":"online"}'),
    ("z2m_other_topic", Z2M, 2, "room/other\n{}"),
    ("tasmota_result", TASMOTA, 0, '{"POWER":"ON","Dimmer":42}'),
    ("tasmota_state", TASMOTA + 5, 1, '{"Time":"x","POWER":"OFF","Dimmer":42,"CT":250}'),
    ("tasmota_lwt", TASMOTA, 2, "Offline"),
    ("shelly_status", SHELLY, 1, '{"id":0,"source":"rpc","output":true,"brightness":30}'),
    ("shelly_cct_status", SHELLY + 5, 1, '{"id":0,"output":true,"brightness":30,"ct":3000}'),
    ("shelly_notify", SHELLY, 2,
     '{"src":"shelly","method":"NotifyStatus","params":{"ts":1.5,"light:0":{"id":0,"output":false}}}'),
    ("shelly_online", SHELLY, 0, "true"),
    ("wled_g", WLED, 0, "255"),
    ("wled_status", WLED, 1, "offline"),
    ("ha_state", HA + 5, 0, '{"state":"ON","brightness":255,"color_temp":250}'),
    ("ha_avail", HA, 1, "online"),
]
for name, dialect, topic, payload in lights:
    write("fuzz_light_message", name, bytes([dialect, topic]) + payload.encode())

# fuzz_button_message: [topic index] payload, over the router's subscriptions() in button id
# order: bedside (stat/bedside/RESULT), script (clinic/room-1/cue), therapist
# (zigbee2mqtt/therapist), wall (wall-i4/events/rpc). Index 4 reads "topic\npayload".
buttons = [
    ("tasmota_button1", 0, '{"Button1":{"Action":"SINGLE"}}'),
    ("tasmota_button2", 0, '{"Button2":{"Action":"SINGLE"}}'),
    ("tasmota_reply", 0, '{"POWER":"ON"}'),
    ("generic_ack", 1, "ack\n"),
    ("generic_unknown", 1, "explode"),
    ("z2m_single", 2, '{"action":"single","battery":90,"linkquality":120}'),
    ("z2m_battery", 2, '{"battery":50}'),
    ("shelly_push", 3,
     '{"src":"shellyi4","dst":"shellyi4/events","method":"NotifyEvent","params":{"ts":1.2,'
     '"events":[{"component":"input:0","id":0,"event":"single_push","ts":1.2}]}}'),
    ("shelly_input1", 3,
     '{"method":"NotifyEvent","params":{"events":[{"component":"input:1","id":1,"event":"single_push"}]}}'),
    ("other_topic", 4, 'zigbee2mqtt/other\n{"action":"single"}'),
]
for name, topic, payload in buttons:
    write("fuzz_button_message", name, bytes([topic]) + payload.encode())

# fuzz_panel_request: [flags: bits 0-1 role (1 therapist, 2 tech), bit 2 refuse, bit 3
# hooks throw] then a raw HTTP/1.1 request.
HOST = "127.0.0.1:8080"


def request(method, target, body="", headers=None):
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}"]
    if method == "POST":
        lines.append(f"Origin: http://{HOST}")
        lines.append("Content-Type: application/json")
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


panel = [
    ("index", 0, request("GET", "/")),
    ("tech_page", 0, request("GET", "/tech")),
    ("static_js", 0, request("GET", "/panel.js?v=1")),
    ("dotdot", 0, request("GET", "/../CMakeLists.txt")),
    ("unlock", 0, request("POST", "/api/unlock", '{"role":"therapist","pin":"2468"}')),
    ("unlock_wrong", 0, request("POST", "/api/unlock", '{"role":"tech","pin":"0000"}')),
    ("lock", 1, request("POST", "/api/lock", "", {"Cookie": "haven_session=abc; other=1"})),
    ("session", 1, request("GET", "/api/session")),
    ("state", 1, request("GET", "/api/state")),
    ("extend", 1, request("POST", "/api/command/extend", '{"minutes":5}')),
    ("end_refused", 1 | 4, request("POST", "/api/command/end", "")),
    ("volume_bad", 1, request("POST", "/api/command/volume", "loud")),
    ("tech", 2, request("GET", "/api/tech")),
    ("tech_light", 2, request("POST", "/api/tech/light", '{"light":"lamp","level":30}')),
    ("report", 2, request("GET", "/api/report/s1?format=csv")),
    ("throwing_state", 1 | 8, request("GET", "/api/state")),
    ("chunked", 1, "POST /api/command/mark HTTP/1.1\r\nHost: " + HOST + "\r\nOrigin: http://"
     + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nwater\r\n0\r\n\r\n"),
]
for name, flags, text in panel:
    write("fuzz_panel_request", name, bytes([flags]) + text.encode())
