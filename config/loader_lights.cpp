// lights:, buttons:, scenes: and assist: — the room's devices and the looks built from them.
#include <algorithm>
#include <span>
#include <vector>

#include "loader_parts.hpp"
#include "text_case.hpp"

namespace haven::config {
namespace {

// The keys every light and every button has, whatever its dialect; the dialect's entry
// adds its own.
constexpr std::string_view light_keys[] = {"driver", "topic"};
constexpr std::string_view button_keys[] = {"driver", "topic", "actions"};

// The dialect `driver:` names; nullptr (and a diagnostic with "did you mean") for none.
const DialectEntry* read_dialect(YamlReader& in, const YAML::Node& node, std::string_view what,
                                 const std::vector<DialectEntry>& dialects) {
    auto value = in.text(node, what);
    if (!value) return nullptr;
    std::vector<std::string_view> names;
    for (const auto& dialect : dialects) {
        if (dialect.name == *value) return &dialect;
        names.push_back(dialect.name);
    }
    in.error(node, "unknown " + std::string{what} + " '" + *value + "' " +
                       hint_or_choices(*value, names));
    return nullptr;
}

// The keys a device may have: its kind's, then its dialect's. Without a known dialect, every
// dialect's, so a misspelt key is still reported beside the misspelt driver.
std::vector<std::string_view> accepted_keys(std::span<const std::string_view> common,
                                            const DialectEntry* dialect,
                                            const std::vector<DialectEntry>& dialects) {
    std::vector<std::string_view> keys(common.begin(), common.end());
    const auto add = [&](const DialectEntry& entry) {
        for (auto key : entry.keys)
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    };
    if (dialect) {
        add(*dialect);
        return keys;
    }
    for (const auto& entry : dialects)
        add(entry);
    return keys;
}

// Reads `driver:` (when given) and checks the device's keys against its dialect.
const DialectEntry* read_driver_and_keys(YamlReader& in, const YAML::Node& v, std::string_view kind,
                                         const std::string& id,
                                         std::span<const std::string_view> common,
                                         const std::vector<DialectEntry>& dialects) {
    const DialectEntry* dialect = nullptr;
    if (v["driver"].IsDefined())
        dialect = read_dialect(in, v["driver"], std::string{kind} + " driver", dialects);
    const std::string what = std::string{kind} + " '" + id + "'";
    in.check_keys(v, what, accepted_keys(common, dialect, dialects));
    in.require_keys(v, what, common);
    return dialect;
}

// ha-json's own keys: how the device's JSON schema is set up.
void read_json_schema_options(YamlReader& in, const YAML::Node& v, JsonSchemaOptions& options) {
    if (v["brightness_scale"].IsDefined())
        options.brightness_scale = static_cast<int>(
            in.integer(v["brightness_scale"], "brightness_scale", 1, 65535).value_or(255));
    if (v["color_temp_kelvin"].IsDefined())
        options.color_temp_kelvin = in.boolean(v["color_temp_kelvin"], "color_temp_kelvin");
    for (auto [key, field] : {std::pair{"command_topic", &options.command_topic},
                              std::pair{"state_topic", &options.state_topic},
                              std::pair{"availability_topic", &options.availability_topic}})
        if (v[key].IsDefined()) *field = in.text(v[key], key).value_or("");
}

// white_range: [2700K, 6500K], warm first.
void read_white_range(YamlReader& in, const YAML::Node& node, LightConfig& light) {
    if (!node.IsSequence() || node.size() != 2) {
        in.error(node, "expected white_range as [warm, cold] in kelvin, e.g. [2700K, 6500K]");
        return;
    }
    auto warm = in.kelvin(node[0], "the warm end of white_range");
    auto cold = in.kelvin(node[1], "the cold end of white_range");
    if (!warm || !cold) return;
    if (*warm >= *cold) {
        in.error(node, "expected white_range as [warm, cold] with warm below cold, got [" +
                           std::to_string(*warm) + "K, " + std::to_string(*cold) + "K]");
        return;
    }
    light.white_range = {.warm_kelvin = *warm, .cold_kelvin = *cold};
}

std::optional<LightTarget> read_target(YamlReader& in, const YAML::Node& node,
                                       const LightConfig& light) {
    LightTarget target;
    if (node.IsScalar()) {
        auto level = in.level(node, "the light's level");
        if (!level) return std::nullopt;
        target.level = *level;
        return target;
    }
    if (!in.expect_map(node, "a level (40) or {level: 40, kelvin: 2700}")) return std::nullopt;
    in.check_keys(node, "a scene's light", {"level", "kelvin"});
    in.require_keys(node, "a scene's light", {"level"});
    bool ok = true;
    if (const auto& level = node["level"]; level.IsDefined()) {
        auto value = in.level(level, "level");
        ok = ok && value.has_value();
        target.level = value.value_or(0);
    }
    if (const auto& kelvin = node["kelvin"]; kelvin.IsDefined()) {
        if (!light.color_temp) {
            in.error(kelvin, "light '" + light.id +
                                 "' has no colour temperature (set color_temp: true on it "
                                 "if it has one)");
            ok = false;
        } else if (auto value = in.kelvin(kelvin, "kelvin")) {
            target.kelvin = *value;
        } else {
            ok = false;
        }
    }
    return ok ? std::optional{target} : std::nullopt;
}

}  // namespace

void read_lights(YamlReader& in, const YAML::Node& node, const std::vector<DialectEntry>& dialects,
                 RoomConfig& room) {
    if (!in.expect_map(node, "lights")) return;
    in.each_id(node, "light", [&](const std::string& id, const YAML::Node&, const YAML::Node& v) {
        if (!in.expect_map(v, "a light: {driver: ..., topic: ...}")) return;
        const auto* dialect = read_driver_and_keys(in, v, "light", id, light_keys, dialects);
        LightConfig light{.id = id};
        if (dialect) light.driver = dialect->name;
        if (v["topic"].IsDefined()) light.topic = in.text(v["topic"], "topic").value_or("");
        if (v["color_temp"].IsDefined())
            light.color_temp = in.boolean(v["color_temp"], "color_temp").value_or(false);
        if (v["min_level"].IsDefined())
            light.min_level = in.level(v["min_level"], "min_level").value_or(light.min_level);
        read_json_schema_options(in, v, light.json_schema);
        if (const auto& component = v["component"]; component.IsDefined()) {
            if (component.IsScalar() &&
                (component.Scalar() == "light" || component.Scalar() == "white"))
                light.component = component.Scalar();
            else
                in.error(component,
                         "expected component as light (Dimmer 2, Duo) or white "
                         "(RGBW2 in white mode), got " +
                             shown(component));
        }
        if (v["segment"].IsDefined())
            light.segment =
                static_cast<int>(in.integer(v["segment"], "segment", 0, 31).value_or(0));
        if (v["channel"].IsDefined())
            light.channel =
                static_cast<int>(in.integer(v["channel"], "channel", 0, 15).value_or(0));
        if (const auto& range = v["white_range"]; range.IsDefined())
            read_white_range(in, range, light);
        if (const auto& curve = v["curve"]; curve.IsDefined()) {
            if (curve.IsScalar() && curve.Scalar() == "lightness")
                light.curve = LightCurve::lightness;
            else if (curve.IsScalar() && curve.Scalar() == "linear")
                light.curve = LightCurve::linear;
            else
                in.error(curve,
                         "expected curve as lightness (Haven evens fades out in CIE L*) "
                         "or linear (the device already does), got " +
                             shown(curve));
        }
        room.lights.emplace(id, std::move(light));
    });
}

void read_buttons(YamlReader& in, const YAML::Node& node, const std::vector<DialectEntry>& dialects,
                  RoomConfig& room) {
    if (!in.expect_map(node, "buttons")) return;
    in.each_id(node, "button", [&](const std::string& id, const YAML::Node&, const YAML::Node& v) {
        if (!in.expect_map(v, "a button: {driver: ..., topic: ..., actions: ...}")) return;
        const auto* dialect = read_driver_and_keys(in, v, "button", id, button_keys, dialects);
        ButtonConfig button{.id = id};
        if (dialect) button.driver = dialect->name;
        if (v["topic"].IsDefined()) button.topic = in.text(v["topic"], "topic").value_or("");
        if (const auto& actions = v["actions"];
            actions.IsDefined() && in.expect_map(actions, "actions: {single: next, ...}")) {
            for (const auto& action : actions) {
                auto given = in.text(action.first, "button action");
                auto cue = in.text(action.second, "a cue (next, extend 5m, assist, ...)");
                if (!given || !cue) continue;
                // Devices differ in case (Tasmota says SINGLE, Zigbee2MQTT single): action
                // names are matched without it, so SINGLE and single are the same action.
                const std::string name = ascii_lower(*given);
                auto parsed = parse_cue(*cue);
                if (!parsed.command) {
                    in.error(action.second, parsed.error);
                    continue;
                }
                if (!button.actions.emplace(name, *parsed.command).second)
                    in.error(action.first, "button action '" + *given +
                                               "' given twice (action names ignore case)");
            }
        }
        room.buttons.emplace(id, std::move(button));
    });
}

void read_scenes(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "scenes")) return;
    const auto light_ids = keys_of(room.lights);
    in.each_id(node, "scene", [&](const std::string& id, const YAML::Node&, const YAML::Node& v) {
        if (!in.expect_map(v, "a scene: {light: level, ...}")) return;
        Scene scene{.id = id};
        for (const auto& entry : v) {
            auto light_id = in.text(entry.first, "a light id");
            if (!light_id) continue;
            auto light = room.lights.find(*light_id);
            if (light == room.lights.end()) {
                std::string hint = did_you_mean(*light_id, light_ids);
                in.error(entry.first, "scene '" + id + "' names unknown light '" + *light_id + "'" +
                                          (hint.empty() ? "" : " (" + hint + ")"));
                continue;
            }
            if (scene.lights.contains(*light_id)) {
                in.error(entry.first,
                         "light '" + *light_id + "' given twice in scene '" + id + "'");
                continue;
            }
            if (auto target = read_target(in, entry.second, light->second))
                scene.lights.emplace(*light_id, *target);
        }
        room.scenes.emplace(id, std::move(scene));
    });
}

