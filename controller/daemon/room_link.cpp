// The room's MQTT connection: what it subscribes to, and where each message goes — a command
// to the pipeline, a button press to the pipeline as a cue, a light's report to the light
// loop, Home Assistant's restart to a new discovery.
#include "client_options.hpp"
#include "daemon_impl.hpp"
#include "utf8.hpp"

namespace haven::daemon {
namespace {

mqtt::ClientOptions options_for(const config::RoomConfig& room) {
    try {
        return mqtt::client_options_for(room);
    } catch (const std::exception& e) {
        // Checked at start, so the file changed since: the room runs on, and the broker says
        // whether it takes us without one.
        spdlog::error("mqtt: {}; connecting without a password", e.what());
        auto room_without_password = room;
        room_without_password.mqtt.password_file.reset();
        return mqtt::client_options_for(room_without_password);
    }
}

}  // namespace

void RoomDaemon::Impl::start_mqtt() {
    const auto& c = config->mqtt;
    mqtt = std::make_unique<mqtt::MqttClient>(io, options_for(*config));
    mqtt->subscribe(topics.commands_filter(), 1);
    for (const auto& topic : lights.subscriptions())
        mqtt->subscribe(topic, 0);
    for (const auto& topic : buttons.subscriptions())
        mqtt->subscribe(topic, 1);
    if (c.ha_discovery) mqtt->subscribe(c.ha_prefix + "/status", 0);
    mqtt->on_connected = [this] {
        spdlog::info("mqtt: connected to {}:{}", config->mqtt.host, config->mqtt.port);
        lights.reassert();  // devices may have missed commands while we were away
        broadcaster.connected();
    };
    mqtt->on_disconnected = [this](const std::string& reason) {
        if (!stopping) spdlog::warn("mqtt: connection lost ({}); reconnecting", reason);
    };
    mqtt->on_connect_failed = [](const std::string& reason) {
        spdlog::warn("mqtt: cannot connect ({}); retrying", reason);
    };
    // The door for text from the broker (the client itself passes bytes through untouched):
    // nothing past it meets bytes that would make a later serialisation throw.
    mqtt->on_message = [this](const std::string& topic, const std::string& payload) {
        route_message(to_valid_utf8(topic), to_valid_utf8(payload));
    };
    mqtt->on_oversized = [this](const std::string& topic, std::size_t size) {
        if (refusals.first(topic, "oversized message"))
            spdlog::warn("mqtt: dropped a {}-byte message on {} (too large)", size, topic);
        // A command sender hears why nothing happened, as for any other refused command.
        if (auto name = topics.command_name(topic))
            pipeline.refuse(*name, "payload too large (" + std::to_string(size) + " bytes)",
                            "mqtt");
    };
    mqtt->on_dropped = [this](const std::string& topic, const std::string& reason) {
        if (refusals.first(topic, "publish dropped"))
            spdlog::warn("mqtt: a message to {} was dropped: {}", topic, reason);
    };
    mqtt->start();
}

void RoomDaemon::Impl::route_message(const std::string& topic, const std::string& payload) {
    if (auto name = topics.command_name(topic)) {
        auto parsed = parse_command(*name, payload);
        if (parsed.command)
            pipeline.submit(*parsed.command, CommandSource{CommandSource::Kind::mqtt, ""});
        else
            pipeline.refuse(*name, parsed.error, "mqtt");
        return;
    }
    if (config->mqtt.ha_discovery && topic == config->mqtt.ha_prefix + "/status") {
        if (payload == "online") broadcaster.republish_discovery();  // HA restarted: it forgot us
        return;
    }
    if (auto press = buttons.route(topic, payload, std::chrono::system_clock::now()); press.cue) {
        pipeline.submit(press.cue->first, press.cue->second);
        return;
    } else if (!press.ignored.empty()) {
        if (refusals.first(topic, "button message ignored"))
            spdlog::warn("buttons: ignored a message on {}: {}", topic, press.ignored);
    }
    if (auto ignored = lights.on_message(topic, payload); !ignored.empty())
        spdlog::debug("lights: ignored a message on {}: {}", topic, ignored);
}

}  // namespace haven::daemon
