// The daemon's lifecycle: build the parts, resume an open session, run the loop, stop
// cleanly on SIGTERM/SIGINT, reload the config on SIGHUP.
#include "room_daemon.hpp"

#include <csignal>
#include <fstream>

#include "daemon_impl.hpp"
#include "loader.hpp"

namespace haven::daemon {

RoomDaemon::Impl::Impl(DaemonOptions opts, config::RoomConfig cfg)
    : options(std::move(opts)),
      config(std::make_shared<const config::RoomConfig>(std::move(cfg))),
      topics(config->mqtt.topic_prefix, config->room.id),
      signals(io, SIGINT, SIGTERM, SIGHUP),
      notifier(io),
      clock(options.time_scale),
      engine(config),
      lights(config->lights, "haven-" + config->room.id),
      buttons(config->buttons),
      engine_timer(io),
      light_timer(io),
      heartbeat_timer(io),
      state_timer(io) {}

RoomDaemon::Impl::~Impl() = default;

Millis RoomDaemon::Impl::real_ms() const {
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - real_origin);
}

void RoomDaemon::Impl::wait_for_signals() {
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

// A bad new config is refused with its errors logged; the running one stays. The new one
// applies to templates, scenes and cues from the next session: an open session keeps the
// timeline it started with, so a patient in the chair never sees the room change under them.
void RoomDaemon::Impl::reload() {
    auto loaded = config::load_room_config(options.config_file);
    if (!loaded.config) {
        last_config_errors.clear();
        for (const auto& d : loaded.diagnostics)
            last_config_errors.push_back(d.to_string());
        spdlog::error("config reload refused: {} problem(s); keeping the running config",
                      loaded.diagnostics.size());
        for (const auto& line : last_config_errors)
            spdlog::error("{}", line);
        journal_room_entry("config_reload_refused", {{"problems", loaded.diagnostics.size()}});
        return;
    }
    last_config_errors.clear();
    config = std::make_shared<const config::RoomConfig>(std::move(*loaded.config));
    engine.set_config(config);
    spdlog::info(
        "config reloaded from {}: templates and scenes apply from the next session; "
        "light, broker and panel changes apply after a restart",
        options.config_file.string());
    journal_room_entry("config_reloaded", nlohmann::json::object());
    state_changed();
}

void RoomDaemon::Impl::stop() {
    stopping = true;
    notifier.stopping();
    if (panel) panel->stop();
    if (mqtt) mqtt->stop();
    if (music) music->fade_out(Millis{500});
    signals.cancel();
    engine_timer.cancel();
    light_timer.cancel();
    heartbeat_timer.cancel();
    state_timer.cancel();
    if (journal) journal->flush();
    // Let the broker goodbye and the music's short fade finish before the loop ends.
    auto grace = std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds{600});
    grace->async_wait([this, grace](const boost::system::error_code&) { io.stop(); });
}

int RoomDaemon::Impl::run() {
    // A file-size limit must fail the journal's write (which it survives), not kill the room:
    // SIGXFSZ's default action is to terminate.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        journal = journal::Journal::open(options.state_dir, io.get_executor());
    } catch (const std::exception& e) {
        spdlog::critical("cannot open the session journal in {}: {}", options.state_dir.string(),
                         e.what());
        return 1;
    }
    journal->on_health(
        [this](std::optional<std::string> problem) { on_journal_health(std::move(problem)); });
    for (const auto& note : journal->recovery_notes()) {
        spdlog::warn("journal: {}", note);
        journal_room_entry("journal_recovered", {{"note", note}});
    }
    if (int pruned = journal->prune(std::chrono::days{config->journal.retention_days}); pruned > 0)
        spdlog::info("journal: {} session(s) older than {} days pruned", pruned,
                     config->journal.retention_days);

    start_music();
    resume();
    try {
        start_panel();
    } catch (const std::exception& e) {
        spdlog::critical("panel: cannot listen on {}:{}: {}", config->panel.address,
                         config->panel.port, e.what());
        return 1;
    }
    start_mqtt();
    wait_for_signals();
    schedule_engine_wake();
    heartbeat();
    notifier.ready();
    spdlog::info("haven ready: room '{}' ({}), panel http://{}:{}/", config->room.id,
                 config->room.name, config->panel.address, panel->port());
    io.run();
    journal->flush();
    spdlog::info("haven stopped");
    return 0;
}

RoomDaemon::RoomDaemon(DaemonOptions options, config::RoomConfig config)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(config))) {}

RoomDaemon::~RoomDaemon() = default;

int RoomDaemon::run() {
    return impl_->run();
}

}  // namespace haven::daemon
