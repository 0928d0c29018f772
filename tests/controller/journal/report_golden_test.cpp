// The three renderings of one realistic session, compared byte for byte with reviewed
// files. After an intended change, regenerate with HAVEN_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "report.hpp"
#include "report_sample.hpp"

namespace haven::journal {
namespace {

std::filesystem::path golden(const std::string& name) {
    return std::filesystem::path(HAVEN_SOURCE_DIR) / "tests/controller/journal/golden" / name;
}

void expect_matches_golden(const std::string& name, const std::string& actual) {
    if (std::getenv("HAVEN_UPDATE_GOLDEN")) {
        std::ofstream(golden(name), std::ios::binary) << actual;
        GTEST_SKIP() << "rewrote " << golden(name);
    }
    std::ifstream in(golden(name), std::ios::binary);
    ASSERT_TRUE(in) << "missing golden " << golden(name);
    std::string expected{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(actual, expected) << "differs from " << golden(name);
}

struct GoldenCase {
    const char* file;
    std::string (*render)(const SessionReport&);
};

class ReportGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ReportGolden, MatchesReviewedFile) {
    auto report = build_report(testing::sample_iv_session());
    expect_matches_golden(GetParam().file, GetParam().render(report));
}

INSTANTIATE_TEST_SUITE_P(Formats, ReportGolden,
                         ::testing::Values(GoldenCase{"iv_session.csv", render_csv},
                                           GoldenCase{"iv_session.json", render_json},
                                           GoldenCase{"iv_session.html", render_html}),
                         [](const ::testing::TestParamInfo<GoldenCase>& param_info) {
                             std::string name = param_info.param.file;
                             return name.substr(name.find('.') + 1);
                         });

}  // namespace
}  // namespace haven::journal
