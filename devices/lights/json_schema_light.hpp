#pragma once
// The JSON-schema light that Zigbee2MQTT and Home Assistant's MQTT JSON schema share:
// commands on <topic>/set, state on <topic>, availability on <topic>/availability. The
// dialects differ only in their brightness scale, so each dialect file names its scale.
#include "driver_support.hpp"
#include "light_driver.hpp"

namespace haven::lights::detail {

class JsonSchemaLight final : public LightDriver {
  public:
    JsonSchemaLight(config::LightConfig light, int full_scale)
        : light_(std::move(light)), full_(full_scale) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = visible_level(level, light_.min_level);
        if (!light_.color_temp) kelvin.reset();
        return {{light_.topic + "/set", json_schema_command(visible, full_, kelvin, transition)}};
    }

    double device_level(double level) const override {
        const double visible = visible_level(level, light_.min_level);
        return from_device_scale(to_device_scale(visible, full_), full_);
    }

    std::vector<std::string> subscriptions() const override {
        return {light_.topic, light_.topic + "/availability"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == light_.topic + "/availability") return availability_feedback(payload);
        if (topic == light_.topic) return json_schema_state(payload, full_);
        return {};
    }

  private:
    config::LightConfig light_;
    int full_;
};

}  // namespace haven::lights::detail
