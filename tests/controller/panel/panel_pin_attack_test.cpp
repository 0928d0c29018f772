// PIN guessing against the real PanelServer on a real socket, from many loopback source
// addresses (issue 21): the per-role budget holds however many addresses guess, the other
// role's unlock never refills it, and a full session store never drops a logged-in tech.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "panel_client.hpp"
#include "panel_server.hpp"
#include "temp_dir.hpp"

namespace haven::panel {
namespace {

using nlohmann::json;
using testing::http_call;
using testing::HttpCall;
using testing::HttpReply;

constexpr const char* therapist_pin = "246813";
constexpr const char* tech_pin = "975310";

// 127.1.0.0 upwards: one address per simulated client.
std::string source_address(int n) {
    return "127.1." + std::to_string(n / 250 % 250) + "." + std::to_string(n % 250 + 1);
}

class PanelPinAttackTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::filesystem::create_directories(temp_ / "www");
        PanelOptions options{.address = "127.0.0.1",
                             .port = 0,
                             .therapist_pin = therapist_pin,
                             .tech_pin = tech_pin,
                             .www_root = temp_ / "www"};
        PanelHooks hooks;
        hooks.state = [] { return json{{"session", nullptr}}; };
        hooks.tech_status = [] { return json{{"devices", json::array()}}; };
        server_ = std::make_unique<PanelServer>(io_, options, hooks);
        server_->start();
        port_ = server_->port();
        loop_ = std::thread([this] { io_.run(); });
    }

    void TearDown() override {
        boost::asio::post(io_, [this] { server_.reset(); });
        work_.reset();
        loop_.join();
    }

    HttpReply unlock(const std::string& role, const std::string& pin, const std::string& from,
                     const std::string& cookie = {}) {
        HttpCall call{"POST", "/api/unlock", json{{"role", role}, {"pin", pin}}.dump(), {}, from};
        call.headers["Origin"] = "http://127.0.0.1:" + std::to_string(port_);
        if (!cookie.empty()) call.headers["Cookie"] = cookie;
        return http_call(port_, call);
    }

    static std::string cookie_of(HttpReply& reply) {
        auto cookie = reply.headers["Set-Cookie"];
        return cookie.substr(0, cookie.find(';'));
    }

    haven::test::TempDir temp_{"panel-pin-attack"};
    boost::asio::io_context io_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
        io_.get_executor()};
    std::thread loop_;
    std::unique_ptr<PanelServer> server_;
    std::uint16_t port_ = 0;
};

// How long to keep guessing: 3 s by default (past the first 2 s lock), 60 s for the figure in
// docs/reliability.md (HAVEN_PIN_ATTACK_SECONDS=60).
std::chrono::seconds attack_length() {
    const char* text = std::getenv("HAVEN_PIN_ATTACK_SECONDS");
    return std::chrono::seconds(text ? std::max(1, std::atoi(text)) : 3);
}

TEST_F(PanelPinAttackTest, GuessesFromManyAddressesEvaluateAtMostTheRoleBudget) {
    // More addresses than the throttle tracks, cycled, one wrong guess per connection, as fast
    // as the socket goes.
    constexpr int addresses = 1100;
    int sent = 0, evaluated = 0, refused = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto length = attack_length();
    while (sent < addresses || std::chrono::steady_clock::now() - start < length) {
        auto reply = unlock("tech", "000000", source_address(sent++ % addresses));
        if (reply.status == 401u) ++evaluated;
        if (reply.status == 429u) {
            ++refused;
            EXPECT_FALSE(reply.headers["Retry-After"].empty());
        }
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "evaluated " << evaluated << " of " << sent << " wrong tech PINs from "
              << addresses << " addresses in " << took.count() << " s\n";
    EXPECT_EQ(evaluated + refused, sent);
    // The budget allows 5 at once, one more after the 2 s lock, at most 9 in any minute; 10
    // is the target. Without it, every guess was evaluated.
    EXPECT_LE(evaluated, 10);
    EXPECT_GE(evaluated, 5);

    auto right_pin = unlock("tech", tech_pin, source_address(addresses + 1));
    EXPECT_EQ(right_pin.status, 429u) << "a locked role does not even evaluate the right PIN";
    EXPECT_EQ(unlock("therapist", therapist_pin, source_address(addresses + 2)).status, 200u)
        << "the therapist is not locked out by tech guesses";
}

// Wrong PINs wrote 77 MB of log a minute: every refusal was a line. Lines a client can cause
// are now folded per address and kind, the first in a minute written, repeats counted, and
// past 256 addresses all others share one key: the log is bounded whatever is sent.
TEST_F(PanelPinAttackTest, AFloodOfWrongPinsWritesABoundedLog) {
    std::ostringstream captured;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    const auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
    constexpr int addresses = 1100;
    int sent = 0;
    while (sent < 3 * addresses)
        unlock("tech", "000000", source_address(sent++ % addresses));
    spdlog::set_default_logger(previous);
    std::istringstream lines{captured.str()};
    int written = 0;
    for (std::string line; std::getline(lines, line);)
        written += line.find("from 127.") != std::string::npos ? 1 : 0;
    std::cout << written << " log lines for " << sent << " wrong PINs\n";
    EXPECT_GT(written, 0) << "the first refusals are still written";
    EXPECT_LE(written, 300) << "256 addresses, the overflow key and the few evaluated guesses";
}

TEST_F(PanelPinAttackTest, ATherapistUnlockNeverRefillsTheTechBudget) {
    // Issue 21's attack: two wrong tech guesses, then a correct therapist unlock, from one address.
    const auto from = source_address(7);
    int evaluated = 0;
    std::string therapist_cookie;
    for (int round = 0; round < 100; ++round) {
        for (int guess = 0; guess < 2; ++guess) {
            if (unlock("tech", "000000", from).status == 401u) ++evaluated;
        }
        auto therapist = unlock("therapist", therapist_pin, from, therapist_cookie);
        EXPECT_EQ(therapist.status, 200u);
        therapist_cookie = cookie_of(therapist);
    }
    EXPECT_LE(evaluated, 10);
}

TEST_F(PanelPinAttackTest, ALoggedInTechSurvivesAHundredNewUnlocks) {
    auto tech = unlock("tech", tech_pin, source_address(1));
    ASSERT_EQ(tech.status, 200u);
    const auto tech_cookie = cookie_of(tech);
    int unlocked = 0, refused = 0;
    std::string last_cookie;
    for (int i = 0; i < 100; ++i) {
        auto reply = unlock("therapist", therapist_pin, source_address(100 + i));
        if (reply.status == 200u) {
            ++unlocked;
            last_cookie = cookie_of(reply);
        }
        if (reply.status == 503u) ++refused;
    }
    EXPECT_EQ(unlocked, 63) << "64 sessions with the tech's";
    EXPECT_EQ(refused, 37);

    HttpCall tech_page{"GET", "/api/tech", "", {{"Cookie", tech_cookie}}, source_address(1)};
    EXPECT_EQ(http_call(port_, tech_page).status, 200u) << "the tech is still logged in";
    // A browser that unlocks again swaps its session rather than needing a new place.
    EXPECT_EQ(unlock("therapist", therapist_pin, source_address(100), last_cookie).status, 200u);
}

}  // namespace
}  // namespace haven::panel
