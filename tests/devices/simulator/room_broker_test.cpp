// Integration: Haven's LightRig and ButtonRouter against the virtual room through a real
// mosquitto broker on a free loopback port.
#include <gtest/gtest.h>
#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "../button_fixture.hpp"
#include "button_router.hpp"
#include "light_rig.hpp"
#include "mosquitto_broker.hpp"
#include "room_runner.hpp"

namespace haven::simulator {
namespace {

using namespace std::chrono_literals;

bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

// The same broker every integration test starts (tests/support).
using Broker = test::MosquittoBroker;

config::RoomConfig room_config(int port) {
    config::RoomConfig room;
    room.room.id = "sim-test";
    room.mqtt.port = port;
    auto add = [&](std::string id, std::string driver, std::string topic, bool ct) {
        room.lights[id] = {.id = id, .driver = driver, .topic = topic, .color_temp = ct};
    };
    add("ceiling", "zigbee2mqtt", "zigbee2mqtt/ceiling", true);
    add("lamp", "tasmota", "lamp", true);
    add("wall", "shelly-gen2", "shelly-wall", false);
    add("strip", "wled", "wled/strip", false);
    add("floor", "ha-json", "home/floor", false);
    room.buttons = device_fixtures::one_button_per_dialect();
    return room;
}

// Plays Haven's side: the rig and router on a client of their own.
class HavenSide {
  public:
    explicit HavenSide(const config::RoomConfig& room)
        : rig_(room.lights, "haven-" + room.room.id), router_(room.buttons) {
        mosquitto_lib_init();
        client_ = mosquitto_new("haven-test", true, this);
        mosquitto_message_callback_set(client_,
                                       [](mosquitto*, void* self, const mosquitto_message* m) {
                                           static_cast<HavenSide*>(self)->received(m);
                                       });
        mosquitto_subscribe_callback_set(client_, [](mosquitto*, void* self, int, int, const int*) {
            ++static_cast<HavenSide*>(self)->acknowledged_;
        });
        EXPECT_EQ(mosquitto_connect(client_, "127.0.0.1", room.mqtt.port, 30), MOSQ_ERR_SUCCESS);
        auto topics = rig_.subscriptions();
        for (const auto& topic : router_.subscriptions())
            topics.push_back(topic);
        for (const auto& topic : topics)
            mosquitto_subscribe(client_, nullptr, topic.c_str(), 1);
        mosquitto_loop_start(client_);
        // Presses are not retained: wait until the broker has every subscription.
        EXPECT_TRUE(wait_for([&] { return acknowledged_ == static_cast<int>(topics.size()); }));
    }
    ~HavenSide() {
        mosquitto_disconnect(client_);
        mosquitto_loop_stop(client_, false);
        mosquitto_destroy(client_);
    }

    void scene(double level, Millis fade) {
        std::lock_guard lock(mutex_);
        std::map<std::string, config::LightTarget> targets;
        for (const auto& [id, value] : rig_.levels())
            targets[id] = {level, 2700};
        rig_.apply_scene(targets, fade, now());
    }
    // Steps the rig in real time until it rests (what the daemon's timer does).
    void run_fades(std::chrono::milliseconds limit = 5s) {
        wait_for(
            [this] {
                std::lock_guard lock(mutex_);
                publish(rig_.advance(now()));
                return !rig_.next_wake();
            },
            limit);
    }
    std::vector<lights::AvailabilityChange> changes() {
        std::lock_guard lock(mutex_);
        auto taken = rig_.take_availability_changes();
        seen_changes_.insert(seen_changes_.end(), taken.begin(), taken.end());
        return seen_changes_;
    }
    std::vector<std::pair<Command, CommandSource>> cues() {
        std::lock_guard lock(mutex_);
        return cues_;
    }

  private:
    static Millis now() {
        return std::chrono::duration_cast<Millis>(
            std::chrono::steady_clock::now().time_since_epoch());
    }
    void publish(const std::vector<devices::DeviceMessage>& messages) {
        for (const auto& m : messages)
            mosquitto_publish(client_, nullptr, m.topic.c_str(), static_cast<int>(m.payload.size()),
                              m.payload.data(), m.qos, m.retain);
    }
    void received(const mosquitto_message* m) {
        const std::string topic = m->topic;
        const std::string payload(static_cast<const char*>(m->payload),
                                  static_cast<std::size_t>(m->payloadlen));
        std::lock_guard lock(mutex_);
        rig_.on_message(topic, payload, now());
        if (auto cue = router_.route(topic, payload).cue) cues_.push_back(*cue);
    }

