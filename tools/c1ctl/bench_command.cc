// c1ctl bench NAME: benchmarks. Each prints its figures last, on one line,
// as key=value pairs.
#include <iostream>

#include "tools/bench/tally_bench.h"
#include "tools/c1ctl/command.h"

namespace c1tally::c1ctl {

int RunBench(const std::vector<std::string>& args) {
  if (args[0] == "tally" && args.size() == 1) return Fail(RunTallyBench());
  std::cerr << "c1ctl: usage: c1ctl bench tally [--bench_scale=1.0]\n";
  return 2;
}

}  // namespace c1tally::c1ctl
