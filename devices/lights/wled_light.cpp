// WLED: JSON commands on <topic>/api ({"on":true,"bri":0..255,"tt":<100 ms units>}),
// brightness reported on <topic>/g (a plain number, 0 when off), availability on
// <topic>/status. Colour temperature goes to the main segment's "cct" as 0 (the strip's warm
// white) .. 255 (its cold white), placed by the light's white_range.
//
// Why not kelvin: WLED does accept "cct" above 255 as kelvin, but maps 1900..10091 K onto
// 0..255 whatever the strip's whites are (wled00/FX_segment.cpp Segment::setCCT:
// "k = (k - 1900) >> 5"), so 2700 K on a 2700-6500 K strip lands near 3070 K.
#include <algorithm>
#include <cmath>
#include <string>

#include "driver_support.hpp"
#include "json_text.hpp"
#include "light_dialect.hpp"

namespace haven::lights {
namespace {

constexpr int kFull = 255;

// Kelvin -> 0..255 between the strip's warm and cold whites, linear in mireds (how the two
// channels mix); kelvin outside the range is clamped to its end.
int cct_of(int kelvin, const config::WhiteRange& range) {
    const double warm = 1e6 / range.warm_kelvin, cold = 1e6 / range.cold_kelvin;
    const double position = (warm - 1e6 / kelvin) / (warm - cold);
    return static_cast<int>(std::lround(std::clamp(position, 0.0, 1.0) * kFull));
}

int kelvin_of(int cct, const config::WhiteRange& range) {
    const double warm = 1e6 / range.warm_kelvin, cold = 1e6 / range.cold_kelvin;
    return static_cast<int>(std::lround(1e6 / (warm + (cold - warm) * cct / double{kFull})));
}

class WledLight final : public LightDriver {
  public:
    explicit WledLight(config::LightConfig light) : light_(std::move(light)) {}

    std::vector<devices::DeviceMessage> command(double level, std::optional<int> kelvin,
                                                Millis transition) override {
        const double visible = detail::visible_level(level, light_.min_level);
        if (light_.segment) return segment_command(visible, kelvin, transition);
        nlohmann::ordered_json body;
        body["on"] = visible > 0;
        if (visible > 0) body["bri"] = detail::to_device_scale(visible, kFull);
        if (transition > Millis{0}) body["tt"] = std::lround(transition.count() / 100.0);
        if (kelvin && light_.color_temp && visible > 0)
            body["seg"] = nlohmann::ordered_json::array(
                {{{"id", 0}, {"cct", cct_of(*kelvin, light_.white_range)}}});
        return {{light_.topic + "/api", json_text(body)}};
    }

    double device_level(double level) const override {
        const double visible = detail::visible_level(level, light_.min_level);
        return detail::from_device_scale(detail::to_device_scale(visible, kFull), kFull);
    }

    std::vector<std::string> subscriptions() const override {
        if (light_.segment) return {light_.topic + "/status"};  // /g is the whole strip's
        return {light_.topic + "/g", light_.topic + "/status"};
    }

    FeedbackParse on_message(const std::string& topic, const std::string& payload) const override {
        if (topic == light_.topic + "/status") return detail::availability_feedback(payload);
        if (topic != light_.topic + "/g") return {};
        try {
            std::size_t used = 0;
            const int brightness = std::stoi(payload, &used);
            if (used != payload.size() || brightness < 0 || brightness > kFull)
                return detail::ignored("WLED brightness is not a number 0..255");
            return FeedbackParse{
                LightFeedback{.level = detail::from_device_scale(brightness, kFull)}, {}};
        } catch (const std::exception&) {
            return detail::ignored("WLED brightness is not a number 0..255");
        }
    }

