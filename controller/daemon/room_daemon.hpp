#pragma once
// The running room: one io_context on one control thread drives MQTT, timers, the panel and
// the session engine; the audio thread is the only other thread. main() builds one of these.

#include <filesystem>
#include <memory>
#include <string>

#include "room_config.hpp"

namespace haven::daemon {

struct DaemonOptions {
    std::filesystem::path config_file;
    std::filesystem::path state_dir;
    double time_scale = 1.0;
    std::string version;
};

class RoomDaemon {
  public:
    RoomDaemon(DaemonOptions options, config::RoomConfig config);
    ~RoomDaemon();
    RoomDaemon(const RoomDaemon&) = delete;
    RoomDaemon& operator=(const RoomDaemon&) = delete;

    // Runs until SIGTERM or SIGINT; returns the process exit code.
    int run();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::daemon
