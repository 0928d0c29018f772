#pragma once
// What each dialect's real device does, seen from the device side. Internal to
// haven_simulator; the dialects mirror devices/lights and devices/buttons.

#include <optional>
#include <string>
#include <vector>

#include "device_message.hpp"
#include "room_config.hpp"
#include "virtual_room.hpp"

namespace haven::simulator {

std::vector<std::string> command_topics(const config::LightConfig& light);

// Applies one command to the device; nullopt when the device would reject it. The value is
// any extra reply besides the new state (Shelly's RPC response).
std::optional<std::vector<devices::DeviceMessage>> apply_command(const config::LightConfig& light,
                                                                 VirtualLight& device,
                                                                 const std::string& topic,
                                                                 const std::string& payload);

std::vector<devices::DeviceMessage> state_messages(const config::LightConfig& light,
                                                   const VirtualLight& device);
devices::DeviceMessage availability_message(const config::LightConfig& light, bool online);

std::optional<devices::DeviceMessage> press_message(const config::ButtonConfig& button,
                                                    const std::string& action);

}  // namespace haven::simulator
