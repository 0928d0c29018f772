// Reads a room's YAML file into a RoomConfig, reporting every problem with its location.
// Sections are read in dependency order (lights before scenes before templates) whatever
// their order in the file; diagnostics are sorted back into file order at the end.
#include "loader.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "config_limits.hpp"
#include "loader_parts.hpp"
#include "secret_file.hpp"

namespace haven::config {
namespace {

void read_room(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "room: {id: cedar, name: Cedar Room}")) return;
    in.check_keys(node, "room", {"id", "name"});
    in.require_keys(node, "room", {"id"});
    if (const auto& id = node["id"]; id.IsDefined()) {
        // Stricter than other ids: it becomes part of every MQTT topic of the room.
        bool valid = id.IsScalar() && !id.Scalar().empty() && id.Scalar().size() <= max_id_bytes &&
                     id.Scalar().find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
                         std::string::npos;
        if (valid)
            room.room.id = id.Scalar();
        else
            in.error(id, "expected room id of at most " + std::to_string(max_id_bytes) +
                             " characters a-z, 0-9 and '-' (it is part of MQTT topics), got " +
                             shown(id));
    }
    room.room.name = node["name"].IsDefined()
                         ? in.name(node["name"], "room name", max_name_bytes).value_or("")
                         : room.room.id;
}

bool safe_topic_part(const std::string& text) {
    return !text.empty() && text.find_first_of("+#") == std::string::npos && text.front() != '/' &&
           text.back() != '/';
}

void read_mqtt(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    auto& mqtt = room.mqtt;
    if (!in.expect_map(node, "mqtt: {host: ..., port: ...}")) return;
    in.check_keys(node, "mqtt",
                  {"host", "port", "username", "password_file", "tls", "topic_prefix", "client_id",
                   "keepalive", "home_assistant"});
    if (node["host"].IsDefined()) mqtt.host = in.text(node["host"], "host").value_or(mqtt.host);
    if (node["port"].IsDefined())
        mqtt.port =
            static_cast<int>(in.integer(node["port"], "port", 1, 65535).value_or(mqtt.port));
    if (node["username"].IsDefined()) mqtt.username = in.text(node["username"], "username");
    if (node["password_file"].IsDefined()) {
        mqtt.password_file = in.existing_file(node["password_file"], "password_file");
        if (mqtt.password_file && !read_secret_file(*mqtt.password_file))
            in.error(node["password_file"], "expected the password file '" +
                                                node["password_file"].Scalar() +
                                                "' to hold the password on its first line");
        if (!node["username"].IsDefined())
            in.error(node["password_file"], "password_file needs a username beside it");
    }
    if (const auto& tls = node["tls"];
        tls.IsDefined() &&
        in.expect_map(tls, "tls: {ca_file: ..., cert_file: ..., key_file: ...}")) {
        in.check_keys(tls, "tls", {"ca_file", "cert_file", "key_file"});
        in.require_keys(tls, "tls", {"ca_file"});
        TlsConfig config;
        if (tls["ca_file"].IsDefined())
            config.ca_file = in.existing_file(tls["ca_file"], "ca_file").value_or("");
        if (tls["cert_file"].IsDefined())
            config.cert_file = in.existing_file(tls["cert_file"], "cert_file").value_or("");
        if (tls["key_file"].IsDefined())
            config.key_file = in.existing_file(tls["key_file"], "key_file").value_or("");
        if (tls["cert_file"].IsDefined() != tls["key_file"].IsDefined())
            in.error(tls,
                     "tls needs both cert_file and key_file for a client certificate, or neither");
        mqtt.tls = config;
    }
    if (const auto& prefix = node["topic_prefix"]; prefix.IsDefined()) {
        mqtt.topic_prefix = in.text(prefix, "topic_prefix").value_or(mqtt.topic_prefix);
        if (!safe_topic_part(mqtt.topic_prefix))
            in.error(prefix, "topic_prefix must not contain '+' or '#' or start or end with '/'");
    }
    if (node["client_id"].IsDefined())
        mqtt.client_id = in.text(node["client_id"], "client_id").value_or("");
    if (node["keepalive"].IsDefined()) {
        auto keepalive = in.duration(node["keepalive"], "keepalive");
        if (keepalive && (*keepalive < Millis{5000} || *keepalive > Millis{600000}))
            in.error(node["keepalive"], "expected keepalive from 5s to 10m");
        else if (keepalive)
            mqtt.keepalive_s = static_cast<int>(keepalive->count() / 1000);
    }
    if (const auto& ha = node["home_assistant"];
        ha.IsDefined() &&
        in.expect_map(ha, "home_assistant: {discovery: true, prefix: homeassistant}")) {
        in.check_keys(ha, "home_assistant", {"discovery", "prefix", "control"});
        if (ha["discovery"].IsDefined())
            mqtt.ha_discovery = in.boolean(ha["discovery"], "discovery").value_or(false);
        if (ha["prefix"].IsDefined())
            mqtt.ha_prefix = in.text(ha["prefix"], "prefix").value_or(mqtt.ha_prefix);
        if (ha["control"].IsDefined()) {
            const auto control = in.text(ha["control"], "control").value_or("");
            if (control == "full" || control == "safe")
                mqtt.ha_full_control = control == "full";
            else if (!control.empty())
                in.error(ha["control"], "unknown control '" + control + "' " +
                                            hint_or_choices(control, {"safe", "full"}));
        }
    }
}

