#include "light_rig.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "light_dialect.hpp"
#include "light_driver.hpp"
#include "lightness.hpp"

namespace haven::lights {
namespace {

// A colour-temperature change smaller than this is not worth a message mid-fade.
constexpr int kKelvinStep = 10;

struct Fade {
    double from_level = 0;
    double to_level = 0;
    std::optional<int> from_kelvin;
    std::optional<int> to_kelvin;
    Millis start{0};
    Millis end{0};
    config::LightCurve curve = config::LightCurve::lightness;
    bool moves = false;  // the device shows a change: its end is confirmed with QoS 1
};

struct Light {
    config::LightConfig config;
    std::unique_ptr<LightDriver> driver;
    config::LightCurve curve = config::LightCurve::lightness;  // the config's or the dialect's
    Millis step_interval = kStepInterval;                      // the dialect's
    double level = 0;  // where the light is (mid-fade included) as of the last update
    std::optional<int> kelvin;
    double target = 0;
    std::optional<Fade> fade;
    Millis next_check{0};
    std::optional<double> sent_level;  // device_level() of the last step sent
    std::optional<int> sent_kelvin;
    bool intended = false;  // a scene named this light: Haven owns its level from now on
    bool available = true;  // until a device says otherwise
    bool resend = false;    // came back: send its current level at the next advance()
    std::optional<double> reported;
};

// Mireds are closer to perceptually even than kelvin, so colour fades run in them.
std::optional<int> fade_kelvin(const Fade& fade, double progress) {
    if (!fade.to_kelvin) return fade.from_kelvin;
    if (!fade.from_kelvin || progress >= 1) return fade.to_kelvin;
    const double a = 1e6 / *fade.from_kelvin;
    const double b = 1e6 / *fade.to_kelvin;
    return static_cast<int>(std::lround(1e6 / (a + (b - a) * progress)));
}

struct FadePoint {
    double level = 0;
    std::optional<int> kelvin;
};

FadePoint fade_at(const Fade& fade, Millis at) {
    const auto span = (fade.end - fade.start).count();
    const double progress =
        at >= fade.end ? 1.0 : std::max(0.0, static_cast<double>((at - fade.start).count()) / span);
    const double level = fade.curve == config::LightCurve::linear
                             ? fade.from_level + (fade.to_level - fade.from_level) * progress
                             : perceptual_fade_level(fade.from_level, fade.to_level, progress);
    return {level, fade_kelvin(fade, progress)};
}

void update(Light& light, Millis now) {
    if (!light.fade) return;
    auto point = fade_at(*light.fade, now);
    light.level = point.level;
    light.kelvin = point.kelvin;
}

}  // namespace

struct LightRig::Impl {
    std::map<std::string, Light> lights;
    std::multimap<std::string, std::string> topic_to_light;
    std::vector<AvailabilityChange> changes;
    Millis now{0};

    void emit(Light& light, Millis transition, int qos, std::vector<devices::DeviceMessage>& out) {
        emit(light, FadePoint{light.level, light.kelvin}, transition, qos, out);
    }

