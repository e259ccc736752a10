// CsvReader on its own: fields and quoting, line numbers across quoted
// line breaks and blank lines, CRLF, rows of any length, bytes passed
// through, and the recovery after each kind of syntax error.
#include "storage/csv_reader.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One row as the reader gave it.
struct Row {
  std::vector<std::string> fields;
  uint32_t line = 0;
  std::string error;
};

std::vector<Row> ReadAll(const std::string& text) {
  CsvReader reader(text);
  std::vector<Row> rows;
  Row row;
  while (reader.Next(&row.fields, &row.line, &row.error)) rows.push_back(row);
  return rows;
}

TEST(CsvReaderTest, SplitsFieldsAndNumbersLines) {
  const std::vector<Row> rows = ReadAll("kode,nama\n11,ACEH\n12,SUMUT\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre("kode", "nama"));
  EXPECT_THAT(rows[1].fields, ElementsAre("11", "ACEH"));
  EXPECT_THAT(rows[2].fields, ElementsAre("12", "SUMUT"));
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[2].line, 3u);
  for (const Row& row : rows) EXPECT_THAT(row.error, IsEmpty());
}

TEST(CsvReaderTest, EmptyTextHasNoRows) {
  EXPECT_THAT(ReadAll(""), IsEmpty());
  EXPECT_THAT(ReadAll("\n\r\n\n"), IsEmpty());
}

TEST(CsvReaderTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const std::vector<Row> rows = ReadAll(
      "1,\"PASAR, LAMA \"\"BARU\"\"\",x\n"
      "2,\"TWO\nLINES\",y\n"
      "3,\"\",z\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "PASAR, LAMA \"BARU\"", "x"));
  EXPECT_THAT(rows[1].fields, ElementsAre("2", "TWO\nLINES", "y"));
  EXPECT_THAT(rows[2].fields, ElementsAre("3", "", "z"));
  // The row after a quoted line break starts a line further on.
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].line, 4u);
}

TEST(CsvReaderTest, CrlfAndBlankLines) {
  const std::vector<Row> rows = ReadAll("a,b\r\n\r\n\nc,d\r\ne,\"f\"\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre("a", "b"));
  EXPECT_THAT(rows[1].fields, ElementsAre("c", "d"));
  EXPECT_THAT(rows[2].fields, ElementsAre("e", "f"));
  // Skipped blank lines still count.
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_EQ(rows[2].line, 5u);
  for (const Row& row : rows) EXPECT_THAT(row.error, IsEmpty());
}

TEST(CsvReaderTest, RowsOfAnyLengthAndEmptyFields) {
  // Column counts are the caller's to check: short and long rows come as
  // they are.
  const std::vector<Row> rows = ReadAll("a,b,c,d\nshort\n,,\nlast,");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[1].fields, ElementsAre("short"));
  EXPECT_THAT(rows[2].fields, ElementsAre("", "", ""));
  // No line break at the end of the text, and an empty last field.
  EXPECT_THAT(rows[3].fields, ElementsAre("last", ""));
  for (const Row& row : rows) EXPECT_THAT(row.error, IsEmpty());
}

TEST(CsvReaderTest, BytesPassThroughUnchanged) {
  // The reader knows no encoding: a BOM (dropped earlier, by
  // ReadSourceFile) stays part of the first field, and so do NUL, invalid
  // UTF-8 and blanks around a field.
  const std::string bom = "\xEF\xBB\xBF";
  const std::string odd = std::string("a\0b", 3) + "\xFF\xFE";
  const std::vector<Row> rows =
      ReadAll(bom + "kode,nama\n" + odd + ", x \n\"" + odd + "\",y\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0].fields, ElementsAre(bom + "kode", "nama"));
  EXPECT_THAT(rows[1].fields, ElementsAre(odd, " x "));
  EXPECT_THAT(rows[2].fields, ElementsAre(odd, "y"));
  for (const Row& row : rows) EXPECT_THAT(row.error, IsEmpty());
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldSpoilsOnlyItsLine) {
  const std::vector<Row> rows = ReadAll("a,b\"c,d\ne,f\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "a quote inside an unquoted field");
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_THAT(rows[0].fields, ElementsAre("a"));
  // The next row is read whole, with its own line, and the error cleared.
  EXPECT_THAT(rows[1].fields, ElementsAre("e", "f"));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_THAT(rows[1].error, IsEmpty());
}

TEST(CsvReaderTest, TextAfterClosingQuoteSpoilsOnlyItsLine) {
  const std::vector<Row> rows = ReadAll("\"a\"x,b\nc\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].error, "unexpected text after a closing quote");
  EXPECT_THAT(rows[1].fields, ElementsAre("c"));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_THAT(rows[1].error, IsEmpty());
}

TEST(CsvReaderTest, UnclosedQuoteTakesTheRestOfTheText) {
  const std::vector<Row> rows = ReadAll("ok,1\n19,\"BANGKA,1\n20,X\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].error, IsEmpty());
  EXPECT_EQ(rows[1].error, "a quoted field is never closed");
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_THAT(rows[1].fields, ElementsAre("19"));
}

}  // namespace
}  // namespace c1tally
