#include "room_daemon.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "loader.hpp"
#include "systemd_notifier.hpp"

namespace haven::daemon {

struct RoomDaemon::Impl {
    Impl(DaemonOptions opts, config::RoomConfig cfg)
        : options(std::move(opts)),
          config(std::move(cfg)),
          signals(io, SIGINT, SIGTERM, SIGHUP),
          notifier(io) {}

    DaemonOptions options;
    config::RoomConfig config;
    boost::asio::io_context io;
    boost::asio::signal_set signals;
    SystemdNotifier notifier;

    void wait_for_signals() {
        signals.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec) return;
            if (signal == SIGHUP) {
                reload();
                wait_for_signals();
                return;
            }
            spdlog::info("signal {}: stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
            stop();
        });
    }

    // A bad new config is refused with its errors logged; the running one stays.
    void reload() {
        auto loaded = config::load_room_config(options.config_file);
        if (!loaded.config) {
            spdlog::error("config reload refused: {} problem(s); keeping the running config",
                          loaded.diagnostics.size());
            for (const auto& d : loaded.diagnostics)
                spdlog::error("{}", d.to_string());
            return;
        }
        spdlog::info("config reloaded from {}", options.config_file.string());
        config = std::move(*loaded.config);
    }

    void stop() {
        notifier.stopping();
        signals.cancel();
        io.stop();
    }

    int run() {
        wait_for_signals();
        notifier.ready();
        spdlog::info("haven ready: room '{}' ({})", config.room.id, config.room.name);
        io.run();
        spdlog::info("haven stopped");
        return 0;
    }
};

RoomDaemon::RoomDaemon(DaemonOptions options, config::RoomConfig config)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(config))) {}

RoomDaemon::~RoomDaemon() = default;

int RoomDaemon::run() {
    return impl_->run();
}

}  // namespace haven::daemon
