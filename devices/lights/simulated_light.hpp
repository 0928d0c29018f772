#pragma once
// The device side of a light dialect: what the vendor's firmware does with Haven's commands
// and what it publishes back. The simulator (`haven simulate-room`) and the tests play a room
// with it. Stateless (the light's state is passed in) and pure: it returns the messages.

#include <optional>
#include <string>
#include <vector>

#include "device_message.hpp"
#include "room_config.hpp"

namespace haven::lights {

struct SimulatedLight {
    double level = 0;  // percent as the device shows it; 0 when off
    std::optional<int> kelvin;
};

class LightSimulator {
  public:
    virtual ~LightSimulator() = default;

    // Where the real device listens for commands.
    virtual std::vector<std::string> command_topics(const config::LightConfig& light) const = 0;

    // Applies one command to the device; nullopt when the device would reject it. The value
    // is any reply besides the new state (Shelly's RPC response).
    virtual std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig& light, SimulatedLight& device, const std::string& topic,
        const std::string& payload) const = 0;

    // The device reporting its state, as it does after every command.
    virtual std::vector<devices::DeviceMessage> state_messages(
        const config::LightConfig& light, const SimulatedLight& device) const = 0;

    virtual devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                        bool online) const = 0;
};

}  // namespace haven::lights
