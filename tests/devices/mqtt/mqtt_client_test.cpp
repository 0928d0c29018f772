// MqttClient against a real mosquitto broker (tests/support/mosquitto_broker.hpp).
#include "mqtt_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <memory>

#include "mosquitto_broker.hpp"
#include "test_mqtt_client.hpp"

namespace haven::mqtt {
namespace {

using namespace std::chrono_literals;
using test::MosquittoBroker;
using test::TestMqttClient;

const std::string status_topic = "haven/cedar/status";

ClientOptions options_for(const MosquittoBroker& broker, std::string client_id = "haven-cedar") {
    ClientOptions options;
    options.host = broker.host();
    options.port = broker.port();
    options.client_id = std::move(client_id);
    options.will_topic = status_topic;
    options.keepalive_s = 5;
    options.backoff_min = 50ms;  // quick retries keep the suite fast
    options.backoff_max = 400ms;
    if (broker.mode() == MosquittoBroker::Mode::password) {
        options.username = broker.username();
        options.password = broker.password();
    }
    if (broker.mode() == MosquittoBroker::Mode::tls) {
        options.tls = config::TlsConfig{broker.ca_file(), broker.client_cert_file(),
                                        broker.client_key_file()};
    }
    return options;
}

// Records what the client reports, so tests can wait for it.
struct Recorder {
    int connects = 0;
    std::vector<std::string> disconnects;
    std::vector<std::string> failures;
    std::vector<std::pair<std::string, std::string>> messages;
    std::vector<std::pair<std::string, std::size_t>> oversized;

    void attach(MqttClient& client) {
        client.on_connected = [this] { ++connects; };
        client.on_disconnected = [this](std::string reason) {
            disconnects.push_back(std::move(reason));
        };
        client.on_connect_failed = [this](std::string reason) {
            failures.push_back(std::move(reason));
        };
        client.on_message = [this](const std::string& topic, const std::string& payload) {
            messages.emplace_back(topic, payload);
        };
        client.on_oversized = [this](const std::string& topic, std::size_t size) {
            oversized.emplace_back(topic, size);
        };
    }
};

class MqttClientTest : public ::testing::Test {
  protected:
    // Runs the loop until `done` holds or the timeout passes; returns `done()`.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io.restart();
            io.run_for(10ms);
        }
        return done();
    }
    // Waits for `observer` to receive a message while our loop keeps running: the client
    // only writes from loop handlers, so blocking here without running it would starve it.
    std::optional<test::ReceivedMessage> observe(
        TestMqttClient& observer, const std::string& topic,
        const std::function<bool(const std::string&)>& accept = {},
        std::chrono::milliseconds timeout = 10s) {
        std::optional<test::ReceivedMessage> found;
        run_until(
            [&] {
                if (!found) found = observer.wait_for(topic, accept, 0ms);
                return found.has_value();
            },
            timeout);
        return found;
    }
    // Publishes from `sender` until the client under test has it. Our SUBSCRIBE goes out
    // with (not before) on_connected, so a single publish right after connecting can reach
    // the broker first and match nothing; repeating proves the subscription is live.
    bool deliver(TestMqttClient& sender, const Recorder& recorder, const std::string& topic,
                 const std::string& payload) {
        const auto got_it = [&] {
            return std::find(recorder.messages.begin(), recorder.messages.end(),
                             std::make_pair(topic, payload)) != recorder.messages.end();
        };
        for (int attempt = 0; attempt < 20 && !got_it(); ++attempt) {
            sender.publish(topic, payload);
            run_until(got_it, 250ms);
        }
        return got_it();
    }
    void run_for(std::chrono::milliseconds duration) {
        io.restart();
        io.run_for(duration);
    }

    std::unique_ptr<MqttClient> started_client(const ClientOptions& options, Recorder& recorder) {
        auto client = std::make_unique<MqttClient>(io, options);
        recorder.attach(*client);
        client->start();
        return client;
    }

    boost::asio::io_context io;
};

bool is(const std::string& payload, const std::string& expected) {
    return payload == expected;
}

