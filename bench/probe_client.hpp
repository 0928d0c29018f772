#pragma once
// A single-threaded libmosquitto client for timing round trips: the caller drives the network
// loop itself, so no thread hand-off sits between a message's arrival and its timestamp.

#include <functional>
#include <string>

#include "bench_support.hpp"

struct mosquitto;
struct mosquitto_message;

namespace haven::bench {

struct Arrival {
    std::string topic;
    std::string payload;
    Clock::time_point at;
};

class ProbeClient {
  public:
    ProbeClient(const std::string& id, int port);  // throws std::runtime_error if it cannot connect
    ~ProbeClient();
    ProbeClient(const ProbeClient&) = delete;
    ProbeClient& operator=(const ProbeClient&) = delete;

    // Subscribes and waits for the SUBACK.
    void subscribe(const std::string& filter, int qos);
    void publish(const std::string& topic, const std::string& payload, int qos,
                 bool retain = false);

    // Runs the network loop until `done` returns true for an arrival or the timeout passes;
    // every arrival before that is handed to `done` too. Returns false on timeout.
    bool wait_for(const std::function<bool(const Arrival&)>& done,
                  std::chrono::milliseconds timeout);
    // Runs the network loop for a while, dropping whatever arrives.
    void drain(std::chrono::milliseconds how_long);
    // Handles whatever has already reached the socket, without waiting; returns how many
    // messages that was (stragglers from an earlier round, counted rather than mistimed).
    int poll();

  private:
    static void on_message(mosquitto*, void* self, const mosquitto_message* message);
    static void on_subscribe(mosquitto*, void* self, int, int, const int*);
    void loop_once(int timeout_ms);

    mosquitto* mosq_ = nullptr;
    std::function<bool(const Arrival&)> handler_;
    bool matched_ = false;
    int subacks_ = 0;
};

}  // namespace haven::bench
