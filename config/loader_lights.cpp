// lights:, buttons:, scenes: and assist: — the room's devices and the looks built from them.
#include <vector>

#include "loader_parts.hpp"

namespace haven::config {
namespace {

const std::initializer_list<std::string_view> light_drivers = {"zigbee2mqtt", "tasmota",
                                                               "shelly-gen2", "wled", "ha-json"};
const std::initializer_list<std::string_view> button_drivers = {"zigbee2mqtt", "tasmota",
                                                                "shelly-gen2", "generic"};

std::optional<std::string> one_of(YamlReader& in, const YAML::Node& node, std::string_view what,
                                  std::initializer_list<std::string_view> allowed) {
    auto value = in.text(node, what);
    if (!value) return std::nullopt;
    for (auto name : allowed)
        if (name == *value) return value;
    in.error(node, "unknown " + std::string{what} + " '" + *value + "' " +
                       hint_or_choices(*value, allowed));
    return std::nullopt;
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

void read_lights(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "lights")) return;
    in.each_id(node, "light", [&](const std::string& id, const YAML::Node&, const YAML::Node& v) {
        if (!in.expect_map(v, "a light: {driver: ..., topic: ...}")) return;
        in.check_keys(v, "light '" + id + "'", {"driver", "topic", "color_temp", "min_level"});
        in.require_keys(v, "light '" + id + "'", {"driver", "topic"});
        LightConfig light{.id = id};
        bool ok = true;
        if (v["driver"].IsDefined()) {
            auto driver = one_of(in, v["driver"], "light driver", light_drivers);
            ok = ok && driver;
            light.driver = driver.value_or("");
        }
        if (v["topic"].IsDefined()) {
            auto topic = in.text(v["topic"], "topic");
            ok = ok && topic;
            light.topic = topic.value_or("");
        }
        if (v["color_temp"].IsDefined())
            light.color_temp = in.boolean(v["color_temp"], "color_temp").value_or(false);
        if (v["min_level"].IsDefined())
            light.min_level = in.level(v["min_level"], "min_level").value_or(light.min_level);
        room.lights.emplace(id, std::move(light));
    });
}

void read_buttons(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "buttons")) return;
    in.each_id(node, "button", [&](const std::string& id, const YAML::Node&, const YAML::Node& v) {
        if (!in.expect_map(v, "a button: {driver: ..., topic: ..., actions: ...}")) return;
        in.check_keys(v, "button '" + id + "'", {"driver", "topic", "actions"});
        in.require_keys(v, "button '" + id + "'", {"driver", "topic", "actions"});
        ButtonConfig button{.id = id};
        if (v["driver"].IsDefined())
            button.driver = one_of(in, v["driver"], "button driver", button_drivers).value_or("");
        if (v["topic"].IsDefined()) button.topic = in.text(v["topic"], "topic").value_or("");
        if (const auto& actions = v["actions"];
            actions.IsDefined() && in.expect_map(actions, "actions: {single: next, ...}")) {
            for (const auto& action : actions) {
                auto name = in.text(action.first, "button action");
                auto cue = in.text(action.second, "a cue (next, extend 5m, assist, ...)");
                if (!name || !cue) continue;
                auto parsed = parse_cue(*cue);
                if (!parsed.command) {
                    in.error(action.second, parsed.error);
                    continue;
                }
                if (!button.actions.emplace(*name, *parsed.command).second)
                    in.error(action.first, "button action '" + *name + "' given twice");
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

void read_assist(YamlReader& in, const YAML::Node& node, RoomConfig& room) {
    if (!in.expect_map(node, "assist")) return;
    in.check_keys(node, "assist", {"scene", "fade", "duck_music_to"});
    in.require_keys(node, "assist", {"scene"});
    if (const auto& scene = node["scene"]; scene.IsDefined()) {
        if (auto id = in.text(scene, "assist scene")) {
            if (!room.find_scene(*id)) {
                std::string hint = did_you_mean(*id, keys_of(room.scenes));
                in.error(scene,
                         "unknown scene '" + *id + "'" + (hint.empty() ? "" : " (" + hint + ")"));
            }
            room.assist.scene = *id;
        }
    }
    if (node["fade"].IsDefined())
        room.assist.fade = in.duration(node["fade"], "assist fade").value_or(room.assist.fade);
    if (node["duck_music_to"].IsDefined())
        room.assist.duck_music_to =
            in.level(node["duck_music_to"], "duck_music_to").value_or(room.assist.duck_music_to);
}

}  // namespace haven::config