void read_audio(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    auto& audio = room.audio;
    if (!in.expect_map(node, "audio: {output: default, max_volume: 70, crossfade: 8s}")) return;
    in.check_keys(node, "audio", {"output", "max_volume", "crossfade"});
    if (node["output"].IsDefined())
        audio.output = in.text(node["output"], "output").value_or(audio.output);
    if (node["max_volume"].IsDefined())
        audio.max_volume = in.level(node["max_volume"], "max_volume").value_or(audio.max_volume);
    if (node["crossfade"].IsDefined())
        audio.crossfade = in.duration(node["crossfade"], "crossfade").value_or(audio.crossfade);
}

void read_playlists(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "playlists: {name: path/to/list.m3u or a folder}")) return;
    in.each_id(
        node, "playlist", [&](const std::string& id, const YAML::Node&, const YAML::Node& v) {
            PlaylistConfig playlist{.id = id};
            YAML::Node where = v;
            if (v.IsMap()) {
                in.check_keys(v, "playlist '" + id + "'", {"path", "shuffle"});
                in.require_keys(v, "playlist '" + id + "'", {"path"});
                if (v["shuffle"].IsDefined())
                    playlist.shuffle = in.boolean(v["shuffle"], "shuffle").value_or(false);
                if (!v["path"].IsDefined()) return;
                where = v["path"];
            }
            auto text = in.text(where, "a playlist file (.m3u) or folder");
            if (!text) return;
            playlist.location = in.resolve(*text);
            std::error_code ec;
            playlist.is_folder = std::filesystem::is_directory(playlist.location, ec);
            if (!playlist.is_folder && !std::filesystem::is_regular_file(playlist.location, ec)) {
                in.error(where, "playlist '" + id + "': '" + *text + "' not found (looked for " +
                                    playlist.location.string() + ")");
            } else if (!playlist.is_folder) {
                auto ext = playlist.location.extension().string();
                if (ext != ".m3u" && ext != ".m3u8")
                    in.error(where,
                             "playlist '" + id + "': expected an .m3u/.m3u8 file or a folder");
            }
            room.playlists.emplace(id, std::move(playlist));
        });
}

void read_cues(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "cues: {debounce: 1s, lights_step: 10}")) return;
    in.check_keys(node, "cues", {"debounce", "lights_step"});
    if (node["debounce"].IsDefined()) {
        auto debounce = in.duration(node["debounce"], "debounce");
        if (debounce && *debounce > Millis{10000})
            in.error(node["debounce"],
                     "expected debounce of at most 10s (longer swallows real cues)");
        else if (debounce)
            room.cues.debounce = *debounce;
    }
    if (node["lights_step"].IsDefined())
        room.cues.lights_step =
            in.level(node["lights_step"], "lights_step").value_or(room.cues.lights_step);
}

void read_fades(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "fades: {phase: 2m, assist_clear: 10s, cue: 3s}")) return;
    in.check_keys(node, "fades", {"phase", "assist_clear", "cue"});
    auto& fades = room.fades;
    if (node["phase"].IsDefined())
        fades.phase = in.duration(node["phase"], "phase").value_or(fades.phase);
    if (node["assist_clear"].IsDefined())
        fades.assist_clear =
            in.duration(node["assist_clear"], "assist_clear").value_or(fades.assist_clear);
    if (node["cue"].IsDefined()) fades.cue = in.duration(node["cue"], "cue").value_or(fades.cue);
}

void read_journal(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "journal: {retention_days: 3650}")) return;
    in.check_keys(node, "journal", {"retention_days"});
    if (node["retention_days"].IsDefined())
        room.journal.retention_days = static_cast<int>(
            in.integer(node["retention_days"], "retention_days", 30, 36500).value_or(3650));
}

const std::initializer_list<std::string_view> top_level_keys = {
    "room",   "mqtt",   "panel", "audio", "playlists", "lights",         "buttons",
    "scenes", "assist", "cues",  "fades", "journal",   "template_files", "templates"};

