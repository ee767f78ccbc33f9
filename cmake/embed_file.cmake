# Script mode helper for cardsync_embed: writes the file as a hex byte array.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR size "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
  "namespace cardsync::embedded { namespace {\nconstexpr char data[] = {${bytes} 0};\n}\n"
  "extern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}{data, ${size}};\n}\n")
