#pragma once
// A hostile crowd on the clinic network: several MQTT connections, each on its own thread,
// publishing garbage as fast as a paced loop allows, to a list of topics. It never waits for
// the broker (QoS 1 messages go out with an unlimited in-flight window), so the rate is set
// by the publisher's pace and the broker's TCP back-pressure, not by acknowledgements.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace haven::test {

class MosquittoBroker;

struct FloodPlan {
    int connections = 6;
    int messages_per_second = 18000;  // the total over all connections
    std::chrono::seconds duration{60};
    // Message number i of one connection (the connection's index is mixed in by the caller
    // of `message`): topic, payload and QoS.
    struct Message {
        std::string topic;
        std::string payload;
        int qos = 0;
    };
    std::function<Message(int connection, long i)> message;
};

class MqttFlooder {
  public:
    // Connects every publisher (throws when one cannot connect), then starts them all.
    MqttFlooder(const MosquittoBroker& broker, FloodPlan plan);
    ~MqttFlooder();  // stops and joins
    MqttFlooder(const MqttFlooder&) = delete;
    MqttFlooder& operator=(const MqttFlooder&) = delete;

    void wait();  // until every publisher has sent its share (or stop() was called)
    void stop();
    long sent() const { return sent_.load(); }
    bool running() const { return running_.load() > 0; }

  private:
    void publish_loop(int connection, void* mosq);

    FloodPlan plan_;
    std::vector<void*> clients_;  // mosquitto*, one per connection
    std::vector<std::thread> threads_;
    std::atomic<long> sent_{0};
    std::atomic<int> running_{0};
    std::atomic<bool> stopping_{false};
};

}  // namespace haven::test
