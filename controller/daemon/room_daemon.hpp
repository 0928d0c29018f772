#pragma once
// The running room: one io_context on one control thread drives MQTT, timers, the panel and
// the session engine. Four other threads, each owned by one class and reached lock-free or
// by post(): the journal's writer (Journal), the decoder and the device keeper (MusicPlayer),
// and the output's real-time callback (JACK, PortAudio or the null sink). docs/architecture.md
// draws the map. `haven run` builds one of these.

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