TEST_F(MqttClientTest, ConnectsAnnouncesOnlineAndCarriesMessagesBothWays) {
    MosquittoBroker broker;
    TestMqttClient observer(broker);
    observer.subscribe("haven/#");
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    client->subscribe("haven/cedar/cmd/+");
    ASSERT_TRUE(run_until([&] { return client->connected(); })) << broker.log_file();
    EXPECT_EQ(recorder.connects, 1);

    const auto online = observe(observer, status_topic);
    ASSERT_TRUE(online);
    EXPECT_EQ(online->payload, "online");

    ASSERT_TRUE(deliver(observer, recorder, "haven/cedar/cmd/next", "PRESS"));
    EXPECT_EQ(recorder.messages[0],
              std::make_pair(std::string("haven/cedar/cmd/next"), std::string("PRESS")));

    client->publish({"haven/cedar/state", R"({"room":"cedar"})", 1, true});
    ASSERT_TRUE(observe(observer, "haven/cedar/state"));

    // A late subscriber still sees the retained online status.
    TestMqttClient late(broker);
    late.subscribe(status_topic);
    const auto retained = observe(late, status_topic);
    ASSERT_TRUE(retained);
    EXPECT_TRUE(retained->retained);
    EXPECT_EQ(retained->payload, "online");
}

// A cue's light command is published while the cue is being handled, and the handling goes
// on (logging, journaling, the state). The command must be on the wire before the handler
// returns, not queued until it does: here the handler waits until an observer has it.
TEST_F(MqttClientTest, APublishMadeWhileHandlingAMessageIsSentBeforeTheHandlerReturns) {
    MosquittoBroker broker;
    TestMqttClient observer(broker);
    observer.subscribe("zigbee2mqtt/cedar/ceiling/set");
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    client->subscribe("zigbee2mqtt/cedar/button");
    ASSERT_TRUE(run_until([&] { return client->connected(); })) << broker.log_file();
    std::optional<bool> seen_inside_handler;
    client->on_message = [&](const std::string& topic, const std::string& payload) {
        recorder.messages.emplace_back(topic, payload);
        if (seen_inside_handler) return;
        client->publish({"zigbee2mqtt/cedar/ceiling/set", R"({"brightness":30})", 0, false});
        seen_inside_handler =
            observer.wait_for("zigbee2mqtt/cedar/ceiling/set", {}, 2000ms).has_value();
    };
    ASSERT_TRUE(deliver(observer, recorder, "zigbee2mqtt/cedar/button", R"({"action":"single"})"));
    ASSERT_TRUE(seen_inside_handler.has_value());
    EXPECT_TRUE(*seen_inside_handler) << "the light command waited for the handler to return";
}

TEST_F(MqttClientTest, ConnectsWithUsernameAndPassword) {
    MosquittoBroker broker(MosquittoBroker::Mode::password);
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    ASSERT_TRUE(run_until([&] { return client->connected(); })) << broker.log_file();
    EXPECT_TRUE(recorder.failures.empty());
}

TEST_F(MqttClientTest, WrongPasswordIsReportedAndRetried) {
    MosquittoBroker broker(MosquittoBroker::Mode::password);
    auto options = options_for(broker);
    options.password = "wrong";
    Recorder recorder;
    auto client = started_client(options, recorder);
    ASSERT_TRUE(run_until([&] { return recorder.failures.size() >= 2; }));
    EXPECT_FALSE(client->connected());
    EXPECT_NE(recorder.failures[0].find("not authorised"), std::string::npos)
        << recorder.failures[0];
    EXPECT_EQ(recorder.connects, 0);
}

TEST_F(MqttClientTest, ConnectsOverTlsWithAClientCertificate) {
    MosquittoBroker broker(MosquittoBroker::Mode::tls);
    TestMqttClient observer(broker);
    observer.subscribe(status_topic);
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    client->subscribe("haven/cedar/cmd/+");
    ASSERT_TRUE(run_until([&] { return client->connected(); })) << broker.log_file();
    ASSERT_TRUE(
        observe(observer, status_topic, [](const std::string& p) { return is(p, "online"); }));
    ASSERT_TRUE(deliver(observer, recorder, "haven/cedar/cmd/hold", ""));
    EXPECT_EQ(recorder.messages[0].first, "haven/cedar/cmd/hold");
    EXPECT_EQ(recorder.messages[0].second, "");
}

