#pragma once
// One light's MQTT dialect: turns "level 30 %, 2700 K, gliding 250 ms" into the exact
// messages that vendor expects, and reads its state/availability messages back.
// Drivers are pure and single-threaded (the control loop's thread); they never publish.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "device_message.hpp"
#include "room_config.hpp"

namespace haven::lights {

// What a device told us about itself. Each field is empty when the message did not say.
struct LightFeedback {
    std::optional<bool> available;
    std::optional<double> level;  // percent 0..100 as the device reports it (0: off)
    std::optional<int> kelvin;

    bool operator==(const LightFeedback&) const = default;
};

// The result of reading one incoming message. `feedback` is empty when the message is not
// for this light or could not be used; `ignored` then says why (empty: not ours).
struct FeedbackParse {
    std::optional<LightFeedback> feedback;
    std::string ignored;
};

class LightDriver {
  public:
    virtual ~LightDriver() = default;

    // Messages that set the light. Level 0 is the dialect's "off"; any level above 0 is
    // sent as at least the light's min_level. Kelvin is only sent for color_temp lights.
    // `transition` is a short native glide for one step (0: none), where the dialect has one.
    virtual std::vector<devices::DeviceMessage> command(double level_percent,
                                                        std::optional<int> kelvin,
                                                        Millis transition = Millis{0}) = 0;

    // The level the device will actually show for a requested one (after min_level and the
    // dialect's resolution); the rig sends a step only when this changes.
    virtual double device_level(double level_percent) const = 0;

    // State and availability topics to subscribe to.
    virtual std::vector<std::string> subscriptions() const = 0;

    virtual FeedbackParse on_message(const std::string& topic,
                                     const std::string& payload) const = 0;
};

// Picks the dialect by LightConfig::driver. `source` names Haven to devices that want a
// sender (Shelly RPC "src"), e.g. "haven-<room id>". Throws std::invalid_argument for an
// unknown driver name (the config validator refuses those before we get here).
std::unique_ptr<LightDriver> make_driver(const config::LightConfig& light,
                                         std::string_view source = "haven");

// The driver names make_driver accepts, for the config validator and `haven check`.
const std::vector<std::string>& light_driver_names();

}  // namespace haven::lights
