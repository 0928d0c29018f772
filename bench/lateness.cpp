#include "lateness.hpp"

#include <algorithm>
#include <cstdio>

#include "bench_support.hpp"

namespace haven::bench {

namespace {

double median_of(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

void LatenessSeries::print() const {
    std::vector<double> late;
    for (const auto& s : samples_)
        late.push_back(s.late_us);
    std::printf("%s\n", format_summary(label_, summarize(late)).c_str());
    if (samples_.size() < 10) return;

    auto by_due = samples_;
    std::sort(by_due.begin(), by_due.end(),
              [](const Sample& a, const Sample& b) { return a.due_s < b.due_s; });
    const std::size_t tenth = by_due.size() / 10;
    std::vector<double> first, last;
    for (std::size_t i = 0; i < tenth; ++i) {
        first.push_back(by_due[i].late_us);
        last.push_back(by_due[by_due.size() - 1 - i].late_us);
    }
    // Least squares of lateness on due time: a timeline that slips shows a positive slope.
    double mean_t = 0, mean_l = 0;
    for (const auto& s : by_due) {
        mean_t += s.due_s;
        mean_l += s.late_us;
    }
    mean_t /= static_cast<double>(by_due.size());
    mean_l /= static_cast<double>(by_due.size());
    double cov = 0, var = 0;
    for (const auto& s : by_due) {
        cov += (s.due_s - mean_t) * (s.late_us - mean_l);
        var += (s.due_s - mean_t) * (s.due_s - mean_t);
    }
    const double slope = var > 0 ? cov / var : 0;  // us of lateness per s of run
    std::printf(
        "%-34s first tenth p50=%8.1f  last tenth p50=%8.1f us  slope %+.2f us/min over %.0f s\n",
        "  drift", median_of(first), median_of(last), slope * 60,
        by_due.back().due_s - by_due.front().due_s);
}

}  // namespace haven::bench
