// The console around RoomRunner for `haven simulate-room`: a live view of the room and
// commands typed on stdin. Polls stdin so SIGINT/SIGTERM end it cleanly (lights announced
// offline) even while no one types.
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <ostream>
#include <sstream>

#include "room_runner.hpp"
#include "virtual_room.hpp"

namespace haven::simulator {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
    stop_requested = true;
}

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::string changed_lines(const std::string& before, const std::string& after) {
    std::istringstream old_lines(before), new_lines(after);
    std::string old_line, new_line, out;
    while (std::getline(new_lines, new_line)) {
        if (!std::getline(old_lines, old_line)) old_line.clear();
        if (new_line != old_line) out += new_line + "\n";
    }
    return out;
}

}  // namespace

std::string execute_console_command(RoomRunner& runner, const std::string& line) {
    std::istringstream words(line);
    std::string verb, target, action;
    words >> verb >> target >> action;
    if (verb.empty()) return "";
    if (verb == "view") return runner.view();
    if (verb == "press") {
        if (target.empty() || action.empty()) return "usage: press <button> <action>\n";
        return runner.press(target, action) ? "pressed " + target + " " + action + "\n"
                                            : "no button '" + target + "' in this room\n";
    }
    if (verb == "offline" || verb == "online") {
        if (target.empty()) return "usage: " + verb + " <light>\n";
        return runner.set_online(target, verb == "online")
                   ? ""
                   : "no light '" + target + "' in this room\n";
    }
    return "unknown command '" + verb +
           "' (press <button> <action> | offline <light> | online <light> | view | quit)\n";
}

int run_simulated_room(const config::RoomConfig& config, int input_fd, std::ostream& out) {
    std::mutex out_mutex;
    auto print = [&](const std::string& text) {
        std::lock_guard lock(out_mutex);
        out << text << std::flush;
    };
    std::string last_view = VirtualRoom(config.lights, config.buttons).view();  // as announced
    install_stop_handlers();
    try {
        RoomRunner runner(config, [&](const std::string& view) {
            // Runs under the runner's lock, so last_view needs no lock of its own. Only the
            // lines that changed are printed: a fade is four steps a second per light.
            print(changed_lines(last_view, view));
            last_view = view;
        });
        print("virtual room '" + config.room.id + "': " + std::to_string(config.lights.size()) +
              " lights, " + std::to_string(config.buttons.size()) + " buttons on " +
              config.mqtt.host + ":" + std::to_string(config.mqtt.port) +
              "\ncommands: press <button> <action> | offline <light> | online <light> | view | "
              "quit\n" +
              runner.view());
        std::string pending;
        bool input_open = input_fd >= 0;
        while (!stop_requested) {
            pollfd fd{input_open ? input_fd : -1, POLLIN, 0};
            if (poll(&fd, 1, 250) <= 0 || !(fd.revents & (POLLIN | POLLHUP))) continue;
            char buffer[512];
            const ssize_t got = read(input_fd, buffer, sizeof buffer);
            if (got <= 0) {
                input_open = false;  // EOF: keep playing the room until a signal
                continue;
            }
            pending.append(buffer, static_cast<std::size_t>(got));
            for (auto end = pending.find('\n'); end != std::string::npos;
                 end = pending.find('\n')) {
                const std::string line = pending.substr(0, end);
                pending.erase(0, end + 1);
                if (line == "quit" || line == "exit") return 0;
                print(execute_console_command(runner, line));
            }
        }
    } catch (const std::exception& error) {
        print(std::string("simulate-room: ") + error.what() + "\n");
        return 1;
    }
    return 0;
}

}  // namespace haven::simulator
