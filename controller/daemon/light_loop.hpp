#pragma once
// The room's lights on the control loop: scenes become fades, fades become device messages
// at each step's time, device reports update availability. Haven runs long fades itself
// (bulb-side transitions are unreliable), so a timer wakes at each light's next step.
// Control thread only.

#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "clock_watch.hpp"
#include "device_message.hpp"
#include "light_rig.hpp"

namespace haven::daemon {

class LightLoop {
  public:
    using Publish = std::function<void(const devices::DeviceMessage&)>;
    using AvailabilityChanged = std::function<void(const lights::AvailabilityChange&)>;

    LightLoop(boost::asio::io_context& io, const ClockWatch& clock, lights::LightRig rig,
              Publish publish, AvailabilityChanged availability_changed);

    // Fades the named lights to their targets over `real_fade` (already on real time).
    void fade_to(const std::string& scene,
                 const std::map<std::string, config::LightTarget>& targets, Millis real_fade);
    // A device's report; returns why a message for one of our lights was ignored (else empty).
    std::string on_message(const std::string& topic, const std::string& payload);
    // Every available light's level again: devices may have missed commands while we were away.
    void reassert();
    void stop() { timer_.cancel(); }

    std::vector<std::string> subscriptions() const { return rig_.subscriptions(); }
    nlohmann::json levels_json() const { return rig_.levels_json(); }

  private:
    void step();
    void schedule();

    const ClockWatch& clock_;
    lights::LightRig rig_;
    Publish publish_;
    AvailabilityChanged availability_changed_;
    boost::asio::steady_timer timer_;
};

}  // namespace haven::daemon
