// Every row of the light and button registries, whatever its dialect: the driver's commands
// land on the row's simulated device, the device's reports read back through the driver, and
// the config loader's catalogue lists exactly these rows. A new dialect gets this coverage
// from its row alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "button_dialect.hpp"
#include "dialect_catalogue.hpp"
#include "light_dialect.hpp"

namespace haven {
namespace {

bool contains(const std::vector<std::string>& topics, const std::string& topic) {
    return std::find(topics.begin(), topics.end(), topic) != topics.end();
}

config::LightConfig light_of(const lights::LightDialect& row, bool color_temp) {
    return {.id = "l",
            .driver = std::string{row.entry.name},
            .topic = "room/l",
            .color_temp = color_temp};
}

// Sends the driver's command for `level` to the device, as a broker would.
void command(const lights::LightDialect& row, const config::LightConfig& light,
             lights::LightDriver& driver, lights::SimulatedLight& device, double level) {
    const auto topics = row.simulator->command_topics(light);
    const auto messages = driver.command(level, 2700, Millis{250});
    ASSERT_FALSE(messages.empty());
    for (const auto& message : messages) {
        EXPECT_TRUE(contains(topics, message.topic)) << message.topic;
        EXPECT_TRUE(row.simulator->apply_command(light, device, message.topic, message.payload))
            << message.topic << " " << message.payload;
    }
}

void expect_reads_back(const lights::LightDialect& row, const config::LightConfig& light,
                       const lights::LightDriver& driver, const lights::SimulatedLight& device) {
    for (const auto& message : row.simulator->state_messages(light, device)) {
        EXPECT_TRUE(contains(driver.subscriptions(), message.topic)) << message.topic;
        const auto parse = driver.on_message(message.topic, message.payload);
        ASSERT_TRUE(parse.feedback && parse.feedback->level) << message.topic << parse.ignored;
        EXPECT_NEAR(*parse.feedback->level, device.level, 0.5) << message.payload;
    }
    for (bool online : {false, true}) {
        const auto message = row.simulator->availability_message(light, online);
        EXPECT_TRUE(contains(driver.subscriptions(), message.topic)) << message.topic;
        const auto parse = driver.on_message(message.topic, message.payload);
        ASSERT_TRUE(parse.feedback && parse.feedback->available) << message.payload;
        EXPECT_EQ(*parse.feedback->available, online) << message.payload;
    }
}

TEST(LightRegistry, EveryDriverAndItsSimulatedDeviceUnderstandEachOther) {
    for (const auto& row : lights::light_dialects()) {
        for (bool color_temp : {false, true}) {
            SCOPED_TRACE(std::string{row.entry.name} + (color_temp ? " with" : " without") +
                         " color_temp");
            ASSERT_NE(row.make_driver, nullptr);
            ASSERT_NE(row.simulator, nullptr);
            const auto light = light_of(row, color_temp);
            auto driver = row.make_driver(light, "haven-test");
            lights::SimulatedLight device;
            command(row, light, *driver, device, 40);
            EXPECT_NEAR(device.level, driver->device_level(40), 0.5);
            EXPECT_EQ(device.kelvin.has_value(), color_temp);
            if (device.kelvin) {
                EXPECT_NEAR(*device.kelvin, 2700, 10);
            }
            expect_reads_back(row, light, *driver, device);
            command(row, light, *driver, device, 0);
            EXPECT_EQ(device.level, 0);
            expect_reads_back(row, light, *driver, device);
        }
    }
}

TEST(ButtonRegistry, EveryDriverReadsItsSimulatedPress) {
    for (const auto& row : buttons::button_dialects()) {
        SCOPED_TRACE(std::string{row.entry.name});
        ASSERT_NE(row.make_driver, nullptr);
        ASSERT_NE(row.press_message, nullptr);
        const config::ButtonConfig button{
            .id = "b", .driver = std::string{row.entry.name}, .topic = "room/b"};
        const auto driver = row.make_driver(button);
        for (const std::string action : {"single", "double"}) {
            const auto press = row.press_message(button, action);
            EXPECT_TRUE(contains(driver->subscriptions(), press.topic)) << press.topic;
            const auto actions = driver->on_message(press.topic, press.payload).actions;
            EXPECT_TRUE(contains(actions, action)) << press.payload;
        }
    }
}

// The loader's catalogue is the registries' entries, in their order, each name once.
template <typename Rows>
void expect_same_entries(const std::vector<config::DialectEntry>& catalogue, const Rows& rows) {
    ASSERT_EQ(catalogue.size(), rows.size());
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(catalogue[i].name, rows[i].entry.name);
        EXPECT_EQ(catalogue[i].keys, rows[i].entry.keys);
        EXPECT_TRUE(names.insert(rows[i].entry.name).second) << rows[i].entry.name << " twice";
    }
}

TEST(DialectCatalogue, IsTheRegistriesEntries) {
    expect_same_entries(config::shipped_dialects().lights, lights::light_dialects());
    expect_same_entries(config::shipped_dialects().buttons, buttons::button_dialects());
}

}  // namespace
}  // namespace haven
