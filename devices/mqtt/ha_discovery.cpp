#include "ha_discovery.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "json_text.hpp"
#include "room_topics.hpp"

namespace haven::mqtt {

namespace {

using nlohmann::json;

using Topics = config::RoomTopics;

std::string device_id(const config::RoomConfig& room) {
    return "haven_" + room.room.id;
}

std::string discovery_topic(const config::RoomConfig& room) {
    return room.mqtt.ha_prefix + "/device/" + device_id(room) + "/config";
}

// `session` is null between sessions; every template guards against that.
std::string session_field(std::string_view field, std::string_view idle) {
    return "{{ value_json.session." + std::string(field) + " if value_json.session else '" +
           std::string(idle) + "' }}";
}

json sensor(std::string_view name, const Topics& topics, std::string template_text) {
    return {{"p", "sensor"},
            {"name", name},
            {"stat_t", topics.state()},
            {"val_tpl", std::move(template_text)}};
}

json button(std::string_view name, const Topics& topics, std::string_view command,
            std::string_view press = "PRESS") {
    return {{"p", "button"}, {"name", name}, {"cmd_t", topics.command(command)}, {"pl_prs", press}};
}

void add(json& components, const std::string& device, std::string_view key, json component) {
    const std::string unique_id = device + "_" + std::string(key);
    component["uniq_id"] = unique_id;
    components[unique_id] = std::move(component);
}

json components_for(const config::RoomConfig& room, const Topics& topics) {
    const std::string device = device_id(room);
    json components = json::object();
    add(components, device, "phase", sensor("Phase", topics, session_field("phase", "idle")));
    auto remaining = sensor("Time remaining", topics, session_field("phase_remaining_s", "None"));
    remaining["dev_cla"] = "duration";
    remaining["unit_of_meas"] = "s";
    add(components, device, "time_remaining", std::move(remaining));
    add(components, device, "infusion",
        sensor("Infusion", topics, session_field("infusion", "none")));
    add(components, device, "next_reminder",
        sensor("Next reminder", topics, session_field("next_reminder", "none")));

    // Anything a tech must act on (the journal cannot be written...), as one problem sensor
    // an automation can alert on; the text of each alarm is in the state's `alarms`.
    add(components, device, "alarm",
        {{"p", "binary_sensor"},
         {"name", "Alarm"},
         {"dev_cla", "problem"},
         {"stat_t", topics.state()},
         {"val_tpl", "{{ 'ON' if value_json.alarms else 'OFF' }}"},
         {"pl_on", "ON"},
         {"pl_off", "OFF"}});

    // Assist as HA sees it: on at either level, the level ("calm", "emergency") as an
    // attribute for automations that page someone only for an emergency. It reads the room's
    // retained state document, so it is right as soon as HA subscribes. (Its key is not
    // "assist": that unique id has always been the button, and HA keeps entities by it.)
    add(components, device, "assist_state",
        {{"p", "binary_sensor"},
         {"name", "Assist"},
         {"stat_t", topics.state()},
         {"val_tpl", "{{ 'ON' if value_json.session and value_json.session.assist else 'OFF' }}"},
         {"pl_on", "ON"},
         {"pl_off", "OFF"},
         {"json_attr_t", topics.state()},
         {"json_attr_tpl",
          "{{ {'level': value_json.session.assist_level if value_json.session else 'none'} "
          "| tojson }}"}});

    // One start button per template: a button press carries no argument, and a select that
    // started a session on change would be one mis-tap away from starting the wrong one.
    for (const auto& [id, session_template] : room.templates) {
        const std::string label = session_template.name.empty() ? id : session_template.name;
        add(components, device, "start_" + id, button("Start " + label, topics, "start", id));
    }
    // Both assist levels stay one tap away; clearing is a decision made in the room (a long
    // press or a confirmation on the panel), so there is no clear button.
    add(components, device, "assist", button("Assist", topics, "assist"));
    add(components, device, "emergency", button("Emergency assist", topics, "emergency"));
    // An HA button has no confirmation and sits on dashboards anyone may tap: ending a
    // session, marking the infusion (which moves the observation clock and every check) or
    // skipping a phase from there is an explicit choice, `home_assistant: {control: full}`.
    if (room.mqtt.ha_full_control) {
        add(components, device, "end", button("End session", topics, "end"));
        add(components, device, "infusion_start",
            button("Infusion start", topics, "infusion_start"));
        add(components, device, "infusion_pause",
            button("Infusion pause", topics, "infusion_pause"));
        add(components, device, "infusion_resume",
            button("Infusion resume", topics, "infusion_resume"));
        add(components, device, "infusion_stop", button("Infusion stop", topics, "infusion_stop"));
        add(components, device, "next", button("Next phase", topics, "next"));
    }

    add(components, device, "volume",
        {{"p", "number"},
         {"name", "Volume"},
         {"cmd_t", topics.command("volume")},
         {"stat_t", topics.state()},
         {"val_tpl", "{{ value_json.audio.volume }}"},
         {"min", 0},
         {"max", room.audio.max_volume},
         {"step", 1},
         {"unit_of_meas", "%"},
         {"mode", "slider"}});
    return components;
}

}  // namespace

std::vector<devices::DeviceMessage> home_assistant_discovery(const config::RoomConfig& room,
                                                             std::string_view version) {
    const auto topics = Topics::of(room);
    const json device = {{"ids", json::array({device_id(room)})},
                         {"name", room.room.name.empty() ? room.room.id : room.room.name},
                         {"mf", "Haven"},
                         {"mdl", "Room controller"},
                         {"sw", version}};
    const json payload = {{"dev", device},
                          {"o", {{"name", "haven"}, {"sw", version}}},
                          {"avty_t", topics.status()},
                          {"pl_avail", "online"},
                          {"pl_not_avail", "offline"},
                          {"qos", 1},
                          {"cmps", components_for(room, topics)}};
    return {devices::DeviceMessage{discovery_topic(room), json_text(payload), 1, true}};
}

std::vector<devices::DeviceMessage> home_assistant_removal(const config::RoomConfig& room) {
    return {devices::DeviceMessage{discovery_topic(room), "", 1, true}};
}

}  // namespace haven::mqtt
