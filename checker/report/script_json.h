// JSON that is safe inside an HTML <script> element: nothing a history holds
// can end the element or start markup, whatever its strings contain.
#ifndef JEPSEN_CHECKER_REPORT_SCRIPT_JSON_H_
#define JEPSEN_CHECKER_REPORT_SCRIPT_JSON_H_

#include <string>
#include <string_view>

#include "history/event.h"

namespace jepsen::checker::report {

// Compact JSON with '<', '>', '&', U+2028 and U+2029 written as \uXXXX, and
// invalid UTF-8 replaced by U+FFFD. JSON.parse gives back the same value.
std::string ScriptSafeJson(const history::Json& value);

// Text for HTML element content or a quoted attribute value: & < > " '
// as character references.
std::string HtmlEscape(std::string_view text);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_SCRIPT_JSON_H_
