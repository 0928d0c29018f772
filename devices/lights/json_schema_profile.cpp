#include "json_schema_profile.hpp"

namespace haven::lights::detail {

JsonSchemaProfile profile_for(JsonSchemaProfile dialect, const config::LightConfig& light) {
    const auto& options = light.json_schema;
    if (options.brightness_scale) dialect.full = *options.brightness_scale;
    if (options.color_temp_kelvin) dialect.kelvin = *options.color_temp_kelvin;
    return dialect;
}

JsonSchemaTopics topics_for(const JsonSchemaProfile& profile, const config::LightConfig& light) {
    const auto& options = light.json_schema;
    auto pick = [&](const std::string& given, const std::string& suffix) {
        return given.empty() ? light.topic + suffix : given;
    };
    std::string availability = pick(options.availability_topic, profile.availability);
    if (profile.availability_per_node && options.availability_topic.empty()) {
        const auto node_end = light.topic.rfind("/light/");
        availability = light.topic.substr(0, node_end) + "/status";
    }
    return {pick(options.command_topic, profile.command), pick(options.state_topic, profile.state),
            std::move(availability)};
}

}  // namespace haven::lights::detail
