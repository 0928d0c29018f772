#pragma once
// All of a room's lights and the fades between scenes. Haven runs every fade itself (bulb
// transitions are unreliable for long fades): advance() is called on a steady timer and
// returns perceptually even steps, at most one per light per step interval (its dialect's,
// kStepInterval at the fastest) and only when the device would show a change; each step
// carries a native glide of that interval where the dialect has one.
// Pure and single-threaded: call it only from the control loop's thread, pass the time in.

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "device_message.hpp"
#include "room_config.hpp"

namespace haven::lights {

// The fastest any light is stepped; slower devices (Zigbee) set a longer interval in their
// dialect's row.
inline constexpr Millis kStepInterval{250};

// A light went unavailable or came back; the daemon journals it and raises an event.
struct AvailabilityChange {
    std::string light_id;
    bool available = true;
    bool operator==(const AvailabilityChange&) const = default;
};

class LightRig {
  public:
    // `source` names Haven to devices that want a sender (Shelly): "haven-<room id>".
    // Throws std::invalid_argument for a light with an unknown driver.
    explicit LightRig(const std::map<std::string, config::LightConfig>& lights,
                      std::string source = "haven");
    ~LightRig();
    LightRig(LightRig&&) noexcept;
    LightRig& operator=(LightRig&&) noexcept;

    // Starts a fade of the named lights to their targets, all starting now and ending at
    // now + fade; a running fade is taken over from where the light is now. Lights not
    // named keep their level (and any fade they are in). Returns the ids it did not know.
    std::vector<std::string> apply_scene(const std::map<std::string, config::LightTarget>& targets,
                                         Millis fade, Millis now);

    // The steps due at `now`. Call it at next_wake() (earlier calls are harmless).
    std::vector<devices::DeviceMessage> advance(Millis now);

    // When advance() next has work; empty when every light is at rest.
    std::optional<Millis> next_wake() const;

    // Every available light's current level again (e.g. after an MQTT reconnect).
    std::vector<devices::DeviceMessage> reassert();

    std::vector<std::string> subscriptions() const;

    // State/availability from a device. A light coming back gets its current level at the
    // next advance(). Returns why a message for one of our lights was ignored (else empty).
    std::string on_message(const std::string& topic, const std::string& payload, Millis now);

    // The lights' availability changes since the last call, in order.
    std::vector<AvailabilityChange> take_availability_changes();

    // Current (mid-fade) level of each light, e.g. to build a lights_up/lights_down scene.
    std::map<std::string, config::LightTarget> levels() const;

    // {"<id>": {"level": 31.5, "target": 40, "kelvin": 2700|null, "available": true,
    //           "fading": true, "reported": 31.4|null}}
    nlohmann::json levels_json() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::lights
