#pragma once
// The device side of a room: plays every configured light and button as the real device
// would, for `haven simulate-room`, the demo and integration tests. Pure: it takes the
// commands Haven sent and returns the state/availability/press messages the devices would
// publish. Single-threaded; the runner serialises calls.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "device_message.hpp"
#include "room_config.hpp"
#include "simulated_light.hpp"

namespace haven::simulator {

// A light's level and kelvin as its dialect's simulated device keeps them, and what the
// room adds around it.
struct VirtualLight : lights::SimulatedLight {
    std::string id;
    std::string driver;
    bool online = true;
    int commands = 0;  // commands received, for the live view and tests
};

class VirtualRoom {
  public:
    // Each device plays its dialect's registry row. Throws std::invalid_argument for a light
    // with an unknown driver (the config loader refuses those before we get here).
    VirtualRoom(const std::map<std::string, config::LightConfig>& lights,
                const std::map<std::string, config::ButtonConfig>& buttons);

    // The command topics of every light (what a real device listens on).
    std::vector<std::string> subscriptions() const;

    // Every light announcing itself: availability "online" (retained) and its state.
    std::vector<devices::DeviceMessage> announce() const;

    // One command from Haven; returns what the device publishes in reply (its new state,
    // Shelly's RPC response). Malformed commands and commands to offline lights: nothing.
    std::vector<devices::DeviceMessage> on_message(const std::string& topic,
                                                   const std::string& payload);

    // A light dropping off the network or returning: its availability (and state) messages.
    // Empty for an unknown light id.
    std::vector<devices::DeviceMessage> set_online(const std::string& light_id, bool online);

    // The message a button's press sends for an action name as the router reads it (e.g.
    // "single", "button2_double", "input1_long_push"); empty for an unknown button.
    std::optional<devices::DeviceMessage> press(const std::string& button_id,
                                                const std::string& action) const;

    const std::map<std::string, VirtualLight>& lights() const { return state_; }

    // One line per light: "ceiling   zigbee2mqtt  ####......  42.0%  2700K  online".
    std::string view() const;

  private:
    std::vector<devices::DeviceMessage> state_of(const std::string& light_id) const;
    std::vector<devices::DeviceMessage> availability_of(const std::string& light_id) const;
    const lights::LightSimulator& simulator_of(const std::string& light_id) const;

    std::map<std::string, config::LightConfig> lights_;
    std::map<std::string, config::ButtonConfig> buttons_;
    std::map<std::string, VirtualLight> state_;
    std::map<std::string, const lights::LightSimulator*> simulators_;
};

}  // namespace haven::simulator
