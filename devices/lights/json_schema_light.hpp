#pragma once
// The JSON-schema light that Zigbee2MQTT, Home Assistant's MQTT JSON schema and ESPHome
// share: commands, state and availability on the profile's topics. The dialects differ only
// in their profile (json_schema_profile.hpp), so each dialect file names its own.
#include "driver_support.hpp"
#include "json_schema_profile.hpp"
#include "light_driver.hpp"

namespace haven::lights::detail {

class JsonSchemaLight final : public LightDriver {
  public:
    JsonSchemaLight(config::LightConfig light, const JsonSchemaProfile& dialect)
        : light_(std::move(light)),
          profile_(profile_for(dialect, light_)),
          topics_(topics_for(profile_, light_)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = visible_level(level, light_.min_level);
        if (!light_.color_temp) kelvin.reset();
        return {{topics_.command, json_schema_command(visible, profile_, kelvin, transition)}};
    }

    double device_level(double level) const override {
        const double visible = visible_level(level, light_.min_level);
        return from_device_scale(to_device_scale(visible, profile_.full), profile_.full);
    }

    std::vector<std::string> subscriptions() const override {
        return {topics_.state, topics_.availability};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == topics_.availability) return availability_feedback(payload);
        if (topic == topics_.state) return json_schema_state(payload, profile_);
        return {};
    }

  private:
    config::LightConfig light_;
    JsonSchemaProfile profile_;
    JsonSchemaTopics topics_;
};

}  // namespace haven::lights::detail
