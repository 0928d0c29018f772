#pragma once
// The running room's parts and how they meet. Private to the daemon library; split over
// room_daemon.cpp (lifecycle), daemon_commands.cpp (commands -> engine -> devices and
// journal), daemon_devices.cpp (MQTT, lights, buttons, music) and daemon_resume.cpp.
// Everything here runs on the one control thread that runs `io`.

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "button_router.hpp"
#include "command.hpp"
#include "journal.hpp"
#include "light_rig.hpp"
#include "mqtt_client.hpp"
#include "music_player.hpp"
#include "panel_server.hpp"
#include "report.hpp"
#include "room_daemon.hpp"
#include "room_topics.hpp"
#include "session_clock.hpp"
#include "session_engine.hpp"
#include "systemd_notifier.hpp"

namespace haven::daemon {

using Reply = std::function<void(bool ok, std::string reason)>;

// What a resume that met a wall clock behind the session record knew: the record's last wall
// time and the boot-clock moment of the resume (both journaled with it, so a restart within
// the boot picks them up again). Once the clock is set past the record, they give the gap.
struct UncountedGap {
    std::chrono::system_clock::time_point last_recorded;
    std::int64_t resumed_boot_ms = 0;
};

struct RoomDaemon::Impl {
    Impl(DaemonOptions options, config::RoomConfig config);
    ~Impl();

    int run();
    void stop();
    void wait_for_signals();
    void reload();

    // Commands, from any source: engine -> devices now -> journal -> reply once durable.
    void submit(const Command& command, const CommandSource& source, Reply reply);
    void on_outcome(const engine::Outcome& outcome, const std::string& session,
                    std::function<void(bool)> on_durable,
                    std::optional<journal::Entry> input = std::nullopt);
    // An outcome whose effects are already applied: journal, events once durable, state,
    // next wake. on_outcome() is apply() and then this.
    void record_outcome(const engine::Outcome& outcome, const std::string& session,
                        std::function<void(bool)> on_durable,
                        std::optional<journal::Entry> input = std::nullopt);
    void apply(const std::vector<engine::Effect>& effects);
    void journal_records(const engine::Outcome& outcome, const std::string& session_id,
                         std::function<void(bool)> on_durable,
                         std::optional<journal::Entry> input = std::nullopt);
    void schedule_engine_wake();
    void journal_room_entry(const std::string& type, nlohmann::json data);
    void on_journal_health(std::optional<std::string> problem);

    // Devices.
    void start_mqtt();
    void on_mqtt_message(const std::string& topic, const std::string& payload);
    void on_mqtt_command(const std::string& name, const std::string& payload);
    void apply_scene(const engine::SceneEffect& scene);
    void step_lights();
    void schedule_light_step();
    void publish_lights(const std::vector<devices::DeviceMessage>& messages);
    void collect_device_faults();
    void start_music();
    void watch_music();
    void start_panel();

    // What the room looks like, pushed to MQTT and the panel on every change.
    nlohmann::json state();
    void state_changed();
    void publish_state();
    void publish_event(nlohmann::json event);
    void heartbeat();

    // Resume an open session from the journal.
    void resume();
    void resume_room(const std::vector<journal::Entry>& entries);
    void catch_up_with_a_set_clock();

    Millis engine_now() const { return clock.now(); }
    Millis real_ms() const;  // steady real time for fades, independent of --time-scale
    Millis real_fade(Millis engine_fade) const { return clock.real_duration(engine_fade); }

    DaemonOptions options;
    std::shared_ptr<const config::RoomConfig> config;
    RoomTopics topics;
    boost::asio::io_context io;
    boost::asio::signal_set signals;
    SystemdNotifier notifier;
    SessionClock clock;
    engine::SessionEngine engine;
    std::string session_id;  // of the open session, empty when idle

    std::unique_ptr<journal::Journal> journal;
    std::unique_ptr<mqtt::MqttClient> mqtt;
    lights::LightRig lights;
    buttons::ButtonRouter buttons;
    std::unique_ptr<audio::MusicPlayer> music;
    std::unique_ptr<panel::PanelServer> panel;

    boost::asio::steady_timer engine_timer;
    boost::asio::steady_timer light_timer;
    boost::asio::steady_timer heartbeat_timer;
    boost::asio::steady_timer state_timer;
    static constexpr std::chrono::milliseconds state_window{50};
    std::chrono::steady_clock::time_point last_state_built{};
    bool stopping = false;
    bool state_publish_pending = false;
    std::string last_state_published;
    std::pair<std::string, std::size_t> last_track;  // journaled as music_track
    std::deque<nlohmann::json> recent_events;        // for the tech page
    std::deque<nlohmann::json> unsent_events;        // raised before MQTT first connected
    std::vector<std::string> last_config_errors;
    std::optional<std::string> journal_problem;  // set while the journal cannot be written
    std::optional<std::string> clock_problem;    // a resume that could not count time down
    std::optional<UncountedGap> uncounted_gap;
    std::chrono::steady_clock::time_point real_origin = std::chrono::steady_clock::now();
};

}  // namespace haven::daemon
