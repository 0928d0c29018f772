// A PanelServer with an in-memory fake room that simulates a session, for the browser tests
// (and for looking at the pages by hand). Usage: panel_demo_server <www-root> [port].
// Prints "PORT <n>" once listening. PINs: therapist 2468, tech 97531. Time runs at 1 s/s;
// the first reminder falls due 2 s after the infusion starts, then every 15 min, with a chime.
// Music plays only during a session; the test tone is refused during one, as in the daemon.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <ctime>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "panel_server.hpp"

namespace {

using haven::Command;
using haven::CommandKind;
using nlohmann::json;

json stopped_audio() {
    return {{"state", "stopped"}, {"playlist", ""},    {"title", ""},
            {"volume", 0},        {"device_ok", true}, {"underruns", 0}};
}

struct FakeRoom {
    json state =
        json{{"room", {{"id", "room-1"}, {"name", "Room 1"}}},
             {"session", nullptr},
             {"lights",
              {{"ceiling", {{"level", 60}, {"kelvin", 2700}, {"available", true}}},
               {"lamp", {{"level", 40}, {"kelvin", 2200}, {"available", true}}}}},
             {"audio", stopped_audio()},
             {"templates", json::array({{{"id", "iv-ketamine"}, {"name", "IV ketamine"}},
                                        {{"id", "im-ketamine"}, {"name", "IM ketamine"}}})},
             {"version", 1}};
    int reminder_due_at = -1;  // infusion seconds when the next blood-pressure check falls due
    int reminder_seq = 0;
    static constexpr int reminder_every = 900;
    std::map<int, int> due_at;  // seq -> infusion seconds it fell due
    int tone_left = 0;          // seconds of test tone still playing
    // The buttons as the daemon's tech status lists them: one heard from 3 s ago, one that
    // went offline, one whose dialect never says.
    json buttons = json::array(
        {{{"id", "bedside"}, {"driver", "tasmota"}, {"available", false}, {"last_seen", nullptr}},
         {{"id", "script"}, {"driver", "generic"}, {"available", nullptr}, {"last_seen", nullptr}},
         {{"id", "therapist"},
          {"driver", "zigbee2mqtt"},
          {"available", true},
          {"last_seen", nullptr}}});

    // In the daemon's shape (state_document.cpp): the next three checks, infusion seconds to go.
    void refresh_reminders() {
        auto& s = session();
        json upcoming = json::array();
        if (reminder_due_at >= 0) {
            const int infusion = s["infusion_elapsed_s"].get<int>();
            for (int k = 0; k < 3; ++k)
                upcoming.push_back({{"id", "bp"},
                                    {"text", "Blood pressure"},
                                    {"seq", reminder_seq + 1 + k},
                                    {"due_in_s", reminder_due_at + k * reminder_every - infusion}});
            for (auto& p : s["reminders_pending"])
                p["due_in_s"] = due_at[p["seq"].get<int>()] - infusion;
        }
        s["reminders_upcoming"] = upcoming;
    }

    std::optional<std::string> test_tone() {
        if (!session().is_null()) return "a session is running; the test tone would disturb it";
        if (state["audio"]["state"] == "playing") return "music is playing";
        if (tone_left > 0) return "a test tone is already playing";
        tone_left = 2;
        state["audio"]["state"] = "test_tone";
        return std::nullopt;
    }

    json& session() { return state["session"]; }

    void set_phase(int index) {
        static const char* names[] = {"arrival", "onset", "peak", "return", "recovery"};
        auto& s = session();
        s["phase_index"] = index;
        s["phase"] = names[index];
        s["phase_remaining_s"] = s["phases"][index]["planned_s"];
    }

