#pragma once
// A small synchronous MQTT client for tests: the other end of whatever Haven talks to.
// It uses libmosquitto's own network thread (fine in tests); every call blocks until the
// broker acknowledged it or a timeout passed, and received messages wait in a queue.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace haven::test {

class MosquittoBroker;

struct ReceivedMessage {
    std::string topic;
    std::string payload;
    bool retained = false;
};

class TestMqttClient {
  public:
    using Timeout = std::chrono::milliseconds;
    static constexpr Timeout default_timeout{5000};

    // Connects with the broker's credentials (password or TLS client certificate); throws
    // when the connection is not up within the timeout. An empty id makes a random one.
    explicit TestMqttClient(const MosquittoBroker& broker, std::string client_id = "",
                            bool clean_session = true);
    ~TestMqttClient();
    TestMqttClient(const TestMqttClient&) = delete;
    TestMqttClient& operator=(const TestMqttClient&) = delete;

    void subscribe(const std::string& filter, int qos = 1);  // waits for the SUBACK
    // Waits for the PUBACK at QoS 1 (QoS 0: until written).
    void publish(const std::string& topic, const std::string& payload, int qos = 1,
                 bool retain = false);

    // The first queued message (older ones on other topics stay queued) on `topic` whose
    // payload satisfies `accept`, waiting up to `timeout` for it to arrive.
    std::optional<ReceivedMessage> wait_for(
        const std::string& topic, const std::function<bool(const std::string&)>& accept = {},
        Timeout timeout = default_timeout);
    // Everything received so far on `topic`, without waiting.
    std::vector<ReceivedMessage> received(const std::string& topic) const;

  private:
    static void handle_connect(mosquitto*, void* self, int rc);
    static void handle_message(mosquitto*, void* self, const mosquitto_message* message);
    static void handle_ack(mosquitto*, void* self, int mid);
    static void handle_suback(mosquitto*, void* self, int mid, int qos_count, const int* granted);
    void wait_ack(int mid, const std::string& what);

    mosquitto* mosq_ = nullptr;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool connected_ = false;
    int connack_ = -1;
    std::vector<int> acked_;
    std::deque<ReceivedMessage> inbox_;
    std::vector<ReceivedMessage> history_;
};

}  // namespace haven::test
