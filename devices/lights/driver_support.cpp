#include "driver_support.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "availability.hpp"
#include "json_schema_profile.hpp"
#include "json_text.hpp"
#include "text_case.hpp"

namespace haven::lights::detail {

double visible_level(double level_percent, double min_level) {
    if (!(level_percent > 0)) return 0;  // also catches NaN
    return std::clamp(std::max(level_percent, min_level), 0.0, 100.0);
}

int to_device_scale(double visible_percent, int full) {
    if (!(visible_percent > 0)) return 0;
    const int value = static_cast<int>(std::lround(visible_percent / 100.0 * full));
    return std::clamp(value, 1, full);
}

double from_device_scale(double value, int full) {
    return std::clamp(value / full * 100.0, 0.0, 100.0);
}

int simulated_scale(double percent, int full) {
    return static_cast<int>(std::lround(percent / 100.0 * full));
}

int kelvin_to_mired(int kelvin) {
    return static_cast<int>(std::lround(1e6 / std::max(kelvin, 1)));
}

int mired_to_kelvin(double mired) {
    return static_cast<int>(std::lround(1e6 / std::max(mired, 1.0)));
}

std::optional<nlohmann::json> parse_object(const std::string& payload) {
    auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    return json;
}

namespace {
// Lower case, with every white space removed (" ON\n" -> "on").
std::string lower_trimmed(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    }
    return ascii_lower(out);
}
}  // namespace

std::optional<bool> parse_on_off(const nlohmann::json& value) {
    if (value.is_boolean()) return value.get<bool>();
    if (!value.is_string()) return std::nullopt;
    const std::string word = lower_trimmed(value.get<std::string>());
    if (word == "on" || word == "true") return true;
    if (word == "off" || word == "false") return false;
    return std::nullopt;
}

FeedbackParse ignored(std::string reason) {
    return FeedbackParse{std::nullopt, std::move(reason)};
}

FeedbackParse availability_feedback(const std::string& payload) {
    if (auto available = devices::parse_availability(payload))
        return FeedbackParse{LightFeedback{.available = *available}, {}};
    return ignored("availability payload is neither online nor offline");
}

}  // namespace haven::lights::detail

namespace haven::lights::detail {

std::string json_schema_command(double visible_percent, const JsonSchemaProfile& profile,
                                std::optional<int> kelvin, Millis transition) {
    nlohmann::ordered_json body;
    body["state"] = visible_percent > 0 ? "ON" : "OFF";
    if (visible_percent > 0) body["brightness"] = to_device_scale(visible_percent, profile.full);
    if (kelvin && visible_percent > 0)
        body["color_temp"] = profile.kelvin ? *kelvin : kelvin_to_mired(*kelvin);
    if (transition > Millis{0} && profile.whole_seconds)
        body["transition"] = std::max<long>(1, std::lround(transition.count() / 1000.0));
    else if (transition > Millis{0})
        body["transition"] = transition.count() / 1000.0;
    return json_text(body);
}

FeedbackParse json_schema_state(const std::string& payload, const JsonSchemaProfile& profile) {
    const int full = profile.full;
    auto json = parse_object(payload);
    if (!json) return ignored("state payload is not a JSON object");
    LightFeedback feedback;
    if (auto state = json->find("state"); state != json->end()) {
        auto on = parse_on_off(*state);
        if (!on) return ignored("state is neither ON nor OFF");
        if (!*on) feedback.level = 0.0;
    }
    if (auto brightness = json->find("brightness");
        brightness != json->end() && brightness->is_number() && !feedback.level) {
        feedback.level = from_device_scale(brightness->get<double>(), full);
    }
    if (auto temp = json->find("color_temp"); temp != json->end() && temp->is_number())
        feedback.kelvin = profile.kelvin ? static_cast<int>(std::lround(temp->get<double>()))
                                         : mired_to_kelvin(temp->get<double>());
    if (!feedback.level && !feedback.kelvin) return ignored("state carries no level");
    return FeedbackParse{feedback, {}};
}

}  // namespace haven::lights::detail