    std::string apply(const Command& c) {
        auto& s = session();
        if (c.kind == CommandKind::start) {
            if (!s.is_null()) return "a session is already running";
            s = json{{"id", "s1"},
                     {"template", c.argument},
                     {"template_name", c.argument == "im-ketamine" ? "IM ketamine" : "IV ketamine"},
                     {"phase_count", 5},
                     {"elapsed_s", 0},
                     {"infusion", "none"},
                     {"infusion_elapsed_s", nullptr},
                     {"held", false},
                     {"assist", false},
                     {"assist_level", "none"},
                     {"reminders_pending", json::array()},
                     {"reminders_upcoming", json::array()},
                     {"min_observation_remaining_s", 5400},
                     {"phases", json::array({{{"id", "arrival"}, {"planned_s", 600}},
                                             {{"id", "onset"}, {"planned_s", 900}},
                                             {{"id", "peak"}, {"planned_s", 1500}},
                                             {{"id", "return"}, {"planned_s", 900}},
                                             {{"id", "recovery"}, {"planned_s", 1800}}})}};
            set_phase(0);
            tone_left = 0;
            state["audio"] = {{"state", "playing"}, {"playlist", "arrival"}, {"title", "Tide"},
                              {"volume", 30},       {"device_ok", true},     {"underruns", 0}};
            return {};
        }
        if (s.is_null()) return "no session is running";
        switch (c.kind) {
            case CommandKind::infusion_start:
                if (s["infusion"] != "none") return "the infusion has already started";
                s["infusion"] = "running";
                s["infusion_elapsed_s"] = 0;
                set_phase(1);
                reminder_due_at = 2;
                refresh_reminders();
                break;
            case CommandKind::correct:  // the start was -duration ago
                if (s["infusion"] == "none")
                    return "infusion has not started; there is nothing to correct";
                s["infusion_elapsed_s"] = -c.duration.count() / 1000;
                refresh_reminders();
                break;
            case CommandKind::infusion_pause:
                s["infusion"] = "paused";
                break;
            case CommandKind::infusion_resume:
                s["infusion"] = "running";
                break;
            case CommandKind::infusion_stop:
                s["infusion"] = "stopped";
                break;
            case CommandKind::next:
                if (s["phase_index"].get<int>() + 1 >= 5) return "already in the last phase";
                set_phase(s["phase_index"].get<int>() + 1);
                break;
            case CommandKind::extend:
                s["phase_remaining_s"] = s["phase_remaining_s"].get<double>() +
                                         std::chrono::duration<double>(c.duration).count();
                break;
            case CommandKind::hold:
                s["held"] = true;
                break;
            case CommandKind::release:
                s["held"] = false;
                break;
            // The daemon's rules in small: a second tap of a level is refused, never a clear.
            case CommandKind::assist:
                if (s["assist"] == true) return "assist is already raised";
                s["assist"] = true;
                s["assist_level"] = "calm";
                break;
            case CommandKind::emergency:
                if (s["assist_level"] == "emergency") return "emergency assist is already raised";
                s["assist"] = true;
                s["assist_level"] = "emergency";
                break;
            case CommandKind::assist_clear:
                if (s["assist"] == false) return "assist is not raised";
                s["assist"] = false;
                s["assist_level"] = "none";
                break;
            case CommandKind::volume:
                state["audio"]["volume"] = c.number;
                break;
            case CommandKind::ack:
                if (s["reminders_pending"].empty()) return "no reminder is due";
                s["reminders_pending"].erase(0);
                break;
            case CommandKind::end:
                if (s["min_observation_remaining_s"].get<double>() > 0 && !c.force)
                    return "minimum observation not yet complete";
                s = nullptr;
                state["audio"] = stopped_audio();
                reminder_due_at = -1;
                return {};
            default:
                break;
        }
        return {};
    }

