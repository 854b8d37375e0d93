// The benchmark output contract: one JSON line per result, with its same-run baseline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dd::bench {

void report(const std::string &name, double value, const std::string &unit, double baseline);

/// Median of repeated measurements: the machine is shared and noisy.
double median(std::vector<double> values);
double percentile(std::vector<double> values, double q);

/// Seconds since an arbitrary start, monotonic.
double nowSeconds();

} // namespace dd::bench