std::optional<YAML::Node> parse(const std::string& text, YamlReader& in) {
    try {
        if (text.size() > max_config_bytes) {
            check_config_sizes(in, text.size(), YAML::Node{});
            return std::nullopt;
        }
        auto root = YAML::Load(text);
        if (!check_config_sizes(in, text.size(), root)) return std::nullopt;
        return root;
    } catch (const YAML::ParserException& e) {
        in.error_at(e.mark, "YAML syntax: " + e.msg);
    } catch (const YAML::Exception& e) {
        in.error_at(e.mark, std::string{"YAML: "} + e.what());
    }
    return std::nullopt;
}

void read_template_files(YamlReader& in, const YAML::Node& node, RoomConfig& room,
                         Diagnostics& diagnostics, std::map<std::string, std::string>& defined_at) {
    if (!node.IsSequence()) {
        in.error(node, "expected template_files as a list of YAML files");
        return;
    }
    for (const auto& entry : node) {
        auto path = in.existing_file(entry, "template file");
        if (!path) continue;
        // Named the way the room file was named, so messages read like the tech's own paths.
        YamlReader shared{(in.file().parent_path() / entry.Scalar()).lexically_normal(),
                          diagnostics};
        auto text = read_config_text(*path, shared);
        if (!text) continue;
        auto root = parse(*text, shared);
        if (!root || !shared.expect_map(*root, "a template file: {templates: ...}")) continue;
        shared.check_keys(*root, "a template file", {"templates"});
        if ((*root)["templates"].IsDefined())
            read_templates(shared, (*root)["templates"], room, defined_at);
    }
}

void check_button_templates(YamlReader& in, const YAML::Node& root, const RoomConfig& room) {
    // A button's `start X` must name a template this room has.
    for (const auto& [id, button] : room.buttons) {
        for (const auto& [action, command] : button.actions) {
            if (command.kind == CommandKind::start && !command.argument.empty() &&
                !room.find_template(command.argument))
                in.error(root["buttons"][id]["actions"][action],
                         "button '" + id + "' starts unknown template '" + command.argument + "'");
        }
    }
}

}  // namespace

LoadResult load_room_config_from_string(const std::string& yaml, const std::filesystem::path& file,
                                        const DialectCatalogue& dialects) {
    LoadResult result;
    YamlReader in{file, result.diagnostics};
    auto parsed = parse(yaml, in);
    if (!parsed) return result;
    const YAML::Node root = *parsed;
    if (!in.expect_map(root, "a room file (room:, mqtt:, lights:, scenes:, templates: ...)"))
        return result;
    in.check_keys(root, "the room file", top_level_keys);
    in.require_keys(root, "the room file", {"room", "mqtt", "panel"});

    RoomConfig room;
    room.source_file = std::filesystem::absolute(file);
    auto section = [&](const char* key, auto read) {
        if (root[key].IsDefined()) read(in, root[key], room);
    };
    section("room", read_room);
    section("mqtt", read_mqtt);
    section("panel", read_panel);
    section("audio", read_audio);
    section("playlists", read_playlists);
    if (root["lights"].IsDefined()) read_lights(in, root["lights"], dialects.lights, room);
    if (root["buttons"].IsDefined()) read_buttons(in, root["buttons"], dialects.buttons, room);
    section("scenes", read_scenes);
    section("cues", read_cues);
    section("fades", read_fades);
    section("journal", read_journal);
    if (root["assist"].IsDefined())
        read_assist(in, root["assist"], room);
    else if (!room.lights.empty())
        in.error(root,
                 "the room file needs 'assist: {scene: ...}': the scene a therapist gets "
                 "with one tap when a patient needs help");

    std::map<std::string, std::string> template_defined_at;
    if (root["templates"].IsDefined())
        read_templates(in, root["templates"], room, template_defined_at);
    if (root["template_files"].IsDefined())
        read_template_files(in, root["template_files"], room, result.diagnostics,
                            template_defined_at);
    if (room.templates.empty() && result.diagnostics.empty())
        in.error(root, "the room has no session templates (add templates: or template_files:)");
    check_button_templates(in, root, room);
    if (room.mqtt.client_id.empty()) room.mqtt.client_id = "haven-" + room.room.id;

    std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         return std::tie(a.file, a.line, a.column) <
                                std::tie(b.file, b.line, b.column);
                     });
    if (result.diagnostics.empty()) result.config = std::move(room);
    return result;
}

LoadResult load_room_config(const std::filesystem::path& file, const DialectCatalogue& dialects) {
    std::ifstream in{file, std::ios::binary};
    std::error_code ec;
    if (!in || std::filesystem::is_directory(file, ec)) {
        LoadResult result;
        result.unreadable = true;
        result.diagnostics.push_back(Diagnostic{
            .file = file.string(), .message = "cannot read the file (missing or not permitted)"});
        return result;
    }
    LoadResult too_big;
    YamlReader errors{file, too_big.diagnostics};
    auto text = read_config_text(file, errors);
    if (!text) return too_big;
    return load_room_config_from_string(*text, file, dialects);
}

}  // namespace haven::config
