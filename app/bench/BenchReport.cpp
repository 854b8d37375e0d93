// JSON result lines and small statistics helpers.
#include "BenchReport.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace dd::bench {

void report(const std::string &name, double value, const std::string &unit, double baseline)
{
    const double ratio = baseline > 0 ? value / baseline : 0.0;
    std::printf("{\"bench\":\"%s\",\"value\":%.6g,\"unit\":\"%s\",\"baseline\":%.6g,\"ratio\":%.4f}\n", name.c_str(),
                value, unit.c_str(), baseline, ratio);
    std::fflush(stdout);
}

double median(std::vector<double> values)
{
    return percentile(std::move(values), 0.5);
}

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t index = std::min(values.size() - 1, std::size_t(q * double(values.size() - 1) + 0.5));
    return values[index];
}

double nowSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

} // namespace dd::bench
