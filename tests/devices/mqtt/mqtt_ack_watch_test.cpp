// MqttClient against a broker that acknowledges nothing after CONNACK: what mosquitto becomes
// for a client once more than max_queued_messages packets wait for it (issue 21's flood), as
// it then drops our PUBACKs with the rest. The client must renew the connection by itself so
// that libmosquitto resends what waited, and must not queue droppable messages without end.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <mutex>
#include <thread>

#include "mqtt_client.hpp"

namespace haven::mqtt {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

// Accepts connections one after another on its own thread; answers CONNECT with CONNACK and
// PINGREQ with PINGRESP, and keeps every other packet's first byte, per connection.
class SilentBroker {
  public:
    SilentBroker() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        thread_ = std::thread([this] { serve(); });
    }
    ~SilentBroker() {
        // shutdown(), not close(): only it wakes a thread blocked in accept() or read().
        stopping_ = true;
        ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
        {
            std::lock_guard lock(mutex_);
            boost::system::error_code ignored;
            if (current_) current_->shutdown(tcp::socket::shutdown_both, ignored);
        }
        thread_.join();
    }
    int port() const { return acceptor_.local_endpoint().port(); }
    // The first byte of each packet after CONNECT, per connection.
    std::vector<std::vector<std::uint8_t>> packets() const {
        std::lock_guard lock(mutex_);
        return packets_;
    }

  private:
    void serve() {
        while (!stopping_) {
            auto socket = std::make_shared<tcp::socket>(io_);
            boost::system::error_code ec;
            acceptor_.accept(*socket, ec);
            if (ec) return;
            {
                std::lock_guard lock(mutex_);
                current_ = socket;
                packets_.emplace_back();
            }
            converse(*socket);
        }
    }
    void converse(tcp::socket& socket) {
        boost::system::error_code ec;
        for (;;) {
            std::uint8_t header = 0;
            asio::read(socket, asio::buffer(&header, 1), ec);
            std::size_t length = 0;
            for (int shift = 0; !ec; shift += 7) {
                std::uint8_t byte = 0;
                asio::read(socket, asio::buffer(&byte, 1), ec);
                length |= static_cast<std::size_t>(byte & 0x7F) << shift;
                if ((byte & 0x80) == 0) break;
            }
            std::vector<std::uint8_t> body(length);
            if (!ec && length > 0) asio::read(socket, asio::buffer(body), ec);
            if (ec) return;
            if ((header & 0xF0) == 0x10) {
                const std::uint8_t connack[] = {0x20, 0x02, 0x00, 0x00};
                asio::write(socket, asio::buffer(connack), ec);
            } else if ((header & 0xF0) == 0xC0) {
                const std::uint8_t pingresp[] = {0xD0, 0x00};
                asio::write(socket, asio::buffer(pingresp), ec);
            } else {
                std::lock_guard lock(mutex_);
                packets_.back().push_back(header);
            }
        }
    }

    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::shared_ptr<tcp::socket> current_;
    std::vector<std::vector<std::uint8_t>> packets_;
};

constexpr std::uint8_t publish_qos1 = 0x32;
constexpr std::uint8_t publish_qos1_dup = 0x3A;
constexpr std::uint8_t disconnect = 0xE0;

class MqttAckWatchTest : public ::testing::Test {
  protected:
    ClientOptions options() const {
        ClientOptions o;
        o.host = "127.0.0.1";
        o.port = broker.port();
        o.client_id = "haven-cedar";
        o.backoff_min = 2s;  // a renewal that waited for the backoff would fail the timing
        o.backoff_max = 2s;
        o.ack_timeout = 300ms;
        return o;
    }
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io.restart();
            io.run_for(10ms);
        }
        return done();
    }

    SilentBroker broker;
    asio::io_context io;
};

TEST_F(MqttAckWatchTest, AnUnacknowledgedPublishRenewsTheConnectionAndIsSentAgain) {
    MqttClient client(io, options());
    std::vector<std::string> lost;
    int connects = 0;
    client.on_connected = [&] { ++connects; };
    client.on_disconnected = [&](std::string reason) { lost.push_back(std::move(reason)); };
    client.start();
    ASSERT_TRUE(run_until([&] { return client.connected(); }, 5s));
    const auto sent = std::chrono::steady_clock::now();
    client.publish({"haven/cedar/events", "{\"type\":\"assist_raised\"}", 1, false});
    EXPECT_EQ(client.unacknowledged(), 1u);

    ASSERT_TRUE(run_until([&] { return connects == 2; }, 3s)) << "the connection was not renewed";
    const auto renewed = std::chrono::steady_clock::now();
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_NE(lost[0].find("acknowledged none"), std::string::npos) << lost[0];
    // ack_timeout plus at most one check and a loopback reconnect; not the 2 s backoff.
    EXPECT_LT(renewed - sent, 1500ms);
    ASSERT_TRUE(run_until(
        [&] { return broker.packets().size() == 2 && !broker.packets()[1].empty(); }, 2s));
    const auto packets = broker.packets();
    EXPECT_EQ(packets[0], (std::vector<std::uint8_t>{publish_qos1, disconnect}))
        << "a clean DISCONNECT: no `offline` will for a renewal";
    EXPECT_EQ(packets[1].front(), publish_qos1_dup) << "the waiting publish is sent again";
}

TEST_F(MqttAckWatchTest, DroppableMessagesAreDroppedAndReportedWhileTooManyWait) {
    auto o = options();
    o.ack_timeout = 400ms;  // droppable ones go once the oldest has waited 200 ms
    o.max_unacknowledged = 3;
    MqttClient client(io, o);
    std::vector<std::string> dropped;
    client.on_dropped = [&](const std::string& topic, const std::string&) {
        dropped.push_back(topic);
    };
    client.start();
    ASSERT_TRUE(run_until([&] { return client.connected(); }, 5s));
    for (int i = 0; i < 3; ++i)
        client.publish({"haven/cedar/state", "s" + std::to_string(i), 1, true});
    // A burst, not a broker behind: the oldest has just been sent, so the echo is kept.
    client.publish({"haven/cedar/events", "refused", 1, false}, Delivery::droppable);
    EXPECT_TRUE(dropped.empty());
    run_until([] { return false; }, 250ms);  // the oldest now waits 250 ms, unacknowledged
    ASSERT_TRUE(client.connected()) << "not yet renewed (400 ms)";
    for (int i = 0; i < 5; ++i)
        client.publish({"haven/cedar/events", "refused", 1, false}, Delivery::droppable);
    client.publish({"haven/cedar/events", "assist_raised", 1, false});  // essential: queued
    client.publish({"zigbee2mqtt/cedar/ceiling/set", "{}", 0, false}, Delivery::droppable);
    EXPECT_EQ(dropped, std::vector<std::string>(5, "haven/cedar/events"));
    EXPECT_EQ(client.unacknowledged(), 5u) << "QoS 0 is never held, so never counted";
}

}  // namespace
}  // namespace haven::mqtt