    void emit(Light& light, const FadePoint& point, Millis transition, int qos,
              std::vector<devices::DeviceMessage>& out) {
        auto messages = light.driver->command(point.level, point.kelvin, transition);
        for (auto& message : messages) {
            message.qos = qos;
            out.push_back(std::move(message));
        }
        light.sent_level = light.driver->device_level(point.level);
        light.sent_kelvin = point.kelvin;
        light.resend = false;
    }
};

LightRig::LightRig(const std::map<std::string, config::LightConfig>& lights, std::string source)
    : impl_(std::make_unique<Impl>()) {
    for (const auto& [id, config] : lights) {
        const auto* dialect = find_light_dialect(config.driver);
        Light light{.config = config,
                    .driver = make_driver(config, source),
                    .curve = config.curve.value_or(dialect ? dialect->default_curve
                                                           : config::LightCurve::lightness),
                    .step_interval =
                        dialect ? std::max(dialect->step_interval, kStepInterval) : kStepInterval};
        for (const auto& topic : light.driver->subscriptions())
            impl_->topic_to_light.emplace(topic, id);
        impl_->lights.emplace(id, std::move(light));
    }
}

LightRig::~LightRig() = default;
LightRig::LightRig(LightRig&&) noexcept = default;
LightRig& LightRig::operator=(LightRig&&) noexcept = default;

std::vector<std::string> LightRig::apply_scene(
    const std::map<std::string, config::LightTarget>& targets, Millis fade, Millis now) {
    impl_->now = std::max(impl_->now, now);
    std::vector<std::string> unknown;
    for (const auto& [id, target] : targets) {
        auto found = impl_->lights.find(id);
        if (found == impl_->lights.end()) {
            unknown.push_back(id);
            continue;
        }
        Light& light = found->second;
        light.intended = true;
        update(light, now);  // a running fade is taken over from where it is now
        std::optional<int> to_kelvin;
        if (light.config.color_temp) to_kelvin = target.kelvin ? target.kelvin : light.kelvin;
        light.target = std::clamp(target.level, 0.0, 100.0);
        light.fade = Fade{.from_level = light.level,
                          .to_level = light.target,
                          .from_kelvin = light.kelvin,
                          .to_kelvin = to_kelvin,
                          .start = now,
                          .end = now + std::max(fade, Millis{0}),
                          .curve = light.curve};
        light.fade->moves =
            light.driver->device_level(light.level) != light.driver->device_level(light.target) ||
            light.kelvin != to_kelvin;
        light.next_check = now;  // the first step leaves at once: a cue is felt immediately
    }
    return unknown;
}

std::vector<devices::DeviceMessage> LightRig::advance(Millis now) {
    impl_->now = std::max(impl_->now, now);
    std::vector<devices::DeviceMessage> out;
    for (auto& [id, light] : impl_->lights) {
        const bool ending = light.fade && now >= light.fade->end;
        const bool confirm = ending && light.fade->moves;
        const bool check_due = light.fade && now >= light.next_check;
        if (!ending && !check_due && !light.resend) continue;
        Millis transition = light.step_interval;
        if (light.fade) transition = std::min(transition, light.fade->end - light.fade->start);
        update(light, now);
        if (ending) light.fade.reset();
        // Steps keep to the fade's own grid (start + k x interval): one late step must not
        // push every later one back. A step already missed is skipped, not sent in a burst.
        if (check_due)
            while (light.next_check <= now)
                light.next_check += light.step_interval;
        if (!light.available) continue;  // not queued: it gets its level when it returns
        if (light.resend) {
            impl_->emit(light, Millis{0}, 1, out);
            continue;
        }
        // Mid-fade steps lead the curve by one interval and glide there: the device arrives
        // on schedule instead of one step behind, and the first step can leave at once.
        FadePoint step{light.level, light.kelvin};
        if (light.fade && !ending) step = fade_at(*light.fade, now + transition);
        const bool level_changed =
            !light.sent_level || light.driver->device_level(step.level) != *light.sent_level;
        const bool kelvin_moved =
            step.kelvin && (!light.sent_kelvin || std::abs(*step.kelvin - *light.sent_kelvin) >=
                                                      (ending ? 1 : kKelvinStep));
        if (confirm || level_changed || kelvin_moved)
            impl_->emit(light, step, transition, ending ? 1 : 0, out);
    }
    return out;
}

std::optional<Millis> LightRig::next_wake() const {
    std::optional<Millis> wake;
    auto consider = [&wake](Millis at) { wake = wake ? std::min(*wake, at) : at; };
    for (const auto& [id, light] : impl_->lights) {
        if (light.resend && light.available) consider(impl_->now);
        if (light.fade) consider(std::min(light.next_check, light.fade->end));
    }
    return wake;
}

std::vector<devices::DeviceMessage> LightRig::reassert() {
    std::vector<devices::DeviceMessage> out;
    for (auto& [id, light] : impl_->lights) {
        if (light.available && light.intended) impl_->emit(light, Millis{0}, 1, out);
    }
    return out;
}

std::vector<std::string> LightRig::subscriptions() const {
    std::vector<std::string> topics;
    for (const auto& [topic, id] : impl_->topic_to_light) {
        if (topics.empty() || topics.back() != topic) topics.push_back(topic);
    }
    return topics;
}

std::string LightRig::on_message(const std::string& topic, const std::string& payload, Millis now) {
    impl_->now = std::max(impl_->now, now);
    std::string reason;
    auto [first, last] = impl_->topic_to_light.equal_range(topic);
    for (auto it = first; it != last; ++it) {
        Light& light = impl_->lights.at(it->second);
        FeedbackParse parse = light.driver->on_message(topic, payload);
        if (!parse.feedback) {
            if (!parse.ignored.empty()) reason = "light '" + it->second + "': " + parse.ignored;
            continue;
        }
        const LightFeedback& feedback = *parse.feedback;
        if (feedback.available && *feedback.available != light.available) {
            light.available = *feedback.available;
            light.resend = light.available && light.intended;
            impl_->changes.push_back({it->second, light.available});
        }
        if (feedback.level) {
            light.reported = feedback.level;
            // Before Haven has said anything, the device's own level is the best "now".
            if (!light.intended) light.level = light.target = *feedback.level;
        }
        if (feedback.kelvin && light.config.color_temp && !light.intended)
            light.kelvin = feedback.kelvin;
    }
    return reason;
}

std::vector<AvailabilityChange> LightRig::take_availability_changes() {
    return std::exchange(impl_->changes, {});
}

std::map<std::string, config::LightTarget> LightRig::levels() const {
    std::map<std::string, config::LightTarget> out;
    for (const auto& [id, light] : impl_->lights)
        out[id] = {light.level, light.kelvin};
    return out;
}

nlohmann::json LightRig::levels_json() const {
    auto rounded = [](double value) { return std::round(value * 100.0) / 100.0; };
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, light] : impl_->lights) {
        nlohmann::json entry{{"level", rounded(light.level)},
                             {"target", rounded(light.target)},
                             {"kelvin", nullptr},
                             {"available", light.available},
                             {"fading", light.fade.has_value()},
                             {"reported", nullptr}};
        if (light.kelvin) entry["kelvin"] = *light.kelvin;
        if (light.reported) entry["reported"] = rounded(*light.reported);
        out[id] = std::move(entry);
    }
    return out;
}

}  // namespace haven::lights
