# Writes OUT, a C++ file defining c1tally::kBuiltinFormKinds: the text of
# every JSON file in FILES.
set(body "// Generated from storage/form_kinds/*.json; do not edit.\n")
string(APPEND body "#include <vector>\n#include <string>\n")
string(APPEND body "namespace c1tally {\nextern const std::vector<std::string> kBuiltinFormKinds = {\n")
foreach(file ${FILES})
  file(READ ${file} text)
  string(APPEND body "R\"c1json(${text})c1json\",\n")
endforeach()
string(APPEND body "};\n}  // namespace c1tally\n")
file(WRITE ${OUT} "${body}")