    // True when a reminder fell due.
    bool tick() {
        if (tone_left > 0 && --tone_left == 0) state["audio"]["state"] = "stopped";
        auto& s = session();
        if (s.is_null()) return false;
        bool fell_due = false;
        if (!s["held"].get<bool>()) {
            s["elapsed_s"] = s["elapsed_s"].get<double>() + 1;
            s["phase_remaining_s"] = std::max(0.0, s["phase_remaining_s"].get<double>() - 1);
        }
        if (s["infusion"] == "running")
            s["infusion_elapsed_s"] = s["infusion_elapsed_s"].get<double>() + 1;
        s["min_observation_remaining_s"] =
            std::max(0.0, s["min_observation_remaining_s"].get<double>() - 1);
        if (reminder_due_at >= 0 && s["infusion_elapsed_s"].get<int>() >= reminder_due_at) {
            s["reminders_pending"].push_back(
                {{"id", "bp"}, {"text", "Blood pressure"}, {"seq", ++reminder_seq}});
            due_at[reminder_seq] = reminder_due_at;
            reminder_due_at += reminder_every;
            fell_due = true;
        }
        if (!s.is_null()) refresh_reminders();
        return fell_due;
    }
};

void tick_every_second(boost::asio::steady_timer& timer, FakeRoom& room,
                       haven::panel::PanelServer& server) {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([&](boost::system::error_code ec) {
        if (ec) return;
        const bool fell_due = room.tick();
        room.state["version"] = room.state["version"].get<int>() + 1;
        server.publish_state(room.state);
        // The demo's check is configured with `chime: true`, as the daemon's alert says it.
        if (fell_due)
            server.publish_event({{"type", "alert"},
                                  {"kind", "reminder_due"},
                                  {"text", "Blood pressure"},
                                  {"chime", true}});
        tick_every_second(timer, room, server);
    });
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: panel_demo_server <www-root> [port]\n";
        return 2;
    }
    boost::asio::io_context io;
    FakeRoom room;
    haven::panel::PanelServer* server_ptr = nullptr;
    haven::panel::PanelHooks hooks;
    hooks.state = [&] { return room.state; };
    hooks.command = [&](const Command& c, const haven::CommandSource&,
                        std::function<void(bool, std::string)> reply) {
        // Confirm a little later, as the journal does once the record is on disk.
        auto timer = std::make_shared<boost::asio::steady_timer>(io, std::chrono::milliseconds(50));
        timer->async_wait([&, c, reply, timer](boost::system::error_code) {
            auto refusal = room.apply(c);
            reply(refusal.empty(), refusal);
            if (refusal.empty()) {
                room.state["version"] = room.state["version"].get<int>() + 1;
                server_ptr->publish_state(room.state);
                if (c.kind == CommandKind::assist) {
                    server_ptr->publish_event(
                        {{"kind", "assist"}, {"message", "Assist: room brought up"}});
                }
            }
        });
    };
    const auto started = std::chrono::system_clock::now();
    hooks.tech_status = [&] {
        // The daemon's shape (daemon_devices.cpp start_panel()).
        auto buttons = room.buttons;
        const auto seen = std::chrono::system_clock::to_time_t(started - std::chrono::seconds(3));
        char iso[32];
        std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&seen));
        buttons[2]["last_seen"] = iso;
        return json{
            {"lights", room.state["lights"]},
            {"buttons", buttons},
            {"audio", room.state["audio"]},
            {"mqtt", {{"connected", true}, {"broker", "127.0.0.1:1883"}}},
            {"config",
             {{"file", "demo.yaml"},
              {"room", "room-1"},
              {"lights", 2},
              {"scenes", 0},
              {"templates", 2},
              {"errors", json::array()}}},
            {"events", json::array({{{"at", "2026-01-01T00:00:00Z"}, {"type", "demo_started"}}})},
            {"version", "demo"}};
    };
    hooks.sessions = [&] {
        return json::array({{{"session", "s1"},
                             {"template", "iv-ketamine"},
                             {"started", "2026-11-28T09:00:00Z"},
                             {"ended", "2026-11-28T10:30:00Z"},
                             {"open", false}}});
    };
    hooks.report = [&](const std::string& id, const std::string&) -> std::optional<std::string> {
        if (id != "s1") return std::nullopt;
        return json{{"id", "s1"}}.dump();
    };
    hooks.test_light = [&](const std::string& light, double level) -> std::optional<std::string> {
        if (!room.session().is_null()) return "a session is running; lights follow the session";
        if (!room.state["lights"].contains(light)) return "no light named " + light;
        room.state["lights"][light]["level"] = level;
        return std::nullopt;
    };
    hooks.test_tone = [&] {
        auto refused = room.test_tone();
        if (!refused) server_ptr->publish_state(room.state);
        return refused;
    };
    haven::panel::PanelOptions options;
    options.port = argc > 2 ? static_cast<std::uint16_t>(std::stoi(argv[2])) : 0;
    options.therapist_pin = "2468";
    options.tech_pin = "97531";
    options.www_root = argv[1];
    haven::panel::PanelServer server(io, options, hooks);
    server_ptr = &server;
    server.start();
    std::cout << "PORT " << server.port() << std::endl;

    boost::asio::steady_timer ticker(io);
    tick_every_second(ticker, room, server);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        ticker.cancel();
        server.stop();
        io.stop();
    });
    io.run();
    return 0;
}
