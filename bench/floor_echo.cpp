// The floor for the reaction benchmark: the least a controller can do with libmosquitto,
// republishing a fixed payload for every message it receives. Haven's cue-to-light path is
// compared with this, on the same broker, in the same run.
//   floor_echo PORT IN_TOPIC OUT_TOPIC QOS

#include <mosquitto.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

struct Echo {
    std::string in_topic;
    std::string out_topic;
    int qos = 0;
};

const char kPayload[] = R"({"state":"ON","brightness":128,"transition":0.25})";

void on_connect(mosquitto* mosq, void* data, int rc) {
    if (rc != 0) return;
    const auto* echo = static_cast<Echo*>(data);
    mosquitto_subscribe(mosq, nullptr, echo->in_topic.c_str(), echo->qos);
}

void on_message(mosquitto* mosq, void* data, const mosquitto_message*) {
    const auto* echo = static_cast<Echo*>(data);
    mosquitto_publish(mosq, nullptr, echo->out_topic.c_str(), sizeof kPayload - 1, kPayload,
                      echo->qos, false);
}

mosquitto* g_mosq = nullptr;
void on_signal(int) {
    if (g_mosq) mosquitto_disconnect(g_mosq);  // makes loop_forever return
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: floor_echo PORT IN_TOPIC OUT_TOPIC QOS\n");
        return 2;
    }
    Echo echo{argv[2], argv[3], std::atoi(argv[4])};
    mosquitto_lib_init();
    // One client id per instance: two floors sharing an id would keep knocking each other off.
    const std::string id = "floor-echo-" + echo.out_topic;
    g_mosq = mosquitto_new(id.c_str(), true, &echo);
    mosquitto_int_option(g_mosq, MOSQ_OPT_TCP_NODELAY, 1);  // as Haven's client does
    mosquitto_connect_callback_set(g_mosq, on_connect);
    mosquitto_message_callback_set(g_mosq, on_message);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    if (mosquitto_connect(g_mosq, "127.0.0.1", std::atoi(argv[1]), 30) != MOSQ_ERR_SUCCESS) {
        std::fprintf(stderr, "floor_echo: cannot connect to port %s\n", argv[1]);
        return 1;
    }
    std::printf("floor ready\n");
    std::fflush(stdout);
    mosquitto_loop_forever(g_mosq, -1, 1);
    mosquitto_destroy(g_mosq);
    mosquitto_lib_cleanup();
    return 0;
}
