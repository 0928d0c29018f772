#pragma once
// The running room's parts and how they meet: wiring only. Each part has one job and its own
// file; this struct owns them and connects their ports:
//   ClockWatch       clock_watch.*       the session's time and what a resume could not count
//   CommandPipeline  command_pipeline.*  command -> engine -> room -> journal -> event/reply
//   RoomBroadcaster  room_broadcaster.*  state document, events, discovery on MQTT and panel
//   LightLoop        light_loop.*        fades stepped on a timer, device availability
//   RoomMusic        room_music.*        the player, its health, the track playing
//   RefusalLog       refusal_log.*       a flood's refusals folded into a count a minute
// The wiring is split by job too: room_daemon.cpp (lifecycle, reload), room_link.cpp (MQTT:
// subscriptions and where each message goes), room_effects.cpp (engine effects to devices),
// panel_hooks.cpp (the wall panel), session_resume.cpp (resume), upkeep.cpp (the once-a-second
// checks and alarms). Everything here runs on the one control thread that runs `io`.

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "button_router.hpp"
#include "clock_watch.hpp"
#include "command_pipeline.hpp"
#include "journal.hpp"
#include "light_loop.hpp"
#include "mqtt_client.hpp"
#include "panel_server.hpp"
#include "refusal_log.hpp"
#include "room_broadcaster.hpp"
#include "room_daemon.hpp"
#include "room_music.hpp"
#include "room_topics.hpp"
#include "systemd_notifier.hpp"

namespace haven::daemon {

struct RoomDaemon::Impl {
    Impl(DaemonOptions options, config::RoomConfig config);
    ~Impl();

    // Lifecycle (room_daemon.cpp).
    int run();
    void stop();
    void wait_for_signals();
    void reload();

    // Parts built at run() and their ports.
    void start_mqtt();  // room_link.cpp
    void route_message(const std::string& topic, const std::string& payload);
    void start_panel();                                      // panel_hooks.cpp
    void apply(const std::vector<engine::Effect>& effects);  // room_effects.cpp
    void resume();                                           // session_resume.cpp
    void heartbeat();                                        // upkeep.cpp
    void on_journal_health(std::optional<std::string> problem);
    nlohmann::json state();

    DaemonOptions options;
    std::shared_ptr<const config::RoomConfig> config;
    config::RoomTopics topics;
    std::vector<std::string> last_config_errors;  // of a refused reload, for the tech page
    boost::asio::io_context io;
    boost::asio::signal_set signals;
    SystemdNotifier notifier;
    ClockWatch clock;
    std::unique_ptr<journal::Journal> journal;
    std::optional<std::string> journal_problem;  // set while the journal cannot be written
    RoomBroadcaster broadcaster;
    RefusalLog refusals;  // refusals and garbage: the first a minute in full, then a count
    CommandPipeline pipeline;
    LightLoop lights;
    buttons::ButtonRouter buttons;
    std::unique_ptr<RoomMusic> music;
    std::unique_ptr<mqtt::MqttClient> mqtt;
    std::unique_ptr<panel::PanelServer> panel;
    boost::asio::steady_timer heartbeat_timer;
    bool stopping = false;
};

}  // namespace haven::daemon