  private:
    // One segment of a strip shared by several lights: the segment carries the level (its
    // "bri", wled00/json.cpp deserializeSegment), the strip itself stays on at full so every
    // segment shows what Haven asked of it.
    std::vector<devices::DeviceMessage> segment_command(double visible, std::optional<int> kelvin,
                                                        Millis transition) const {
        nlohmann::ordered_json segment;
        segment["id"] = *light_.segment;
        segment["on"] = visible > 0;
        if (visible > 0) segment["bri"] = detail::to_device_scale(visible, kFull);
        if (kelvin && light_.color_temp && visible > 0)
            segment["cct"] = cct_of(*kelvin, light_.white_range);
        nlohmann::ordered_json body;
        body["on"] = true;
        body["bri"] = kFull;
        if (transition > Millis{0}) body["tt"] = std::lround(transition.count() / 100.0);
        body["seg"] = nlohmann::ordered_json::array({segment});
        return {{light_.topic + "/api", json_text(body)}};
    }

    config::LightConfig light_;
};

// The firmware's side: the JSON API on <topic>/api, brightness reported on <topic>/g.
class WledDevice final : public LightSimulator {
  public:
    std::vector<std::string> command_topics(const config::LightConfig& light) const override {
        return {light.topic + "/api"};
    }

    std::optional<std::vector<devices::DeviceMessage>> apply_command(
        const config::LightConfig& light, SimulatedLight& device, const std::string&,
        const std::string& payload) const override {
        auto body = detail::parse_object(payload);
        if (!body) return std::nullopt;
        if (light.segment) return apply_to_segment(light, device, *body);
        if (body->contains("bri") && (*body)["bri"].is_number())
            device.level = detail::from_device_scale((*body)["bri"].get<double>(), kFull);
        if (body->contains("on") && (*body)["on"] == false) device.level = 0;
        if (body->contains("seg") && (*body)["seg"].is_array() && !(*body)["seg"].empty() &&
            (*body)["seg"][0].is_object() && (*body)["seg"][0].contains("cct")) {
            const auto& cct = (*body)["seg"][0]["cct"];
            if (!cct.is_number_integer()) return std::nullopt;
            const int value = cct.get<int>();
            // As the firmware: above 255 is kelvin, else a position between the whites.
            device.kelvin = value > kFull ? value : kelvin_of(value, light.white_range);
        }
        return std::vector<devices::DeviceMessage>{};
    }

    std::vector<devices::DeviceMessage> state_messages(
        const config::LightConfig& light, const SimulatedLight& device) const override {
        if (light.segment) return {};  // WLED publishes no per-segment state on MQTT
        return {{light.topic + "/g", std::to_string(detail::simulated_scale(device.level, kFull))}};
    }

  private:
    // A segment light's part of a message: the "seg" entry with its id, if any.
    static std::optional<std::vector<devices::DeviceMessage>> apply_to_segment(
        const config::LightConfig& light, SimulatedLight& device, const nlohmann::json& body) {
        const auto seg = body.find("seg");
        if (seg == body.end() || !seg->is_array()) return std::vector<devices::DeviceMessage>{};
        for (const auto& entry : *seg) {
            const auto id = entry.is_object() ? entry.find("id") : entry.end();
            if (id == entry.end() || !id->is_number_integer() || *id != *light.segment) continue;
            if (auto bri = entry.find("bri"); bri != entry.end() && bri->is_number())
                device.level = detail::from_device_scale(bri->get<double>(), kFull);
            if (auto on = entry.find("on"); on != entry.end() && *on == false) device.level = 0;
            if (auto cct = entry.find("cct"); cct != entry.end() && cct->is_number_integer())
                device.kelvin = cct->get<int>() > kFull
                                    ? cct->get<int>()
                                    : kelvin_of(cct->get<int>(), light.white_range);
        }
        return std::vector<devices::DeviceMessage>{};
    }

    devices::DeviceMessage availability_message(const config::LightConfig& light,
                                                bool online) const override {
        return {light.topic + "/status", online ? "online" : "offline", 1, true};
    }
};

}  // namespace

LightDialect wled_light_dialect() {
    static const WledDevice device;
    auto keys = dimmer_keys();
    keys.push_back("white_range");
    keys.push_back("segment");
    return {.entry = {"wled", keys},
            .make_driver = [](const config::LightConfig& light, std::string_view)
                -> std::unique_ptr<LightDriver> { return std::make_unique<WledLight>(light); },
            .simulator = &device};
}

}  // namespace haven::lights
