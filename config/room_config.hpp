#pragma once
// The validated model of one room's YAML file. Everything downstream (engine, devices,
// panel) reads these plain structs; only loader.cpp knows about YAML.
// Levels are percent 0..100, durations are milliseconds, colour temperature is kelvin.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "units.hpp"

namespace haven::config {

struct RoomInfo {
    std::string id;    // [a-z0-9-]+, used in MQTT topics
    std::string name;  // shown on the panel
};

struct TlsConfig {
    std::filesystem::path ca_file;
    std::filesystem::path cert_file;  // optional (client certificate)
    std::filesystem::path key_file;   // optional
};

struct MqttConfig {
    std::string host = "127.0.0.1";
    int port = 1883;
    std::optional<std::string> username;
    std::optional<std::filesystem::path> password_file;  // secret: read at connect, never logged
    std::optional<TlsConfig> tls;
    std::string topic_prefix = "haven";
    std::string client_id;  // default "haven-<room id>": fixed, so the broker keeps our session
    int keepalive_s = 30;
    bool ha_discovery = false;
    std::string ha_prefix = "homeassistant";
    // `home_assistant: {control: full}`: HA also gets end, infusion and next buttons. Off by
    // default: an HA button press has no confirmation, and those change the session's record.
    bool ha_full_control = false;
};

// The panel serves HTTPS with this certificate and key (PEM) when set.
struct PanelTlsConfig {
    std::filesystem::path cert_file;
    std::filesystem::path key_file;
};

struct PanelConfig {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    std::filesystem::path therapist_pin_file;
    std::filesystem::path tech_pin_file;
    // Host names a browser may use to reach the panel; empty: localhost and this machine's
    // names (see docs/panel.md). IP literals are always accepted.
    std::vector<std::string> allowed_hosts;
    std::optional<PanelTlsConfig> tls;
};

struct AudioConfig {
    std::string output = "default";  // a JACK client, a PortAudio device name, or "none"
    double max_volume = 70;          // caps every gain, 0..100
    Millis crossfade{8000};
};

struct PlaylistConfig {
    std::string id;
    std::filesystem::path location;  // absolute; an .m3u/.m3u8 file or a folder
    bool is_folder = false;
    bool shuffle = false;
};

// How Haven's levels become the device's. `lightness`: the device's level is linear in light
// output (PWM duty), so Haven fades evenly in CIE L*. `linear`: the device already maps its
// level perceptually (Tasmota's LedTable), so Haven sends its levels and fades as they are;
// correcting twice would keep fades dark too long.
enum class LightCurve { lightness, linear };

// The colour temperatures of a tunable-white strip's warm and cold channels (WLED takes its
// colour temperature as a position 0..255 between them).
struct WhiteRange {
    int warm_kelvin = 2700;
    int cold_kelvin = 6500;
    bool operator==(const WhiteRange&) const = default;
};

// Home Assistant's MQTT JSON light schema as a device speaks it (ha-json, esphome). Empty or
// unset: the dialect's own (ha-json: <topic>/set, <topic>, <topic>/availability, 0..255,
// mireds).
struct JsonSchemaOptions {
    std::optional<int> brightness_scale;
    std::optional<bool> color_temp_kelvin;  // HA's color_temp_kelvin: kelvin instead of mireds
    std::string command_topic;
    std::string state_topic;
    std::string availability_topic;
    bool operator==(const JsonSchemaOptions&) const = default;
};

struct LightConfig {
    std::string id;
    std::string driver;  // a light dialect's name (devices/lights/light_dialects.cpp)
    std::string topic;
    bool color_temp = false;
    double min_level =
        1;  // lowest visible level in percent; any level > 0 is sent as at least this
    std::optional<LightCurve> curve;  // unset: the dialect's default (light_dialects.cpp)
    WhiteRange white_range;           // wled only
    std::optional<int> segment;       // wled: this light is one segment of the strip
    int channel = 0;        // shelly-gen1/gen2: the output's index (a Pro Dimmer 2PM's second is 1)
    std::string component;  // shelly-gen1: "light" (default) or "white" (RGBW2 in white mode)
    JsonSchemaOptions json_schema;  // ha-json and esphome
};

struct ButtonConfig {
    std::string id;
    std::string driver;  // a button dialect's name (devices/buttons/button_dialects.cpp)
    std::string topic;
    std::map<std::string, Command> actions;  // vendor action (or generic payload) -> cue
};

struct LightTarget {
    double level = 0;           // percent
    std::optional<int> kelvin;  // only for lights with color_temp
    bool operator==(const LightTarget&) const = default;
};

struct Scene {
    std::string id;
    std::map<std::string, LightTarget>
        lights;  // light id -> target; unnamed lights keep their level
};

// The emergency level of assist: full light at once, music faded out (to volume 0, so that
// clearing brings it back). Unset in the room file: the calm level's scene, 1 s, 2 s.
struct EmergencyConfig {
    std::string scene;
    Millis fade{1000};        // at most 1 s: the loader refuses more
    Millis music_fade{2000};  // music down to silence over this
};

// Two levels. Calm (`assist`) must not startle a patient in an emergence reaction: warm
// light over ~5 s and the music ducked. Emergency is the one that may be abrupt.
struct AssistConfig {
    std::string scene;
    Millis fade{5000};
    double duck_music_to = 30;  // volume percent while calm assist is raised
    EmergencyConfig emergency;  // the loader fills an unset one from the calm level's scene
};

struct CueConfig {
    Millis debounce{1000};    // identical cues from one source closer than this are swallowed
    double lights_step = 10;  // lights_up / lights_down step, percent points
};

struct FadeDefaults {
    Millis phase{120000};        // scene fade at a phase change when the phase names none
    Millis assist_clear{10000};  // from the assist scene back to the phase's scene
    Millis cue{3000};            // lights_up / lights_down and volume changes
};

enum class Anchor { infusion_start, infusion_stop };

struct AnchorPoint {
    Anchor event = Anchor::infusion_start;
    Millis offset{0};  // "infusion_stop + 30m"
    bool operator==(const AnchorPoint&) const = default;
};

struct SceneChange {
    std::string scene;
    std::optional<Millis> fade;  // default: FadeDefaults::phase
};

struct MusicChange {
    std::optional<std::string> playlist;  // empty: keep the current playlist
    std::optional<double> volume;         // empty: keep the current volume
};

struct Phase {
    std::string id;
    std::optional<SceneChange> scene;
    std::optional<MusicChange> music;
    std::optional<Millis> duration;
    std::optional<AnchorPoint> until;  // with duration too: whichever comes first
};

struct Reminder {
    std::string id;
    std::string text;
    Millis every{0};
    AnchorPoint from;
    std::optional<AnchorPoint> until;  // empty: until the session ends
    bool chime = false;
};

struct EndSpec {
    std::optional<std::string> scene;
    Millis fade{120000};
    Millis music_fade{30000};
};

struct SessionTemplate {
    std::string id;
    std::string name;
    std::vector<Phase> phases;
    std::vector<Reminder> reminders;
    EndSpec end;
    Millis min_observation{0};  // from infusion start; `end` earlier is refused unless forced
};

struct JournalConfig {
    int retention_days = 3650;  // ended sessions older than this are pruned, each one logged
};

struct RoomConfig {
    std::filesystem::path source_file;
    RoomInfo room;
    MqttConfig mqtt;
    PanelConfig panel;
    AudioConfig audio;
    CueConfig cues;
    FadeDefaults fades;
    std::map<std::string, PlaylistConfig> playlists;
    std::map<std::string, LightConfig> lights;
    std::map<std::string, ButtonConfig> buttons;
    std::map<std::string, Scene> scenes;
    AssistConfig assist;
    std::map<std::string, SessionTemplate> templates;
    JournalConfig journal;

    const SessionTemplate* find_template(const std::string& id) const;
    const Scene* find_scene(const std::string& id) const;
};

}  // namespace haven::config
