#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "logging.hpp"
#include "room_daemon.hpp"
#include "subcommands.hpp"
#include "valid_room.hpp"
#include "version.hpp"

namespace haven::cli {
namespace {

struct RunOptions {
    std::string config_file;
    std::string state_dir;
    double time_scale = 1.0;
    std::string log_level = "info";
};

// systemd's StateDirectory= hands us the directory in $STATE_DIRECTORY.
std::string default_state_dir() {
    const char* from_systemd = std::getenv("STATE_DIRECTORY");
    return from_systemd != nullptr ? from_systemd : "state";
}

void run_room(const RunOptions& options) {
    daemon::setup_logging(options.log_level);
    auto room_config =
        valid_room_or_exit(options.config_file, "haven: refusing to run with an invalid config");
    daemon::DaemonOptions daemon_options{
        .config_file = options.config_file,
        .state_dir = options.state_dir.empty() ? default_state_dir() : options.state_dir,
        .time_scale = options.time_scale,
        .version = haven::version,
    };
    daemon::RoomDaemon room{daemon_options, std::move(room_config)};
    if (int code = room.run(); code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void add_run_command(CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Run the room: lights, music, session clock and panel");
    cmd->add_option("--config", options->config_file, "The room's YAML file")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--state-dir", options->state_dir,
                    "Where the session journal lives (default: $STATE_DIRECTORY or ./state)");
    cmd->add_option("--time-scale", options->time_scale,
                    "Run the session timeline this many times faster (rehearsals, tests)")
        ->check(CLI::Range(0.01, 10000.0));
    cmd->add_option("--log-level", options->log_level, "trace, debug, info, warn, error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    cmd->callback([options] { run_room(*options); });
}

}  // namespace haven::cli