TEST_F(MqttClientTest, TlsWithoutTheClientCertificateIsRefused) {
    MosquittoBroker broker(MosquittoBroker::Mode::tls);
    auto options = options_for(broker);
    options.tls->cert_file.clear();
    options.tls->key_file.clear();
    Recorder recorder;
    auto client = started_client(options, recorder);
    ASSERT_TRUE(run_until([&] { return !recorder.failures.empty(); }));
    run_for(200ms);
    EXPECT_FALSE(client->connected());
    EXPECT_EQ(recorder.connects, 0);
}

TEST_F(MqttClientTest, MissingTlsFilesAreASetupErrorNamingTheFile) {
    MosquittoBroker broker;
    auto options = options_for(broker);
    options.tls = config::TlsConfig{"/nonexistent/ca.crt", {}, {}};
    try {
        MqttClient client(io, options);
        FAIL() << "expected a setup error";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("/nonexistent/ca.crt"), std::string::npos)
            << error.what();
    }
}

TEST_F(MqttClientTest, WillIsPublishedWhenTheClientVanishes) {
    MosquittoBroker broker;
    TestMqttClient observer(broker);
    observer.subscribe(status_topic);
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    ASSERT_TRUE(run_until([&] { return client->connected(); }));
    ASSERT_TRUE(
        observe(observer, status_topic, [](const std::string& p) { return is(p, "online"); }));

    client.reset();  // no DISCONNECT: to the broker this is a crash
    const auto will = observe(observer, status_topic);
    ASSERT_TRUE(will);
    EXPECT_EQ(will->payload, "offline");

    TestMqttClient late(broker);  // and it is retained
    late.subscribe(status_topic);
    const auto retained = observe(late, status_topic);
    ASSERT_TRUE(retained);
    EXPECT_EQ(retained->payload, "offline");
}

TEST_F(MqttClientTest, StopSaysOfflineDisconnectsAndStaysDown) {
    MosquittoBroker broker;
    TestMqttClient observer(broker);
    observer.subscribe(status_topic);
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    ASSERT_TRUE(run_until([&] { return client->connected(); }));
    ASSERT_TRUE(
        observe(observer, status_topic, [](const std::string& p) { return is(p, "online"); }));

    client->stop();
    EXPECT_FALSE(client->connected());
    ASSERT_EQ(recorder.disconnects.size(), 1u);
    const auto offline = observe(observer, status_topic);
    ASSERT_TRUE(offline);
    EXPECT_EQ(offline->payload, "offline");

    client->publish({"haven/cedar/state", "after stop", 0, false});
    run_for(500ms);  // several backoff periods: no reconnect may happen
    EXPECT_EQ(recorder.connects, 1);
    EXPECT_FALSE(client->connected());
    EXPECT_TRUE(observer.received("haven/cedar/state").empty());
}

TEST_F(MqttClientTest, ReconnectsAfterTheBrokerDiesAndSubscribesAgain) {
    MosquittoBroker broker;
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    client->subscribe("haven/cedar/cmd/+");
    ASSERT_TRUE(run_until([&] { return client->connected(); }));

    broker.kill();  // SIGKILL: the broker saves nothing, so our subscription dies with it
    ASSERT_TRUE(run_until([&] { return !recorder.disconnects.empty(); }));
    EXPECT_FALSE(client->connected());
    run_for(300ms);  // a few failed attempts while it is down
    EXPECT_FALSE(recorder.failures.empty());

    broker.start();
    ASSERT_TRUE(run_until([&] { return recorder.connects == 2; })) << broker.log_file();
    EXPECT_TRUE(client->connected());

    TestMqttClient observer(broker);
    ASSERT_TRUE(deliver(observer, recorder, "haven/cedar/cmd/assist", "PRESS"));
    EXPECT_EQ(recorder.messages[0].first, "haven/cedar/cmd/assist");
}

TEST_F(MqttClientTest, NeverGivesUpWhileTheBrokerIsAway) {
    MosquittoBroker broker;
    broker.stop();
    Recorder recorder;
    auto client = started_client(options_for(broker), recorder);
    ASSERT_TRUE(run_until([&] { return recorder.failures.size() >= 4; }));
    EXPECT_FALSE(client->connected());
    broker.start();
    ASSERT_TRUE(run_until([&] { return client->connected(); }));
    EXPECT_EQ(recorder.connects, 1);
}

