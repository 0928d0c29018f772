#pragma once
// Puts a VirtualRoom on a real MQTT broker: subscribes to every light's command topics,
// answers as the devices would, and publishes button presses on request. Used by
// `haven simulate-room`, the demo and integration tests. libmosquitto's own network thread
// delivers messages here (this is a test/demo tool, not the daemon's control loop); every
// public method and the callbacks serialise on one mutex, so any thread may call them.

#include <functional>
#include <memory>
#include <string>

#include "room_config.hpp"

namespace haven::simulator {

class RoomRunner {
  public:
    // Called with the room's new view() after a light changed: from the network thread
    // (or the caller's, for set_online), under the runner's lock: do not call back in.
    using ChangeListener = std::function<void(const std::string& view)>;

    // Connects to the config's broker (host, port, credentials, TLS) and announces every
    // light online. Throws std::runtime_error with the reason when it cannot connect.
    explicit RoomRunner(const config::RoomConfig& config, ChangeListener on_change = {});
    ~RoomRunner();  // announces every light offline, then disconnects
    RoomRunner(const RoomRunner&) = delete;
    RoomRunner& operator=(const RoomRunner&) = delete;

    // Publishes a press; false (with nothing sent) for an unknown button.
    bool press(const std::string& button_id, const std::string& action);
    // Takes a light off the network or brings it back; false for an unknown light.
    bool set_online(const std::string& light_id, bool online);

    std::string view() const;
    double level(const std::string& light_id) const;  // percent; -1 for an unknown light

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One console command: "press <button> <action>", "offline <light>", "online <light>",
// "view". Returns the reply to print (an error says what was wrong).
std::string execute_console_command(RoomRunner& runner, const std::string& line);

// `haven simulate-room`: runs the room until SIGINT/SIGTERM or "quit", reading console
// commands from `input_fd` (EOF just stops reading: the demo runs it in the background)
// and printing the live view to `out`. Returns the process exit code.
int run_simulated_room(const config::RoomConfig& config, int input_fd, std::ostream& out);

}  // namespace haven::simulator
