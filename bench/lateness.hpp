#pragma once
// Lateness of scheduled events (arrival at the probe minus when each was due), summarised as
// percentiles plus drift: whether the late end of a run is later than its start.

#include <string>
#include <vector>

namespace haven::bench {

class LatenessSeries {
  public:
    explicit LatenessSeries(std::string label) : label_(std::move(label)) {}
    // `due_s`: when it was due, seconds of real time from the run's reference; `late_us` may be
    // negative (early).
    void add(double due_s, double late_us) { samples_.push_back({due_s, late_us}); }
    std::size_t size() const { return samples_.size(); }

    // "label n= min= p50= p90= p99= max= us" then the drift line:
    // median of the first and of the last tenth (by due time) and a least-squares slope.
    void print() const;

  private:
    struct Sample {
        double due_s;
        double late_us;
    };
    std::string label_;
    std::vector<Sample> samples_;
};

}  // namespace haven::bench
