// The daemon's lifecycle: build the parts and wire their ports, resume an open session, run
// the loop, stop cleanly on SIGTERM/SIGINT, reload the config on SIGHUP.
#include "room_daemon.hpp"

#include <csignal>

#include "daemon_impl.hpp"
#include "ha_discovery.hpp"
#include "loader.hpp"
#include "state_document.hpp"

namespace haven::daemon {

RoomDaemon::Impl::Impl(DaemonOptions opts, config::RoomConfig cfg)
    : options(std::move(opts)),
      config(std::make_shared<const config::RoomConfig>(std::move(cfg))),
      topics(config::RoomTopics::of(*config)),
      signals(io, SIGINT, SIGTERM, SIGHUP),
      notifier(io),
      clock(options.time_scale),
      broadcaster(io, topics,
                  {.build_state = [this] { return state(); },
                   .connected = [this] { return mqtt && mqtt->connected(); },
                   .publish =
                       [this](devices::DeviceMessage m) {
                           if (mqtt) mqtt->publish(m);
                       },
                   .publish_droppable =
                       [this](devices::DeviceMessage m) {
                           if (mqtt) mqtt->publish(m, mqtt::Delivery::droppable);
                       },
                   .panel_state =
                       [this](const nlohmann::json& s) {
                           if (panel) panel->publish_state(s);
                       },
                   .panel_event =
                       [this](const nlohmann::json& e) {
                           if (panel) panel->publish_event(e);
                       },
                   .discovery =
                       [this] {
                           return config->mqtt.ha_discovery
                                      ? mqtt::home_assistant_discovery(*config, options.version)
                                      : std::vector<devices::DeviceMessage>{};
                       }}),
      refusals(io, {.append =
                        [this](journal::Entry entry) {
                            if (journal) journal->append({std::move(entry)}, {});
                        },
                    .session_id = [this] { return pipeline.session_id(); },
                    .engine_now = [this] { return clock.engine_now(); }}),
      pipeline(
          io, config, clock,
          {.apply = [this](const std::vector<engine::Effect>& effects) { apply(effects); },
           .append =
               [this](std::vector<journal::Entry> entries, OnDurable on_durable) {
                   if (journal) journal->append(std::move(entries), std::move(on_durable));
               },
           .publish_event = [this](nlohmann::json e) { broadcaster.publish_event(std::move(e)); },
           .state_changed = [this] { broadcaster.state_changed(); },
           .session_ended = [this] { clock.session_ended(); },
           .refusal_in_full = [this](
                                  std::string_view source,
                                  std::string_view kind) { return refusals.first(source, kind); }}),
      lights(
          io, clock, lights::LightRig(config->lights, "haven-" + config->room.id),
          [this](const devices::DeviceMessage& m) {
              if (mqtt) mqtt->publish(m);
          },
          [this](const lights::AvailabilityChange& change) {
              if (change.available)
                  spdlog::info("lights: {} is back", change.light_id);
              else
                  spdlog::warn("lights: {} is unavailable", change.light_id);
              pipeline.record_room(
                  change.available ? RecordType::device_recovered : RecordType::device_fault,
                  {{"device", "light:" + change.light_id}});
              broadcaster.state_changed();
          }),
      buttons(config->buttons),
      heartbeat_timer(io) {}

RoomDaemon::Impl::~Impl() = default;

nlohmann::json RoomDaemon::Impl::state() {
    const auto& engine = pipeline.engine();
    auto snapshot = engine.snapshot(clock.engine_now());
    auto levels = lights.levels_json();
    auto audio = music ? music->status_json() : nlohmann::json(nullptr);
    return state_document(StateInputs{.room = *config,
                                      .session = snapshot ? &*snapshot : nullptr,
                                      .lights = &levels,
                                      .audio = &audio,
                                      .version = options.version,
                                      .time_scale = options.time_scale,
                                      .journal_problem = &journal_problem,
                                      .clock_problem = &clock.problem()});
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
        pipeline.record_room(RecordType::config_reload_refused,
                             {{"problems", loaded.diagnostics.size()}});
        return;
    }
    last_config_errors.clear();
    config = std::make_shared<const config::RoomConfig>(std::move(*loaded.config));
    pipeline.engine().set_config(config);
    spdlog::info(
        "config reloaded from {}: templates and scenes apply from the next session; "
        "light, broker and panel changes apply after a restart",
        options.config_file.string());
    pipeline.record_room(RecordType::config_reloaded, nlohmann::json::object());
    broadcaster.state_changed();
}

void RoomDaemon::Impl::stop() {
    stopping = true;
    notifier.stopping();
    if (panel) panel->stop();
    if (mqtt) mqtt->stop();
    if (music) music->fade_out(Millis{500});
    signals.cancel();
    pipeline.stop();
    lights.stop();
    heartbeat_timer.cancel();
    broadcaster.stop();
    refusals.flush();  // the last minute's counts, before the journal closes
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
        pipeline.record_room(RecordType::journal_recovered, {{"note", note}});
    }
    if (int pruned = journal->prune(std::chrono::days{config->journal.retention_days}); pruned > 0)
        spdlog::info("journal: {} session(s) older than {} days pruned", pruned,
                     config->journal.retention_days);

    music = std::make_unique<RoomMusic>(*config);
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
    heartbeat();
    notifier.ready();
    spdlog::info("haven ready: room '{}' ({}), panel {}://{}:{}/", config->room.id,
                 config->room.name, config->panel.tls ? "https" : "http", config->panel.address,
                 panel->port());
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
