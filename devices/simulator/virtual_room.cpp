#include "virtual_room.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "button_dialect.hpp"
#include "light_dialect.hpp"

namespace haven::simulator {

VirtualRoom::VirtualRoom(const std::map<std::string, config::LightConfig>& lights,
                         const std::map<std::string, config::ButtonConfig>& buttons)
    : lights_(lights), buttons_(buttons) {
    for (const auto& [id, light] : lights_) {
        const auto* dialect = lights::find_light_dialect(light.driver);
        if (!dialect)
            throw std::invalid_argument("light '" + id + "': unknown driver '" + light.driver +
                                        "'");
        simulators_[id] = dialect->simulator;
        VirtualLight& device = state_[id];
        device.id = id;
        device.driver = light.driver;
    }
}

std::vector<std::string> VirtualRoom::subscriptions() const {
    std::vector<std::string> topics;
    for (const auto& [id, light] : lights_) {
        for (auto& topic : simulator_of(id).command_topics(light))
            topics.push_back(std::move(topic));
    }
    return topics;
}

std::vector<devices::DeviceMessage> VirtualRoom::announce() const {
    std::vector<devices::DeviceMessage> out;
    for (const auto& [id, light] : lights_) {
        for (auto& message : availability_of(id))
            out.push_back(std::move(message));
        for (auto& message : state_of(id))
            out.push_back(std::move(message));
    }
    return out;
}

std::vector<devices::DeviceMessage> VirtualRoom::on_message(const std::string& topic,
                                                            const std::string& payload) {
    for (const auto& [id, light] : lights_) {
        const auto topics = simulator_of(id).command_topics(light);
        if (std::find(topics.begin(), topics.end(), topic) == topics.end()) continue;
        VirtualLight& device = state_.at(id);
        if (!device.online) return {};
        auto reply = simulator_of(id).apply_command(light, device, topic, payload);
        if (!reply) return {};
        ++device.commands;
        auto out = state_of(id);
        for (auto& message : *reply)
            out.push_back(std::move(message));
        return out;
    }
    return {};
}

std::vector<devices::DeviceMessage> VirtualRoom::set_online(const std::string& light_id,
                                                            bool online) {
    auto found = state_.find(light_id);
    if (found == state_.end()) return {};
    found->second.online = online;
    auto out = availability_of(light_id);
    if (online) {
        for (auto& message : state_of(light_id))
            out.push_back(std::move(message));
    }
    return out;
}

std::optional<devices::DeviceMessage> VirtualRoom::press(const std::string& button_id,
                                                         const std::string& action) const {
    auto found = buttons_.find(button_id);
    if (found == buttons_.end()) return std::nullopt;
    const auto* dialect = buttons::find_button_dialect(found->second.driver);
    if (!dialect) return std::nullopt;
    return dialect->press_message(found->second, action);
}

std::vector<devices::DeviceMessage> VirtualRoom::state_of(const std::string& light_id) const {
    return simulator_of(light_id).state_messages(lights_.at(light_id), state_.at(light_id));
}

std::vector<devices::DeviceMessage> VirtualRoom::availability_of(
    const std::string& light_id) const {
    return {simulator_of(light_id).availability_message(lights_.at(light_id),
                                                        state_.at(light_id).online)};
}

const lights::LightSimulator& VirtualRoom::simulator_of(const std::string& light_id) const {
    return *simulators_.at(light_id);
}

std::string VirtualRoom::view() const {
    std::string out;
    for (const auto& [id, light] : state_) {
        const int filled = static_cast<int>(std::lround(light.level / 10.0));
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(10, '.');
        char line[160];
        std::snprintf(line, sizeof line, "%-12s %-12s [%s] %5.1f%%  %-6s %s\n", id.c_str(),
                      light.driver.c_str(), bar.c_str(), light.level,
                      light.kelvin ? (std::to_string(*light.kelvin) + "K").c_str() : "-",
                      light.online ? "online" : "OFFLINE");
        out += line;
    }
    return out;
}

}  // namespace haven::simulator