TEST_F(MqttClientTest, CommandSentWhileDisconnectedIsDeliveredOnReconnect) {
    MosquittoBroker broker;
    {
        Recorder recorder;
        auto client = started_client(options_for(broker, "haven-oak"), recorder);
        client->subscribe("haven/cedar/cmd/+", 1);
        ASSERT_TRUE(run_until([&] { return client->connected(); }));
        TestMqttClient probe(broker);  // the subscription is live before we leave
        ASSERT_TRUE(deliver(probe, recorder, "haven/cedar/cmd/probe", ""));
        client->stop();  // clean session off: the broker keeps the subscription and queues
    }
    TestMqttClient nurse_station(broker);
    nurse_station.publish("haven/cedar/cmd/start", "iv-ketamine", 1);

    // No subscribe() this time: only the persistent session can deliver the command.
    Recorder recorder;
    auto client = started_client(options_for(broker, "haven-oak"), recorder);
    const std::pair<std::string, std::string> command{"haven/cedar/cmd/start", "iv-ketamine"};
    ASSERT_TRUE(run_until([&] {
        return std::find(recorder.messages.begin(), recorder.messages.end(), command) !=
               recorder.messages.end();
    })) << broker.log_file();
}

TEST_F(MqttClientTest, PublishWhileDisconnectedIsDroppedNotQueued) {
    MosquittoBroker broker;
    TestMqttClient observer(broker);
    observer.subscribe("haven/cedar/state");
    Recorder recorder;
    auto client = std::make_unique<MqttClient>(io, options_for(broker));
    recorder.attach(*client);
    client->publish({"haven/cedar/state", "stale", 1, false});
    client->start();
    client->publish({"haven/cedar/state", "also stale", 1, false});  // still connecting
    ASSERT_TRUE(run_until([&] { return client->connected(); }));
    client->publish({"haven/cedar/state", "fresh", 1, false});
    const auto first = observe(observer, "haven/cedar/state");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->payload, "fresh");
    run_for(100ms);
    EXPECT_EQ(observer.received("haven/cedar/state").size(), 1u);
}

TEST_F(MqttClientTest, MalformedAndOversizedPayloadsAreSurvived) {
    MosquittoBroker broker;
    auto options = options_for(broker);
    options.max_inbound_payload = 1024;
    Recorder recorder;
    auto client = started_client(options, recorder);
    client->subscribe("haven/cedar/cmd/#");
    TestMqttClient sender(broker);
    ASSERT_TRUE(deliver(sender, recorder, "haven/cedar/cmd/probe", ""));
    // A probe sent again by deliver() may still arrive late: the checks leave probes out.
    const auto received = [&] {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& message : recorder.messages)
            if (message.first != "haven/cedar/cmd/probe") out.push_back(message);
        return out;
    };

    const std::string binary("\0\xff\xfe{\"unterminated", 16);
    sender.publish("haven/cedar/cmd/start", binary);
    sender.publish("haven/cedar/cmd/volume", std::string(1025, 'x'));
    sender.publish("haven/cedar/cmd/mark", std::string(1 << 20, 'y'));
    sender.publish("haven/cedar/cmd/deep/nested/topic", "{");
    sender.publish("haven/cedar/cmd/next", "PRESS");

    ASSERT_TRUE(
        run_until([&] { return received().size() == 3 && recorder.oversized.size() == 2; }));
    const auto messages = received();
    EXPECT_EQ(messages[0].second, binary);  // bytes intact, NULs included
    EXPECT_EQ(messages[1].first, "haven/cedar/cmd/deep/nested/topic");
    EXPECT_EQ(messages[2].second, "PRESS");
    EXPECT_EQ(recorder.oversized[0],
              std::make_pair(std::string("haven/cedar/cmd/volume"), std::size_t{1025}));
    EXPECT_EQ(recorder.oversized[1].second, std::size_t{1} << 20);
    EXPECT_TRUE(client->connected());
}

}  // namespace
}  // namespace haven::mqtt