namespace {

std::optional<std::string> read_scene_ref(YamlReader& in, const YAML::Node& scene,
                                          const RoomConfig& room, const std::string& what) {
    auto id = in.text(scene, what);
    if (id && !room.find_scene(*id)) {
        std::string hint = did_you_mean(*id, keys_of(room.scenes));
        in.error(scene, "unknown scene '" + *id + "'" + (hint.empty() ? "" : " (" + hint + ")"));
    }
    return id;
}

// The emergency level promises full light within a second; a slower fade would break that
// promise in the one moment it matters, so it is refused rather than clamped.
constexpr Millis max_emergency_fade{1000};

void read_emergency(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    auto& e = room.assist.emergency;
    if (!in.expect_map(node, "emergency: {scene: full, fade: 1s, music_fade: 2s}")) return;
    in.check_keys(node, "emergency", {"scene", "fade", "music_fade"});
    in.require_keys(node, "emergency", {"scene"});
    if (node["scene"].IsDefined())
        e.scene = read_scene_ref(in, node["scene"], room, "emergency scene").value_or(e.scene);
    if (const auto& fade = node["fade"]; fade.IsDefined()) {
        e.fade = in.duration(fade, "emergency fade").value_or(e.fade);
        if (e.fade > max_emergency_fade)
            in.error(fade,
                     "the emergency fade must be at most 1s: it is the level that brings "
                     "full light at once (the calm level's fade is assist: fade:)");
    }
    if (node["music_fade"].IsDefined())
        e.music_fade =
            in.duration(node["music_fade"], "emergency music_fade").value_or(e.music_fade);
}

}  // namespace

void read_assist(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "assist")) return;
    in.check_keys(node, "assist", {"scene", "fade", "duck_music_to", "emergency"});
    in.require_keys(node, "assist", {"scene"});
    if (node["scene"].IsDefined())
        room.assist.scene =
            read_scene_ref(in, node["scene"], room, "assist scene").value_or(room.assist.scene);
    if (node["fade"].IsDefined())
        room.assist.fade = in.duration(node["fade"], "assist fade").value_or(room.assist.fade);
    if (node["duck_music_to"].IsDefined())
        room.assist.duck_music_to =
            in.level(node["duck_music_to"], "duck_music_to").value_or(room.assist.duck_music_to);
    // A room file from before the two levels stays valid: its one scene serves both.
    room.assist.emergency.scene = room.assist.scene;
    if (node["emergency"].IsDefined()) read_emergency(in, node["emergency"], room);
}

}  // namespace haven::config