    std::mutex mutex_;
    lights::LightRig rig_;
    buttons::ButtonRouter router_;
    std::vector<lights::AvailabilityChange> seen_changes_;
    std::vector<std::pair<Command, CommandSource>> cues_;
    mosquitto* client_ = nullptr;
    std::atomic<int> acknowledged_{0};
};

TEST(RoomThroughBroker, SceneLandsOnEveryDialectAndOfflineLightRecovers) {
    Broker broker;
    const auto config = room_config(broker.port());
    RoomRunner room(config);
    HavenSide haven(config);
    haven.scene(40, 1s);
    haven.run_fades();
    for (const auto& [id, light] : config.lights)
        EXPECT_TRUE(wait_for([&, id = id] { return std::abs(room.level(id) - 40) < 0.5; })) << id;

    ASSERT_TRUE(room.set_online("lamp", false));
    ASSERT_TRUE(wait_for([&] { return !haven.changes().empty(); }));
    EXPECT_EQ(haven.changes().front(), (lights::AvailabilityChange{"lamp", false}));
    haven.scene(70, 500ms);
    haven.run_fades();
    EXPECT_TRUE(wait_for([&] { return std::abs(room.level("wall") - 70) < 0.5; }));
    EXPECT_NEAR(room.level("lamp"), 40, 0.5) << "an offline light took commands";
    ASSERT_TRUE(room.set_online("lamp", true));
    ASSERT_TRUE(wait_for([&] { return haven.changes().size() == 2; }));
    haven.run_fades();
    EXPECT_TRUE(wait_for([&] { return std::abs(room.level("lamp") - 70) < 0.5; })) << room.view();
}

TEST(RoomThroughBroker, PressesInEveryDialectBecomeTheConfiguredCues) {
    Broker broker;
    const auto config = room_config(broker.port());
    RoomRunner room(config);
    HavenSide haven(config);
    ASSERT_TRUE(room.press("z", "single"));
    ASSERT_TRUE(room.press("t", "button2_double"));
    ASSERT_TRUE(room.press("s", "long_push"));
    ASSERT_TRUE(room.press("g", "ACK"));
    ASSERT_TRUE(wait_for([&] { return haven.cues().size() == 4; })) << haven.cues().size();
    std::map<std::string, std::string> by_button;
    for (const auto& [command, source] : haven.cues())
        by_button[source.id] = format_cue(command);
    EXPECT_EQ(by_button, (std::map<std::string, std::string>{
                             {"g", "ack bp"}, {"s", "assist"}, {"t", "extend 5m"}, {"z", "next"}}));
}

TEST(RoomRunner, RefusesAnUnreachableBrokerWithAReason) {
    auto config = room_config(test::free_loopback_port());
    try {
        RoomRunner room(config);
        FAIL() << "connected to nothing";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("cannot connect"), std::string::npos)
            << error.what();
    }
}

}  // namespace
}  // namespace haven::simulator

namespace haven::simulator {
namespace {

TEST(SimulateRoomConsole, CommandsAnswerAndRefuseWithAReason) {
    Broker broker;
    RoomRunner room(room_config(broker.port()));
    EXPECT_EQ(execute_console_command(room, "press z single"), "pressed z single\n");
    EXPECT_EQ(execute_console_command(room, "press nobody single"),
              "no button 'nobody' in this room\n");
    EXPECT_EQ(execute_console_command(room, "press z"), "usage: press <button> <action>\n");
    EXPECT_EQ(execute_console_command(room, "offline lamp"), "");
    EXPECT_NE(room.view().find("OFFLINE"), std::string::npos);
    EXPECT_EQ(execute_console_command(room, "online ghost"), "no light 'ghost' in this room\n");
    EXPECT_NE(execute_console_command(room, "dance").find("unknown command 'dance'"),
              std::string::npos);
    EXPECT_EQ(execute_console_command(room, "   "), "");
}

}  // namespace
}  // namespace haven::simulator
