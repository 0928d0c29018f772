#include "mqtt_client.hpp"

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "mqtt_client_impl.hpp"

namespace haven::mqtt {
namespace {

void init_library_once() {
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

const char* c_str_or_null(const std::filesystem::path& path) {
    return path.empty() ? nullptr : path.c_str();
}

}  // namespace

std::string describe_error(int rc) {
    // MOSQ_ERR_ERRNO means "look at errno": connection refused, unreachable, ...
    if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
    return mosquitto_strerror(rc);
}

MqttClient::Impl::Impl(MqttClient& owner_in, asio::io_context& io_in, ClientOptions options_in)
    : owner(&owner_in),
      io(io_in),
      options(std::move(options_in)),
      misc_timer(io),
      retry_timer(io),
      ack_timer(io),
      backoff(options.backoff_min, options.backoff_max),
      rng(std::random_device{}()) {
    init_library_once();
    if (options.client_id.empty()) {
        throw std::invalid_argument("MQTT client id must not be empty (the session is persistent)");
    }
    mosq = mosquitto_new(options.client_id.c_str(), /*clean_session=*/false, this);
    if (mosq == nullptr)
        throw std::runtime_error("mosquitto_new failed: " + describe_error(MOSQ_ERR_ERRNO));
    configure();
}

void MqttClient::Impl::configure() {
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    // With Nagle on, every QoS 1 exchange waits ~40 ms for the broker's delayed ACK.
    mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
    if (options.username) {
        const char* password = options.password ? options.password->c_str() : nullptr;
        check(mosquitto_username_pw_set(mosq, options.username->c_str(), password), "username");
    }
    if (options.tls) {
        const auto& tls = *options.tls;
        check(mosquitto_tls_set(mosq, c_str_or_null(tls.ca_file), nullptr,
                                c_str_or_null(tls.cert_file), c_str_or_null(tls.key_file), nullptr),
              "TLS files (" + tls.ca_file.string() + ")");
    }
    if (!options.will_topic.empty()) {
        check(mosquitto_will_set(mosq, options.will_topic.c_str(),
                                 static_cast<int>(options.will_payload.size()),
                                 options.will_payload.data(), 1, true),
              "last will topic '" + options.will_topic + "'");
    }
    mosquitto_connect_callback_set(mosq, &Impl::handle_connect);
    mosquitto_disconnect_callback_set(mosq, &Impl::handle_disconnect);
    mosquitto_message_callback_set(mosq, &Impl::handle_message);
    mosquitto_publish_callback_set(mosq, &Impl::handle_published);
}

void MqttClient::Impl::check(int rc, const std::string& what) {
    if (rc != MOSQ_ERR_SUCCESS) {
        mosquitto_destroy(mosq);
        mosq = nullptr;
        throw std::invalid_argument("MQTT " + what + ": " + describe_error(rc));
    }
}

void MqttClient::Impl::destroy() {
    owner = nullptr;
    state = State::stopped;
    release_socket();
    misc_timer.cancel();
    retry_timer.cancel();
    ack_timer.cancel();
    if (mosq == nullptr) return;
    // Closes the socket without DISCONNECT, so the broker publishes the will. Inside one
    // of our own callbacks libmosquitto is still using the handle: free it afterwards.
    if (in_callback) {
        asio::post(io, [doomed = mosq] { mosquitto_destroy(doomed); });
    } else {
        mosquitto_destroy(mosq);
    }
    mosq = nullptr;
}

MqttClient::MqttClient(asio::io_context& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(*this, io, std::move(options))) {}

MqttClient::~MqttClient() {
    impl_->destroy();
}

void MqttClient::start() {
    impl_->start();
}
void MqttClient::stop() {
    impl_->stop();
}
void MqttClient::subscribe(std::string filter, int qos) {
    impl_->subscribe(std::move(filter), qos);
}
void MqttClient::publish(const devices::DeviceMessage& message, Delivery delivery) {
    impl_->publish(message, delivery);
}
bool MqttClient::connected() const {
    return impl_->state == Impl::State::connected;
}
std::size_t MqttClient::unacknowledged() const {
    return impl_->unacked.size();
}

}  // namespace haven::mqtt
