#pragma once
// The simulated device for the JSON-schema lights (Zigbee2MQTT, Home Assistant JSON,
// ESPHome): takes {"state":"ON","brightness":N,"color_temp":M} on its command topic,
// remembers the brightness across off/on like the bulbs do, and reports the same object,
// retained, on its state topic.
#include "json_schema_profile.hpp"
#include "simulated_light.hpp"

namespace haven::lights::detail {

class JsonSchemaDevice final : public LightSimulator {
  public:
    // How the device says it is online on <topic>/availability.
    enum class Availability { plain_word, state_object };

    JsonSchemaDevice(JsonSchemaProfile profile, Availability availability)
        : profile_(std::move(profile)), availability_(availability) {}

    std::vector<std::string> command_topics(const config::LightConfig& light) const override;
    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig& light, SimulatedLight& device, const std::string& topic,
        const std::string& payload) const override;
    std::vector<devices::DeviceMessage> state_messages(const config::LightConfig& light,
                                                       const SimulatedLight& device) const override;
    devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                bool online) const override;

  private:
    JsonSchemaProfile profile_;
    Availability availability_;
};

}  // namespace haven::lights::detail
