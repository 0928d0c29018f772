#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>

#include "client_options.hpp"
#include "ha_discovery.hpp"
#include "room_topics.hpp"
#include "subcommands.hpp"
#include "valid_room.hpp"

namespace haven::cli {
namespace {

// How long a retained `status` takes to arrive after subscribing, at most, on a local broker.
constexpr std::chrono::seconds status_wait{2};
// How long the broker may take to hand our own cleared status back.
constexpr std::chrono::seconds confirm_wait{5};

// Clears what the room left retained on the broker: the Home Assistant discovery message
// (the device disappears from Home Assistant), its state document and its status. Refused
// while the room's daemon says it is online: it would publish them again at once.
int decommission(const config::RoomConfig& room) {
    boost::asio::io_context io;
    auto options = mqtt::client_options_for(room);
    options.client_id += "-decommission";  // never take over the running daemon's session
    options.will_topic.clear();            // and never speak for the room's status
    mqtt::MqttClient client{io, options};
    const auto topics = config::RoomTopics::of(room);
    int code = 0;
    bool asked = false;
    boost::asio::steady_timer wait{io};
    auto finish = [&](int exit_code) {
        code = exit_code;
        wait.cancel();
        client.stop();
        wait.expires_after(std::chrono::milliseconds{300});  // the DISCONNECT leaves
        wait.async_wait([&](const boost::system::error_code&) { io.stop(); });
    };
    // The status is cleared last and comes back to us (we listen to it): the broker handles
    // a client's packets in order, so by then it has taken every clear. Closing earlier would
    // lose them: a broker that cannot send a PUBACK drops the client and what it still holds.
    auto clear = [&] {
        auto messages = mqtt::home_assistant_removal(room);
        for (const auto& topic : {topics.state(), topics.status()})
            messages.push_back({topic, "", 1, true});
        for (const auto& m : messages)
            client.publish(m);
        wait.expires_after(confirm_wait);
        wait.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            std::cerr << "haven: the broker did not confirm the clear in time\n";
            finish(1);
        });
    };
    client.subscribe(topics.status(), 1);
    client.on_message = [&](const std::string& topic, const std::string& payload) {
        if (topic != topics.status()) return;
        if (asked) {
            if (!payload.empty()) return;
            for (const auto& t : {mqtt::home_assistant_removal(room).front().topic, topics.state(),
                                  topics.status()})
                std::cout << "cleared " << t << "\n";
            finish(0);
            return;
        }
        asked = true;
        wait.cancel();
        if (payload == "online") {
            std::cerr << "haven: room '" << room.room.id
                      << "' is online: stop its daemon first (systemctl stop haven@<room>)\n";
            finish(1);
            return;
        }
        clear();
    };
    client.on_connected = [&] {
        wait.expires_after(status_wait);  // no retained status at all: nothing is running
        wait.async_wait([&](const boost::system::error_code& ec) {
            if (!ec && !asked) {
                asked = true;
                clear();
            }
        });
    };
    client.on_connect_failed = [&](const std::string& reason) {
        std::cerr << "haven: cannot connect to " << room.mqtt.host << ":" << room.mqtt.port << ": "
                  << reason << "\n";
        code = 2;
        io.stop();
    };
    client.start();
    io.run();
    return code;
}

}  // namespace

// `haven decommission --config FILE`: the room leaves the broker and Home Assistant.
void add_decommission_command(CLI::App& app) {
    auto config_file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "decommission",
        "Remove a retired room from the broker: its Home Assistant device, state and status");
    cmd->add_option("--config", *config_file, "Room YAML file")->required();
    cmd->callback([config_file] {
        if (int code = decommission(valid_room_or_exit(*config_file)); code != 0)
            throw CLI::RuntimeError(code);
    });
}

}  // namespace haven::cli
