#include "light_loop.hpp"

#include <spdlog/spdlog.h>

namespace haven::daemon {

LightLoop::LightLoop(boost::asio::io_context& io, const ClockWatch& clock, lights::LightRig rig,
                     Publish publish, AvailabilityChanged availability_changed)
    : clock_(clock),
      rig_(std::move(rig)),
      publish_(std::move(publish)),
      availability_changed_(std::move(availability_changed)),
      timer_(io) {}

void LightLoop::fade_to(const std::string& scene,
                        const std::map<std::string, config::LightTarget>& targets,
                        Millis real_fade) {
    for (const auto& id : rig_.apply_scene(targets, real_fade, clock_.real_now()))
        spdlog::warn("lights: scene '{}' names unknown light {}", scene, id);
    step();  // the first step leaves now, in this turn of the loop
}

std::string LightLoop::on_message(const std::string& topic, const std::string& payload) {
    auto ignored = rig_.on_message(topic, payload, clock_.real_now());
    for (const auto& change : rig_.take_availability_changes())
        availability_changed_(change);
    schedule();  // a light that came back gets its level at the next step
    return ignored;
}

void LightLoop::reassert() {
    for (const auto& message : rig_.reassert())
        publish_(message);
}

void LightLoop::step() {
    for (const auto& message : rig_.advance(clock_.real_now()))
        publish_(message);
    schedule();
}

void LightLoop::schedule() {
    auto wake = rig_.next_wake();
    timer_.cancel();
    if (!wake) return;
    timer_.expires_at(clock_.real_at(*wake));
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) step();
    });
}

}  // namespace haven::daemon
