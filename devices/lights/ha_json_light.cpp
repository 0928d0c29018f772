// Home Assistant's MQTT JSON light schema: commands on <topic>/set, state on <topic>,
// availability on <topic>/availability. Brightness uses the schema's default scale 0..255,
// colour temperature is in mireds.
#include "dialects.hpp"
#include "driver_support.hpp"

namespace haven::lights {
namespace {

constexpr int kFull = 255;

class HaJsonLight final : public LightDriver {
  public:
    explicit HaJsonLight(config::LightConfig light) : light_(std::move(light)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = detail::visible_level(level, light_.min_level);
        if (!light_.color_temp) kelvin.reset();
        return {{light_.topic + "/set",
                 detail::json_schema_command(visible, kFull, kelvin, transition)}};
    }

    double device_level(double level) const override {
        const double visible = detail::visible_level(level, light_.min_level);
        return detail::from_device_scale(detail::to_device_scale(visible, kFull), kFull);
    }

    std::vector<std::string> subscriptions() const override {
        return {light_.topic, light_.topic + "/availability"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == light_.topic + "/availability") return detail::availability_feedback(payload);
        if (topic == light_.topic) return detail::json_schema_state(payload, kFull);
        return {};
    }

  private:
    config::LightConfig light_;
};

}  // namespace

std::unique_ptr<LightDriver> make_ha_json_light(const config::LightConfig& light) {
    return std::make_unique<HaJsonLight>(light);
}

}  // namespace haven::lights
