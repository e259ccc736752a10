#include "storage/csv_reader.h"

#include <utility>

namespace c1tally {

bool CsvReader::Next(std::vector<std::string>* fields, uint32_t* line,
                     std::string* error) {
  fields->clear();
  error->clear();
  SkipLineBreaks();
  if (AtEnd()) return false;
  *line = line_;
  for (;;) {
    std::string field;
    if (!ReadField(&field, error)) return true;
    fields->push_back(std::move(field));
    if (AtEnd()) return true;
    if (Peek() == ',') {
      ++pos_;
      continue;
    }
    if (Peek() == '\r') ++pos_;
    if (AtEnd()) return true;
    if (Peek() == '\n') {
      ++pos_;
      ++line_;
      return true;
    }
    *error = "unexpected text after a closing quote";
    SkipLine();
    return true;
  }
}

void CsvReader::SkipLineBreaks() {
  while (!AtEnd() && (Peek() == '\n' || Peek() == '\r')) {
    if (Peek() == '\n') ++line_;
    ++pos_;
  }
}

bool CsvReader::ReadField(std::string* field, std::string* error) {
  if (!AtEnd() && Peek() == '"') return ReadQuoted(field, error);
  while (!AtEnd() && Peek() != ',' && Peek() != '\n' && Peek() != '\r') {
    if (Peek() == '"') {
      *error = "a quote inside an unquoted field";
      SkipLine();
      return false;
    }
    field->push_back(text_[pos_++]);
  }
  return true;
}

bool CsvReader::ReadQuoted(std::string* field, std::string* error) {
  ++pos_;
  while (!AtEnd()) {
    const char c = text_[pos_++];
    if (c == '"') {
      if (AtEnd() || Peek() != '"') return true;
      ++pos_;  // "" stands for one quote
    } else if (c == '\n') {
      ++line_;
    }
    field->push_back(c);
  }
  *error = "a quoted field is never closed";
  return false;
}

void CsvReader::SkipLine() {
  while (!AtEnd() && Peek() != '\n') ++pos_;
  if (!AtEnd()) {
    ++pos_;
    ++line_;
  }
}

}  // namespace c1tally
