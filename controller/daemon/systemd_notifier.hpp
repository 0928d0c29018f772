#pragma once
// Tells systemd (Type=notify) when Haven is ready, stopping, and still alive. Without
// systemd (NOTIFY_SOCKET unset) every call is a no-op, so the same binary runs by hand.
// Control thread only.

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

namespace boost::asio {
class io_context;
}

namespace haven::daemon {

class SystemdNotifier {
  public:
    explicit SystemdNotifier(boost::asio::io_context& io);
    ~SystemdNotifier();

    void ready();                        // READY=1, and starts the watchdog pings
    void stopping();                     // STOPPING=1
    void status(std::string_view text);  // STATUS=..., shown by systemctl status
    std::optional<std::chrono::microseconds> watchdog_interval() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::daemon
