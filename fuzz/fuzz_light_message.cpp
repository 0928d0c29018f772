// Each light dialect's on_message: state and availability messages from devices.
// Input: byte 0 picks the dialect and color_temp; byte 1 picks one of the driver's
// subscribed topics (or, past the last, a topic read from the input's first line); the
// rest is the payload. Invariants: feedback and a reason are never both set, and a level
// is a finite percent 0..100 (the rig fades from it).
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "light_driver.hpp"

namespace {

struct Light {
    std::unique_ptr<haven::lights::LightDriver> driver;
    std::vector<std::string> topics;
};

const std::vector<Light>& lights() {
    static const std::vector<Light> all = [] {
        std::vector<Light> built;
        for (bool color_temp : {false, true}) {
            for (const auto& name : haven::lights::light_driver_names()) {
                haven::config::LightConfig config{
                    .id = "lamp", .driver = name, .topic = "room/lamp", .color_temp = color_temp};
                auto driver = haven::lights::make_driver(config, "haven-fuzz");
                auto topics = driver->subscriptions();
                built.push_back(Light{std::move(driver), std::move(topics)});
            }
        }
        return built;
    }();
    return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const auto& light = lights()[data[0] % lights().size()];
    const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
    std::string topic;
    std::string payload;
    if (const std::size_t pick = data[1] % (light.topics.size() + 1); pick < light.topics.size()) {
        topic = light.topics[pick];
        payload = rest;
    } else {
        const auto [head, tail] = haven::fuzz::split_line(rest);
        topic = head;
        payload = tail;
    }
    const auto parse = light.driver->on_message(topic, payload);
    haven::fuzz::require(!(parse.feedback && !parse.ignored.empty()),
                         "feedback comes without an ignore reason", payload);
    if (parse.feedback && parse.feedback->level) {
        const double level = *parse.feedback->level;
        haven::fuzz::require(std::isfinite(level) && level >= 0 && level <= 100,
                             "reported level is a finite percent", payload);
        (void)light.driver->device_level(level);
    }
    return 0;
}
