// c1ctl audit compare (see audit_command.cc).
#include <iostream>

#include "tools/c1ctl/command.h"

namespace c1tally::c1ctl {

int RunAuditCompare(const std::vector<std::string>&) {
  std::cerr << "c1ctl: audit compare is not built yet\n";
  return 2;
}

}  // namespace c1tally::c1ctl
