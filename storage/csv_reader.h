// CsvReader: splits RFC 4180 text into rows, for the region importer's
// wilayah and TPS CSVs.
//
// Fields are separated by commas and may be quoted with '"'; a quoted field
// may hold commas, line breaks and "" for one quote. Rows end with LF or
// CRLF; empty lines are skipped. Bytes are passed through as they are: the
// reader knows no encoding, so a UTF-8 BOM (which ReadSourceFile drops
// before the text gets here) or any other byte is part of the field it is
// in. Field text is not trimmed.
//
// A syntax error spoils one row, not the text: the reader reports it and
// goes on after the faulty line, so the rows after it still count.
//
// A CsvReader is not thread-safe. It does not own the text.
#ifndef C1TALLY_STORAGE_CSV_READER_H_
#define C1TALLY_STORAGE_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace c1tally {

class CsvReader {
 public:
  // `text` must outlive the reader.
  explicit CsvReader(absl::string_view text) : text_(text) {}

  // Reads the next row into `fields` and the 1-based line it starts on
  // into `line`. Returns false at the end of the text. On a syntax error
  // sets `error` (else clears it), leaves in `fields` what was read before
  // it, and skips the rest of the faulty line (for a quoted field that is
  // never closed: the rest of the text).
  bool Next(std::vector<std::string>* fields, uint32_t* line,
            std::string* error);

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipLineBreaks();
  // Reads one field, up to the comma or line break after it. False, with
  // `error` set, on a syntax error.
  bool ReadField(std::string* field, std::string* error);
  bool ReadQuoted(std::string* field, std::string* error);
  void SkipLine();

  absl::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_CSV_READER_H_
