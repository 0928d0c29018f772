// The broadcaster on an io_context this test runs by hand: what reaches MQTT and the panel,
// and when.
#include "room_broadcaster.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

namespace haven::daemon {
namespace {

class RoomBroadcasterTest : public ::testing::Test {
  protected:
    RoomBroadcaster::Ports ports() {
        return {.build_state = [this] { return state; },
                .connected = [this] { return connected; },
                .publish = [this](devices::DeviceMessage m) { sent.push_back(std::move(m)); },
                .panel_state = [this](const nlohmann::json& s) { panel_states.push_back(s); },
                .panel_event = [this](const nlohmann::json& e) { panel_events.push_back(e); },
                .discovery = [this] { return discovery; }};
    }

    std::vector<std::string> topics_sent() const {
        std::vector<std::string> topics;
        for (const auto& m : sent)
            topics.push_back(m.topic);
        return topics;
    }

    void run_for(std::chrono::milliseconds time) {
        io.restart();
        io.run_for(time);
    }

    boost::asio::io_context io;
    nlohmann::json state{{"room", "cedar"}, {"session", nullptr}};
    bool connected = true;
    std::vector<devices::DeviceMessage> discovery;
    std::vector<devices::DeviceMessage> sent;
    std::vector<nlohmann::json> panel_states, panel_events;
    RoomBroadcaster broadcaster{io, config::RoomTopics("haven", "cedar"), ports()};
};

TEST_F(RoomBroadcasterTest, ChangesInOneTurnMakeOneRetainedDocument) {
    broadcaster.state_changed();
    broadcaster.state_changed();
    broadcaster.state_changed();
    EXPECT_TRUE(sent.empty()) << "published after the turn, not inside it";
    run_for(std::chrono::milliseconds{20});
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].topic, "haven/cedar/state");
    EXPECT_TRUE(sent[0].retain);
    EXPECT_EQ(sent[0].qos, 1);
    EXPECT_EQ(nlohmann::json::parse(sent[0].payload), state);
    EXPECT_EQ(panel_states.size(), 1U);
}

TEST_F(RoomBroadcasterTest, AnUnchangedDocumentIsNotSentAgain) {
    broadcaster.state_changed();
    run_for(std::chrono::milliseconds{20});
    broadcaster.state_changed();
    run_for(RoomBroadcaster::state_window * 3);
    EXPECT_EQ(sent.size(), 1U);
    state["session"] = {{"id", "0123456789abcdef"}};
    broadcaster.state_changed();
    run_for(RoomBroadcaster::state_window * 3);
    EXPECT_EQ(sent.size(), 2U);
}

TEST_F(RoomBroadcasterTest, AFloodOfChangesCostsOneDocumentPerWindow) {
    const auto start = std::chrono::steady_clock::now();
    int published_states = 0;
    for (int i = 0; i < 40; ++i) {
        state["n"] = i;
        broadcaster.state_changed();
        run_for(std::chrono::milliseconds{5});
    }
    run_for(RoomBroadcaster::state_window * 2);
    const auto windows = (std::chrono::steady_clock::now() - start) / RoomBroadcaster::state_window;
    published_states = static_cast<int>(sent.size());
    EXPECT_LE(published_states, windows + 2);
    EXPECT_EQ(nlohmann::json::parse(sent.back().payload)["n"], 39) << "the last change is not lost";
}

TEST_F(RoomBroadcasterTest, EventsRaisedWhileDisconnectedGoOutOnConnectionThenTheState) {
    connected = false;
    broadcaster.publish_event({{"type", "resumed"}});
    broadcaster.publish_event({{"type", "phase_entered"}});
    EXPECT_TRUE(sent.empty());
    EXPECT_EQ(panel_events.size(), 2U) << "the panel hears at once";

    connected = true;
    discovery = {{"homeassistant/device/haven_cedar/config", "{}", 1, true}};
    broadcaster.connected();
    EXPECT_EQ(topics_sent(), (std::vector<std::string>{"homeassistant/device/haven_cedar/config",
                                                       "haven/cedar/events", "haven/cedar/events",
                                                       "haven/cedar/state"}));
    EXPECT_EQ(nlohmann::json::parse(sent[1].payload)["type"], "resumed");
    EXPECT_FALSE(sent[1].retain);
}

TEST_F(RoomBroadcasterTest, EveryEventIsStampedAndTheTechPageKeepsTheLatest) {
    for (int i = 0; i < 60; ++i)
        broadcaster.publish_event({{"type", "cue"}, {"n", i}});
    ASSERT_EQ(broadcaster.recent_events().size(), RoomBroadcaster::recent_kept);
    EXPECT_EQ(broadcaster.recent_events().back()["n"], 59);
    EXPECT_TRUE(broadcaster.recent_events().back()["at"].is_string());
    broadcaster.publish_event({{"type", "cue"}, {"at", "2026-12-07T01:00:00Z"}});
    EXPECT_EQ(broadcaster.recent_events().back()["at"], "2026-12-07T01:00:00Z");
}

TEST_F(RoomBroadcasterTest, TextThatIsNotUtf8IsSentRepairedNotThrown) {
    broadcaster.publish_event({{"type", "command_rejected"}, {"reason", "got '\xFF'"}});
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_NE(sent[0].payload.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST_F(RoomBroadcasterTest, OnlyARefusalsEchoMayBeDroppedWhenTheBrokerIsBehind) {
    std::vector<devices::DeviceMessage> droppable;
    auto with_droppable = ports();
    with_droppable.publish_droppable = [&](devices::DeviceMessage m) {
        droppable.push_back(std::move(m));
    };
    RoomBroadcaster b{io, config::RoomTopics("haven", "cedar"), with_droppable};
    b.publish_event({{"type", "command_rejected"}, {"command", "ack"}});
    b.publish_event({{"type", "assist_raised"}});
    b.publish_event({{"type", "reminder_due"}});
    ASSERT_EQ(droppable.size(), 1U);
    EXPECT_EQ(droppable[0].topic, "haven/cedar/events");
    EXPECT_EQ(droppable[0].qos, 1);
    EXPECT_EQ(sent.size(), 2U) << "a cue's or a reminder's event is never droppable";
}

TEST_F(RoomBroadcasterTest, DiscoveryIsRepublishedWhenHomeAssistantAsks) {
    broadcaster.republish_discovery();
    EXPECT_TRUE(sent.empty()) << "discovery off";
    discovery = {{"homeassistant/device/haven_cedar/config", "{}", 1, true}};
    broadcaster.republish_discovery();
    EXPECT_EQ(topics_sent(), std::vector<std::string>{"homeassistant/device/haven_cedar/config"});
}

}  // namespace
}  // namespace haven::daemon
