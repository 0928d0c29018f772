#pragma once
// One demo room for fault drills: a private mosquitto broker, the demo config rewritten to
// point at it (no audio device, a free panel port, absolute paths), a state directory, the
// real `haven run` daemon, and an observer subscribed to the room's topics.
//
// The observer keeps everything it ever received; each topic has a read cursor, so waits
// only look at messages newer than the last one a test consumed (or than skip_to_now()).

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "daemon_process.hpp"
#include "mosquitto_broker.hpp"
#include "temp_dir.hpp"
#include "test_mqtt_client.hpp"

namespace haven::test {

using Json = nlohmann::json;
using JsonTest = std::function<bool(const Json&)>;
constexpr std::chrono::milliseconds default_wait{8000};

// demo.yaml with the broker port, panel port, `audio: {output: <audio_output>}` and
// absolute paths for the PIN files, playlists and templates. Throws if demo.yaml no longer
// has a line this rewrites (so the drills cannot silently run a different room).
std::string demo_room_yaml(int mqtt_port, int panel_port, const std::string& audio_output = "none");

struct RoomOptions {
    double time_scale = 60.0;
    std::string audio_output = "none";    // "system": a JACK server's playback ports
    std::vector<std::string> daemon_env;  // "NAME=value" for the daemon only (e.g. LD_PRELOAD)
    // Topics the observer follows besides the room's state, events and status (device
    // topics such as "cmnd/cedar-lamp/#").
    std::vector<std::string> watch;
};

struct HttpReply {
    int status = 0;
    std::string set_cookie;  // "name=value" of the first Set-Cookie, if any
    std::string body;
};

class RoomUnderTest {
  public:
    explicit RoomUnderTest(double time_scale = 60.0) : RoomUnderTest(RoomOptions{time_scale}) {}
    explicit RoomUnderTest(RoomOptions options);
    ~RoomUnderTest();

    // Starts the daemon and waits until it says `online` (after anything received so far).
    void start_daemon();
    DaemonProcess& daemon() { return *daemon_; }
    void kill_daemon() { daemon_->kill_hard(); }
    // SIGKILL, wait for the broker's `offline` (the last will), stay down for `down`, start
    // again and wait for the resumed session's state; timed for checks of the resumed clock.
    struct Restart {
        bool offline_seen = false;
        std::optional<Json> resumed;  // the first state with a session after the restart
        std::chrono::steady_clock::time_point killed_at, restarted_at, resumed_at;
    };
    Restart kill_and_restart(std::chrono::milliseconds down);
    MosquittoBroker& broker() { return broker_; }
    // A new observer (e.g. after the broker restarted); its history starts empty.
    void reconnect_observer();

    std::string topic(const std::string& leaf) const { return "haven/cedar/" + leaf; }
    void command(const std::string& name, const std::string& payload = "", int qos = 1);
    // Any message, as a device or another client would send it.
    void publish(const std::string& topic, const std::string& payload, int qos = 1,
                 bool retain = false);
    // cmd/start with the template; waits for the state showing the session in `arrival` and
    // returns its id (throws when it does not appear).
    std::string start_session(const std::string& template_id = "iv-ketamine");

    // The next message on `topic` after its cursor that passes `accept`; moves the cursor
    // past it. Nothing when none arrives in time.
    std::optional<std::string> wait_text(const std::string& topic,
                                         const std::function<bool(const std::string&)>& accept,
                                         std::chrono::milliseconds timeout = default_wait);
    std::optional<Json> wait_json(const std::string& topic, const JsonTest& accept,
                                  std::chrono::milliseconds timeout = default_wait);
    std::optional<Json> wait_state(const JsonTest& accept,
                                   std::chrono::milliseconds timeout = default_wait) {
        return wait_json(topic("state"), accept, timeout);
    }
    std::optional<Json> wait_event(const JsonTest& accept,
                                   std::chrono::milliseconds timeout = default_wait) {
        return wait_json(topic("events"), accept, timeout);
    }
    bool wait_status(const std::string& status, std::chrono::milliseconds timeout = default_wait);
    // The newest state document received (null when none).
    Json latest_state() const;
    // Every payload received on `topic` since the observer connected, oldest first.
    std::vector<std::string> history(const std::string& topic) const;
    void skip_to_now();  // later waits ignore everything received so far (watched topics too)

    // The panel's HTTP API, unlocked with the therapist PIN on first use.
    HttpReply panel_post(const std::string& path, const std::string& body = "");

    // A session's JSON report as a tech gets it: from the panel's tech API while the daemon
    // runs (it holds its journal), else `haven report --state-dir DIR --session ID`.
    Json report(const std::string& session_id);
    // The journal's raw rows for a session in sequence order, read with the sqlite3 shell:
    // [{"seq", "type", "data" (JSON text), "wall_ms", "monotonic_ms"}]. Only with the daemon
    // stopped (throws otherwise): a running daemon holds its journal to itself.
    Json journal_rows(const std::string& session_id) const;
    // Runs one SQL statement on the journal (daemon stopped), e.g. to stand in for a reboot.
    void journal_sql(const std::string& sql) const;

    const std::filesystem::path& config_file() const { return config_file_; }
    const std::filesystem::path& state_dir() const { return state_dir_; }
    double time_scale() const { return options_.time_scale; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    int panel_port() const { return panel_port_; }
    std::string daemon_log() const { return daemon_ ? daemon_->log() : std::string(); }

  private:
    RoomOptions options_;
    TempDir dir_;
    MosquittoBroker broker_;
    int panel_port_;
    std::filesystem::path config_file_;
    std::filesystem::path state_dir_;
    std::unique_ptr<TestMqttClient> observer_;
    std::map<std::string, std::size_t> cursor_;
    std::unique_ptr<DaemonProcess> daemon_;
    std::string panel_cookie_;
    std::string tech_cookie_;
};

// Accept tests for common state shapes.
bool has_session(const Json& state);
std::string session_field(const Json& state, const char* key);  // "" when absent or not text
bool journal_alarm(const Json& state);  // `alarms` lists one of kind "journal"
bool no_alarms(const Json& state);      // `alarms` is present and empty

}  // namespace haven::test
