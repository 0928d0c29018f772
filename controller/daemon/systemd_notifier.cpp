#include "systemd_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <string>

namespace haven::daemon {

struct SystemdNotifier::Impl {
    explicit Impl(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::optional<std::chrono::microseconds> interval;

    // Pinging from a loop timer (not a thread) means a wedged control loop stops the pings
    // and systemd restarts us: the watchdog watches what actually matters.
    void schedule_ping() {
        timer.expires_after(*interval / 2);
        timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            sd_notify(0, "WATCHDOG=1");
            schedule_ping();
        });
    }
};

SystemdNotifier::SystemdNotifier(boost::asio::io_context& io) : impl_(std::make_unique<Impl>(io)) {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
        impl_->interval = std::chrono::microseconds{usec};
}

SystemdNotifier::~SystemdNotifier() = default;

void SystemdNotifier::ready() {
    sd_notify(0, "READY=1");
    if (impl_->interval) impl_->schedule_ping();
}

void SystemdNotifier::stopping() {
    impl_->timer.cancel();
    sd_notify(0, "STOPPING=1");
}

void SystemdNotifier::status(std::string_view text) {
    sd_notify(0, ("STATUS=" + std::string(text)).c_str());
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() const {
    return impl_->interval;
}

}  // namespace haven::daemon
