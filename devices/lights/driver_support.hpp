#pragma once
// Small conversions the light dialects share. Internal to haven_lights.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "light_driver.hpp"

namespace haven::lights::detail {

// 0 stays 0 (off); anything above is raised to min_level and capped at 100.
double visible_level(double level_percent, double min_level);

// A visible level on a device scale 0..full; never 0 for a level above 0.
int to_device_scale(double visible_percent, int full);
double from_device_scale(double value, int full);

// How a device itself rounds a percentage to its scale; unlike to_device_scale it may show
// a very dim level as 0. The simulated devices use it.
int simulated_scale(double percent, int full);

int kelvin_to_mired(int kelvin);
int mired_to_kelvin(double mired);

// nlohmann's non-throwing parse; nullopt for anything that is not a JSON object.
std::optional<nlohmann::json> parse_object(const std::string& payload);

// Reads ON/OFF (any case, or a bool) from a JSON value.
std::optional<bool> parse_on_off(const nlohmann::json& value);

FeedbackParse ignored(std::string reason);
FeedbackParse availability_feedback(const std::string& payload);

}  // namespace haven::lights::detail

namespace haven::lights::detail {

struct JsonSchemaProfile;

// The {"state","brightness","color_temp","transition"} object Zigbee2MQTT, Home Assistant's
// JSON schema and ESPHome share, in the profile's scale and units.
std::string json_schema_command(double visible_percent, const JsonSchemaProfile& profile,
                                std::optional<int> kelvin, Millis transition);

// Reads that same object back ({"state":"ON","brightness":120,"color_temp":370}).
FeedbackParse json_schema_state(const std::string& payload, const JsonSchemaProfile& profile);

}  // namespace haven::lights::detail
